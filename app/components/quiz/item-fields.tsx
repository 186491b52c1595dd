// The answer fields of one item, as plain form controls (radio buttons, checkboxes, selects, a
// text area) so a case can be answered with the keyboard alone and without JavaScript.
import type { PublicItem } from '~/domain/presentation';

type SavedResponse = Record<string, unknown> | null;

function Legend({ item, index }: { item: PublicItem; index: number }) {
  return (
    <legend className="float-left mb-2 w-full font-semibold">
      <span className="mr-1 text-slate-600">Q{index + 1}.</span>
      {item.prompt} <span className="text-sm font-normal text-slate-600">({item.points} {item.points === 1 ? 'point' : 'points'})</span>
    </legend>
  );
}

export function ItemFields({ item, index, response }: { item: PublicItem; index: number; response: unknown }) {
  const saved = (typeof response === 'object' ? response : null) as SavedResponse;
  const field = `item.${item.id}`;
  const hint = (text: string) => <p className="mb-2 text-sm text-slate-700">{text}</p>;
  return (
    <fieldset className="rounded bg-white p-4 shadow">
      <Legend item={item} index={index} />
      <input type="hidden" name="present" value={item.id} />
      <div className="clear-both" />
      {item.type === 'single' || item.type === 'multiple' ? (
        <>
          {item.type === 'multiple' ? hint('Choose all that apply.') : null}
          <div className="space-y-2">
            {item.options.map((option) => {
              const chosen =
                item.type === 'single'
                  ? saved?.optionId === option.id
                  : Array.isArray(saved?.optionIds) && (saved.optionIds as string[]).includes(option.id);
              return (
                <label key={option.id} className="flex cursor-pointer items-start gap-2 rounded border border-slate-300 p-2 hover:bg-slate-50">
                  <input type={item.type === 'single' ? 'radio' : 'checkbox'} name={field} value={option.id} defaultChecked={chosen} className="mt-1" />
                  <span>{option.text}</span>
                </label>
              );
            })}
          </div>
        </>
      ) : null}
      {item.type === 'ordering' ? (
        <>
          {hint(`Give each step its place, 1 to ${item.steps.length}.`)}
          <ul className="space-y-2">
            {item.steps.map((step) => {
              const order = Array.isArray(saved?.order) ? (saved.order as string[]) : null;
              const place = order ? order.indexOf(step.id) + 1 : 0;
              return (
                <li key={step.id} className="flex flex-wrap items-center gap-2">
                  <select
                    name={`${field}.${step.id}`}
                    defaultValue={place > 0 ? String(place) : ''}
                    aria-label={`Place of: ${step.text}`}
                    className="rounded border border-slate-400 bg-white px-2 py-1"
                  >
                    <option value="">–</option>
                    {item.steps.map((_, i) => (
                      <option key={i} value={i + 1}>{i + 1}</option>
                    ))}
                  </select>
                  <span>{step.text}</span>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {item.type === 'matching' ? (
        <>
          {hint('Match each piece of evidence with what it shows.')}
          <ul className="space-y-3">
            {item.evidence.map((evidence) => {
              const matches = (saved?.matches ?? {}) as Record<string, string>;
              return (
                <li key={evidence.id}>
                  <label className="block">
                    <span className="block">{evidence.text}</span>
                    <select name={`${field}.${evidence.id}`} defaultValue={matches[evidence.id] ?? ''} className="mt-1 w-full rounded border border-slate-400 bg-white px-2 py-1">
                      <option value="">Choose a conclusion…</option>
                      {item.conclusions.map((c) => (
                        <option key={c.id} value={c.id}>{c.text}</option>
                      ))}
                    </select>
                  </label>
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      {item.type === 'written' ? (
        <label className="block">
          <span className="mb-1 block text-sm text-slate-700">Your reply to the customer</span>
          <textarea name={field} rows={6} maxLength={5000} defaultValue={typeof saved?.text === 'string' ? saved.text : ''} className="w-full rounded border border-slate-400 p-2" />
        </label>
      ) : null}
      {item.type === 'branching' ? (
        <div>
          {item.history.length > 0 ? (
            <ol className="mb-3 space-y-2 text-sm">
              {item.history.map((h, i) => (
                <li key={i} className="rounded bg-slate-100 p-2">
                  <p>{h.prompt}</p>
                  <p className="mt-1 font-semibold">You: {h.choice}</p>
                </li>
              ))}
            </ol>
          ) : null}
          {item.current ? (
            <div role="group" aria-labelledby={`${item.id}-current`}>
              <p id={`${item.id}-current`} className="mb-2 rounded border-l-4 border-brand-600 bg-brand-50 p-2">{item.current.prompt}</p>
              <div className="space-y-2">
                {item.current.options.map((option) => (
                  <label key={option.id} className="flex cursor-pointer items-start gap-2 rounded border border-slate-300 p-2 hover:bg-slate-50">
                    <input type="radio" name={`${field}.choice`} value={option.id} className="mt-1" />
                    <span>{option.text}</span>
                  </label>
                ))}
              </div>
              <button type="submit" name="intent" value="save" className="mt-3 rounded border border-brand-700 px-3 py-1 font-semibold text-brand-700">
                Continue the conversation
              </button>
            </div>
          ) : (
            <p className="text-sm font-semibold text-green-800">The conversation is over. Your answer to this question is complete.</p>
          )}
        </div>
      ) : null}
    </fieldset>
  );
}
