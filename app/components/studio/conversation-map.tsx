// Every step and choice of a conversation at once, for the trainer's preview with answers: the
// review only walks the best path, this shows the branches too.
import type { ScenarioItem } from '~/content/scenario-schema';

type Branching = Extract<ScenarioItem, { type: 'branching' }>;

export function ConversationMap({ item }: { item: Branching }) {
  return (
    <details className="mt-2 rounded border border-slate-300 bg-white p-3">
      <summary className="cursor-pointer font-semibold">Every step and choice of “{item.prompt}”</summary>
      <ol className="mt-2 space-y-3">
        {item.steps.map((step) => (
          <li key={step.id} className="rounded bg-slate-50 p-2">
            <p className="font-medium">
              Step <code>{step.id}</code>
              {step.id === item.start ? ' (start)' : ''}: {step.prompt}
            </p>
            <ul className="mt-1 space-y-1 pl-4 text-sm">
              {step.options.map((option) => (
                <li key={option.id}>
                  <code>{option.id}</code> {option.text}{' '}
                  <span className="text-slate-700">
                    — {option.points} {option.points === 1 ? 'point' : 'points'}
                    {option.unsafe ? ', unsafe' : ''}, {option.next ? `leads to ${option.next}` : 'ends the conversation'}.
                  </span>
                  <span className="block text-slate-700">{option.feedback}</span>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </details>
  );
}
