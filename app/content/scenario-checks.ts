// The rules a whole scenario must follow beyond its shape: cited handbook sections exist, item ids
// are unique, and every item follows the item rules (one correct single choice, a branching
// conversation without dangling links, cycles or unreachable steps, critical items that name their
// unsafe choice). Pure and free of Node, so the content loader, the studio's publish action and the
// studio editor in the browser apply one rule set and give the same messages.
import { itemProblems } from '~/domain/item-rules';
import { scenarioSchema, type ScenarioFile } from './scenario-schema';

export interface ScenarioProblem {
  /** Path inside the scenario, e.g. ['items', 0, 'steps', 2, 'options', 0, 'next']. */
  path: (string | number)[];
  message: string;
}

/**
 * Problems of a scenario that already has the schema's shape. `sectionRefs` are the handbook's
 * section references ("7.1"); null skips that check (when the handbook is unknown).
 */
export function scenarioProblems(scenario: ScenarioFile, sectionRefs: ReadonlySet<string> | null): ScenarioProblem[] {
  const problems: ScenarioProblem[] = [];
  const checkRefs = (refs: readonly string[], base: (string | number)[]) =>
    refs.forEach((ref, i) => {
      if (sectionRefs && !sectionRefs.has(ref)) problems.push({ path: [...base, i], message: `handbook section ${ref} does not exist in content/policies` });
    });
  checkRefs(scenario.policies, ['policies']);
  const itemIds = new Set<string>();
  scenario.items.forEach((item, i) => {
    if (itemIds.has(item.id)) problems.push({ path: ['items', i, 'id'], message: `another item of this scenario is "${item.id}"` });
    itemIds.add(item.id);
    checkRefs(item.policies, ['items', i, 'policies']);
    for (const problem of itemProblems(item)) problems.push({ path: ['items', i, ...problem.path], message: problem.message });
  });
  return problems;
}

/** A field path as the editor's form names it: items.0.steps.1.options.0.next */
export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

export type ScenarioValidation =
  | { ok: true; scenario: ScenarioFile }
  /** Messages by field path (pathKey); the whole scenario's problems under "". */
  | { ok: false; errors: Record<string, string[]> };

/** The schema, then the rules above: what publishing a scenario requires. */
export function validateScenario(input: unknown, sectionRefs: ReadonlySet<string> | null): ScenarioValidation {
  const errors: Record<string, string[]> = {};
  const add = (path: readonly PropertyKey[], message: string) => (errors[pathKey(path)] ??= []).push(message);
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') for (const key of issue.keys) add([...issue.path, key], `unknown field "${key}"`);
      else add(issue.path, issue.message);
    }
    return { ok: false, errors };
  }
  const problems = scenarioProblems(parsed.data, sectionRefs);
  if (problems.length === 0) return { ok: true, scenario: parsed.data };
  for (const problem of problems) add(problem.path, problem.message);
  return { ok: false, errors };
}
