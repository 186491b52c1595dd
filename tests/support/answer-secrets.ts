// What must not reach a learner before an item is submitted, for the answer-secrecy tests.
import type { ScenarioItem } from '~/content/scenario-schema';

/** Every text of an item that tells the learner how to answer it. */
export function secretTexts(item: ScenarioItem): string[] {
  const texts = [item.explanation];
  switch (item.type) {
    case 'single':
    case 'multiple':
      texts.push(...item.options.map((o) => o.feedback));
      break;
    case 'branching':
      texts.push(...item.steps.flatMap((s) => s.options.map((o) => o.feedback)));
      break;
    case 'written':
      texts.push(item.modelReply, ...item.rubric.flatMap((r) => [r.criterion, ...r.levels.map((l) => l.description)]));
      break;
    case 'ordering':
    case 'matching':
      break;
  }
  return texts;
}

/** Every key in a JSON-like value, with the path to it. */
export function keyPaths(value: unknown, at: string[] = []): string[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keyPaths(v, [...at, String(i)]));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => [[...at, key], ...keyPaths(v, [...at, key])]);
}
