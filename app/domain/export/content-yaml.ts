// A scenario written the way content/scenarios/week-N/<id>.yaml files are: fields in the schema's
// order, defaults that the schema fills (correct: false, unsafe: false, critical: false, empty
// distractors and payments) left out, long text folded. Reading the file back with the schema gives
// the same scenario.
import { Document } from 'yaml';
import type { ScenarioFile } from '~/content/scenario-schema';

const DEFAULT_FALSE = new Set(['correct', 'unsafe', 'critical']);
const DEFAULT_EMPTY = new Set(['distractors', 'payments']);

function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (value === null || typeof value !== 'object') return value;
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (DEFAULT_FALSE.has(key) && field === false) continue;
    if (DEFAULT_EMPTY.has(key) && Array.isArray(field) && field.length === 0) continue;
    if (field === undefined) continue;
    kept[key] = withoutDefaults(field);
  }
  return kept;
}

/** The file's path under a scenarios/ directory, as content/ lays them out. */
export function scenarioFilePath(scenario: Pick<ScenarioFile, 'id' | 'week'>): string {
  return `week-${scenario.week}/${scenario.id}.yaml`;
}

export function scenarioToYaml(scenario: ScenarioFile, comment: string): string {
  const document = new Document(withoutDefaults(scenario));
  document.commentBefore = comment
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');
  return document.toString({ lineWidth: 110, minContentWidth: 40 });
}
