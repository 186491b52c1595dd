// The rules of a whole scenario, shared by the content loader, the studio's publish action and the
// editor in the browser: the same problems at the same field paths whichever of them asks.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioProblems, validateScenario } from '~/content/scenario-checks';
import { scenarioSchema, type ScenarioFile } from '~/content/scenario-schema';
import { draftProblems, fromEditorValues, toEditorErrors, toEditorValues } from '~/forms/studio';

const SHIPPED = path.join(process.cwd(), 'content/scenarios/week-1/courier-wants-the-code.yaml');
const raw = () => parse(fs.readFileSync(SHIPPED, 'utf8')) as Record<string, unknown> & { items: Record<string, unknown>[] };
const REFS = new Set(['1.4', '7.1', '7.4', '9.1', '9.3']);

/** The shipped case with its first item (a conversation) changed by `change`. */
function withConversation(change: (steps: { id: string; options: { id: string; next?: string }[] }[]) => void) {
  const scenario = raw();
  const conversation = scenario.items[0] as { steps: { id: string; options: { id: string; next?: string }[] }[] };
  change(conversation.steps);
  return scenario;
}

describe('scenarioProblems', () => {
  it('finds nothing wrong with a shipped scenario', () => {
    expect(scenarioProblems(scenarioSchema.parse(raw()), REFS)).toEqual([]);
  });

  it('names a cited handbook section that does not exist, at its place in the list', () => {
    const scenario = scenarioSchema.parse({ ...raw(), policies: ['7.1', '99.9'] });
    expect(scenarioProblems(scenario, REFS)).toEqual([{ path: ['policies', 1], message: 'handbook section 99.9 does not exist in content/policies' }]);
    // Without a handbook to check against, the references are not judged.
    expect(scenarioProblems(scenario, null)).toEqual([]);
  });

  it('points at the second item that reuses an id', () => {
    const scenario = raw();
    scenario.items[2] = { ...scenario.items[2], id: 'which-team' };
    expect(scenarioProblems(scenarioSchema.parse(scenario), REFS)).toEqual([{ path: ['items', 2, 'id'], message: 'another item of this scenario is "which-team"' }]);
  });

  it('puts item rule problems under the item: a dangling link, a loop, an unreachable step', () => {
    const dangling = withConversation((steps) => { steps[0]!.options[0]!.next = 's9'; });
    expect(scenarioProblems(scenarioSchema.parse(dangling), REFS)).toContainEqual({
      path: ['items', 0, 'steps', 0, 'options', 0, 'next'],
      message: 'leads to "s9", which is not a step of this item',
    });
    const loop = withConversation((steps) => { steps[2]!.options[0]!.next = 's1'; });
    expect(scenarioProblems(scenarioSchema.parse(loop), REFS)).toContainEqual({
      path: ['items', 0, 'steps', 2, 'options', 0, 'next'],
      message: 'leads back to "s1": the conversation would loop',
    });
    const unreachable = withConversation((steps) => { for (const o of steps[1]!.options) o.next = undefined; for (const o of steps[0]!.options) o.next = 's2'; });
    expect(scenarioProblems(scenarioSchema.parse(unreachable), REFS)).toContainEqual({ path: ['items', 0, 'steps', 2, 'id'], message: 'step "s3" cannot be reached from the start' });
  });
});

describe('validateScenario', () => {
  it('returns the parsed scenario, defaults filled, when everything holds', () => {
    const result = validateScenario(raw(), REFS);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.scenario.handoff.language).toBe('English');
  });

  it('reports shape errors by field path, unknown fields included, before any cross-field rule', () => {
    const result = validateScenario({ ...raw(), title: 'Hi', colour: 'red', policies: ['99.9'] }, REFS);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['colour', 'title']);
    expect(result.errors.colour).toEqual(['unknown field "colour"']);
  });

  it('reports the rules by field path once the shape is right', () => {
    const result = validateScenario(withConversation((steps) => { steps[0]!.options[1]!.next = 'nowhere'; }), REFS);
    expect(result).toEqual({ ok: false, errors: { 'items.0.steps.0.options.1.next': ['leads to "nowhere", which is not a step of this item'] } });
  });
});

describe('the editor applies the same checks', () => {
  it('a scenario survives the round trip through the editor values', () => {
    const scenario: ScenarioFile = scenarioSchema.parse(raw());
    expect(scenarioSchema.parse(fromEditorValues(toEditorValues(scenario)))).toEqual(scenario);
  });

  it('finds a loop in a conversation still being written (empty texts), on the choice at fault', () => {
    const values = toEditorValues(raw());
    const conversation = values.items[0]!;
    conversation.prompt = '';
    conversation.steps[0]!.prompt = '';
    conversation.steps[2]!.options[0]!.next = 's2';
    conversation.steps[1]!.options[0]!.next = 's3';
    const problems = draftProblems(fromEditorValues(values), REFS);
    expect(problems['items.0.steps.2.options.0.next']).toEqual(['leads back to "s2": the conversation would loop']);
  });

  it('shows errors of a list of section numbers on its one text field, and ordering steps on orderSteps', () => {
    const body = { items: [{ type: 'ordering', steps: [] }] };
    expect(toEditorErrors({ 'policies.1': ['x'], 'items.0.steps.2.id': ['y'], 'items.0.policies.0': ['z'] }, body)).toEqual({
      policies: ['x'],
      'items.0.orderSteps.2.id': ['y'],
      'items.0.policies': ['z'],
    });
  });
});
