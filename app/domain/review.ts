// What a learner sees after submitting a case: their answer beside the right one, each option's
// feedback, the explanation and the handbook sections it rests on.
import type { ScenarioItem } from '~/content/scenario-schema';
import type { Grade } from './grading';
import { matchingConclusions } from './presentation';

export type ItemReview = {
  id: string;
  prompt: string;
  points: number;
  score: number | null;
  criticalFailure: boolean;
  explanation: string;
  policies: string[];
} & (
  | { type: 'single' | 'multiple'; options: { text: string; correct: boolean; chosen: boolean; unsafe: boolean; feedback: string }[] }
  | { type: 'ordering'; correctOrder: string[]; yourOrder: string[] | null }
  | { type: 'matching'; pairs: { evidence: string; conclusion: string; yourConclusion: string | null }[] }
  | { type: 'written'; yourReply: string; modelReply: string; rubric: { criterion: string; levels: { points: number; description: string }[] }[] }
  | { type: 'branching'; path: { prompt: string; choice: string; points: number; best: number; unsafe: boolean; feedback: string }[] }
);

export function reviewItem(item: ScenarioItem, seed: number, response: unknown, grade: Grade): ItemReview {
  const base = {
    id: item.id,
    prompt: item.prompt,
    points: item.points,
    score: grade.status === 'graded' ? grade.score : null,
    criticalFailure: grade.status === 'graded' && grade.criticalFailure,
    explanation: item.explanation,
    policies: item.policies,
  };
  const r = (response ?? {}) as Record<string, unknown>;
  switch (item.type) {
    case 'single':
    case 'multiple': {
      const chosen = new Set(item.type === 'single' ? [r.optionId] : Array.isArray(r.optionIds) ? r.optionIds : []);
      return { ...base, type: item.type, options: item.options.map((o) => ({ text: o.text, correct: o.correct, chosen: chosen.has(o.id), unsafe: o.unsafe, feedback: o.feedback })) };
    }
    case 'ordering': {
      const text = new Map(item.steps.map((s) => [s.id, s.text]));
      const order = Array.isArray(r.order) ? r.order.map((id) => text.get(String(id)) ?? String(id)) : null;
      return { ...base, type: 'ordering', correctOrder: item.steps.map((s) => s.text), yourOrder: order };
    }
    case 'matching': {
      const conclusions = new Map(matchingConclusions(item, seed).map((c) => [c.id, c.text]));
      const matches = (r.matches ?? {}) as Record<string, unknown>;
      return {
        ...base,
        type: 'matching',
        pairs: item.pairs.map((p) => ({ evidence: p.evidence, conclusion: p.conclusion, yourConclusion: conclusions.get(String(matches[p.id] ?? '')) ?? null })),
      };
    }
    case 'written':
      return { ...base, type: 'written', yourReply: typeof r.text === 'string' ? r.text : '', modelReply: item.modelReply, rubric: item.rubric };
    case 'branching': {
      const path = Array.isArray(r.path) ? (r.path as { stepId: string; optionId: string }[]) : [];
      return {
        ...base,
        type: 'branching',
        path: path.flatMap((choice) => {
          const step = item.steps.find((s) => s.id === choice.stepId);
          const option = step?.options.find((o) => o.id === choice.optionId);
          if (!step || !option) return [];
          return [{ prompt: step.prompt, choice: option.text, points: option.points, best: Math.max(...step.options.map((o) => o.points)), unsafe: option.unsafe, feedback: option.feedback }];
        }),
      };
    }
  }
}
