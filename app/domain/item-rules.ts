// The rules a scenario item must follow beyond its shape: one correct answer for single choice, a
// branching conversation without dangling links, cycles or unreachable steps, critical items that
// name their unsafe choice. Pure, so the content loader and the studio editor give the same messages.
import type { ScenarioItem } from '~/content/scenario-schema';

export interface ItemProblem {
  /** Path inside the item, e.g. ['steps', 2, 'options', 0, 'next']. */
  path: (string | number)[];
  message: string;
}

function duplicates(ids: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const id of ids) (seen.has(id) ? repeated : seen).add(id);
  return repeated;
}

function checkUniqueIds(ids: readonly string[], field: string, problems: ItemProblem[]) {
  const repeated = duplicates(ids);
  ids.forEach((id, i) => {
    if (repeated.has(id)) problems.push({ path: [field, i, 'id'], message: `the id "${id}" is used twice` });
  });
}

export function branchingProblems(item: Extract<ScenarioItem, { type: 'branching' }>): ItemProblem[] {
  const problems: ItemProblem[] = [];
  const stepIds = item.steps.map((s) => s.id);
  checkUniqueIds(stepIds, 'steps', problems);
  const steps = new Map(item.steps.map((s) => [s.id, s]));
  if (!steps.has(item.start)) problems.push({ path: ['start'], message: `no step has the id "${item.start}"` });
  item.steps.forEach((step, si) => {
    const repeated = duplicates(step.options.map((o) => o.id));
    step.options.forEach((option, oi) => {
      if (repeated.has(option.id)) problems.push({ path: ['steps', si, 'options', oi, 'id'], message: `the option id "${option.id}" is used twice in this step` });
      if (option.next !== undefined && !steps.has(option.next)) {
        problems.push({ path: ['steps', si, 'options', oi, 'next'], message: `leads to "${option.next}", which is not a step of this item` });
      }
      if (option.next === step.id) problems.push({ path: ['steps', si, 'options', oi, 'next'], message: 'leads back to its own step' });
      if (option.unsafe && option.points > 0) problems.push({ path: ['steps', si, 'options', oi, 'points'], message: 'an unsafe choice earns no points' });
    });
  });
  if (problems.length > 0) return problems;

  // Cycles (depth-first search) and reachability from the start.
  const state = new Map<string, 'open' | 'done'>();
  const reached = new Set<string>();
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'open') return true;
    state.set(id, 'open');
    reached.add(id);
    const step = steps.get(id);
    for (const option of step?.options ?? []) {
      // Keep following the other choices after a loop, so the steps behind them count as reached.
      if (option.next !== undefined && visit(option.next)) {
        const si = item.steps.findIndex((s) => s.id === id);
        const oi = step?.options.indexOf(option) ?? 0;
        problems.push({ path: ['steps', si, 'options', oi, 'next'], message: `leads back to "${option.next}": the conversation would loop` });
      }
    }
    state.set(id, 'done');
    return false;
  };
  visit(item.start);
  item.steps.forEach((step, si) => {
    if (!reached.has(step.id)) problems.push({ path: ['steps', si, 'id'], message: `step "${step.id}" cannot be reached from the start` });
  });
  if (!item.steps.some((s) => s.options.some((o) => o.next === undefined))) {
    problems.push({ path: ['steps'], message: 'no choice ends the conversation' });
  }
  return problems;
}

export function itemProblems(item: ScenarioItem): ItemProblem[] {
  const problems: ItemProblem[] = [];
  switch (item.type) {
    case 'single':
    case 'multiple': {
      checkUniqueIds(item.options.map((o) => o.id), 'options', problems);
      const correct = item.options.filter((o) => o.correct).length;
      if (item.type === 'single' && correct !== 1) problems.push({ path: ['options'], message: `a single-choice item needs exactly one correct option (it has ${correct})` });
      if (item.type === 'multiple' && correct === 0) problems.push({ path: ['options'], message: 'mark at least one option correct' });
      if (item.type === 'multiple' && correct === item.options.length) problems.push({ path: ['options'], message: 'at least one option must be wrong' });
      item.options.forEach((o, i) => {
        if (o.unsafe && o.correct) problems.push({ path: ['options', i, 'unsafe'], message: 'an unsafe option cannot be correct' });
      });
      break;
    }
    case 'ordering':
      checkUniqueIds(item.steps.map((s) => s.id), 'steps', problems);
      break;
    case 'matching': {
      checkUniqueIds(item.pairs.map((p) => p.id), 'pairs', problems);
      const conclusions = [...item.pairs.map((p) => p.conclusion), ...item.distractors];
      const repeated = duplicates(conclusions);
      item.pairs.forEach((p, i) => {
        if (repeated.has(p.conclusion)) problems.push({ path: ['pairs', i, 'conclusion'], message: 'each conclusion must be different' });
      });
      item.distractors.forEach((d, i) => {
        if (repeated.has(d)) problems.push({ path: ['distractors', i], message: 'each conclusion must be different' });
      });
      break;
    }
    case 'branching':
      problems.push(...branchingProblems(item));
      break;
    case 'written':
      break;
  }
  const hasUnsafe =
    item.type === 'single' || item.type === 'multiple'
      ? item.options.some((o) => o.unsafe)
      : item.type === 'branching'
        ? item.steps.some((s) => s.options.some((o) => o.unsafe))
        : false;
  if (item.critical && !hasUnsafe) {
    problems.push({
      path: ['critical'],
      message: item.type === 'single' || item.type === 'multiple' || item.type === 'branching'
        ? 'a critical item must mark the choice that fails it with unsafe: true'
        : `${item.type === "ordering" ? "an" : "a"} ${item.type} item cannot be critical`,
    });
  }
  if (!item.critical && hasUnsafe) problems.push({ path: ['critical'], message: 'an item with an unsafe choice must be marked critical: true' });
  return problems;
}
