// The studio's preview of a scenario as a learner sees it: walking a conversation step by step
// (choices travel in the URL, in the page's shown ids, as on the learner's page), and the best
// answers a learner could give, so the review with answers and feedback can be shown.
import type { ScenarioItem } from '~/content/scenario-schema';
import { bestPathPoints, gradeItem, walkPath } from '~/domain/grading';
import { conclusionIdMap, matchingConclusions, presentItem, presentItemToLearner } from '~/domain/presentation';
import { reviewItem } from '~/domain/review';

type Branching = Extract<ScenarioItem, { type: 'branching' }>;
type Path = { stepId: string; optionId: string }[];

/** "s1:a,s2:c" → a path, kept only as far as the conversation allows it. */
export function parsePath(item: Branching, text: string | null): Path {
  if (!text) return [];
  const path: Path = [];
  for (const part of text.split(',')) {
    const [stepId = '', optionId = ''] = part.split(':');
    const next = [...path, { stepId, optionId }];
    if (!walkPath(item, next).ok) break;
    path.push({ stepId, optionId });
  }
  return path;
}

export const formatPath = (path: Path) => path.map((c) => `${c.stepId}:${c.optionId}`).join(',');

/** The path after the learner's choice (a shown id such as "s2.o1") at the step the conversation is on. */
export function choose(item: Branching, seed: number, path: Path, shownId: string | null): Path {
  if (!shownId) return path;
  const shown = presentItemToLearner(item, seed, { path });
  const inFile = presentItem(item, seed, { path });
  if (shown.type !== 'branching' || inFile.type !== 'branching' || !shown.current || !inFile.current) return path;
  const index = shown.current.options.findIndex((o) => o.id === shownId);
  const option = inFile.current.options[index];
  return option ? [...path, { stepId: inFile.current.id, optionId: option.id }] : path;
}

/** The answer that earns full marks (for a conversation: the best choice at every step). */
export function idealResponse(item: ScenarioItem, seed: number): unknown {
  switch (item.type) {
    case 'single':
      return { optionId: item.options.find((o) => o.correct)?.id ?? '' };
    case 'multiple':
      return { optionIds: item.options.filter((o) => o.correct).map((o) => o.id) };
    case 'ordering':
      return { order: item.steps.map((s) => s.id) };
    case 'matching': {
      const ids = new Map(matchingConclusions(item, seed).map((c) => [c.text, c.id]));
      return { matches: Object.fromEntries(item.pairs.map((p) => [p.id, ids.get(p.conclusion) ?? ''])) };
    }
    case 'written':
      return null;
    case 'branching': {
      const path: Path = [];
      const seen = new Set<string>();
      let stepId: string | undefined = item.start;
      while (stepId !== undefined && !seen.has(stepId)) {
        seen.add(stepId);
        const step = item.steps.find((s) => s.id === stepId);
        if (!step) break;
        const value = (o: (typeof step.options)[number]) => o.points + (o.next ? bestPathPoints(item, o.next, seen) : 0);
        const best = step.options.reduce((a, b) => (value(b) > value(a) ? b : a));
        path.push({ stepId: step.id, optionId: best.id });
        stepId = best.next;
      }
      return { path };
    }
  }
}

/** The review a learner giving the best answers would see. */
export function idealReview(item: ScenarioItem, seed: number) {
  const response = idealResponse(item, seed);
  return reviewItem(item, seed, response, gradeItem(item, response, conclusionIdMap(item, seed)));
}
