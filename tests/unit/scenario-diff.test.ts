// The readable difference between two versions of a scenario.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioSchema } from '~/content/scenario-schema';
import { diffScenarios } from '~/domain/scenario-diff';

const shipped = () => scenarioSchema.parse(parse(fs.readFileSync(path.join(process.cwd(), 'content/scenarios/week-1/courier-wants-the-code.yaml'), 'utf8')));

describe('diffScenarios', () => {
  it('finds no change between a version and itself', () => {
    expect(diffScenarios(shipped(), shipped())).toEqual([]);
  });

  it('names a changed field by the item and option it belongs to, with the text before and after', () => {
    const after = shipped();
    const item = after.items[1]!;
    if (item.type !== 'single') throw new Error('expected the single-choice item');
    item.options[1]!.feedback = 'New feedback.';
    after.title = 'A new title';
    expect(diffScenarios(shipped(), after)).toEqual([
      { where: 'Title', kind: 'changed', before: 'The "delivery team" that needs a code', after: 'A new title' },
      { where: 'Item "which-team" › Option "b" › Feedback', kind: 'changed', before: expect.stringContaining('Tempting'), after: 'New feedback.' },
    ]);
  });

  it('matches items by id: one removed from the middle is one removal, not every later item changed', () => {
    const after = shipped();
    const [removed] = after.items.splice(1, 1);
    const changes = diffScenarios(shipped(), after);
    expect(changes).toEqual([{ where: 'Item "which-team"', kind: 'removed', before: `single: ${removed!.prompt}`, after: null }]);
  });

  it('reports an added option, an added step and a new link in a conversation', () => {
    const before = shipped();
    const after = shipped();
    const conversation = after.items[0]!;
    if (conversation.type !== 'branching') throw new Error('expected the conversation');
    conversation.steps[2]!.options[0]!.next = 's4';
    conversation.steps.push({ id: 's4', prompt: 'Olena: "Thank you."', options: [{ id: 'a', text: 'Close kindly.', points: 1, unsafe: false, feedback: 'Good.' }, { id: 'b', text: 'Say nothing.', points: 0, unsafe: false, feedback: 'Cold.' }] });
    const changes = diffScenarios(before, after);
    expect(changes).toContainEqual({ where: 'Item "stop-the-code" › Step "s3" › Option "a" › Next', kind: 'added', before: null, after: 's4' });
    expect(changes).toContainEqual({ where: 'Item "stop-the-code" › Step "s4"', kind: 'added', before: null, after: 'Olena: "Thank you."' });
    expect(changes).toHaveLength(2);
  });

  it('reports a reordering of items once', () => {
    const after = shipped();
    after.items.reverse();
    expect(diffScenarios(shipped(), after)).toEqual([
      { where: 'Items', kind: 'changed', before: 'order stop-the-code, which-team, note-contents', after: 'order note-contents, which-team, stop-the-code' },
    ]);
  });

  it('compares lists without ids by position, and lists of words as one value', () => {
    const after = shipped();
    after.timeline[1]!.detail = 'Delayed';
    after.chat.push({ from: 'agent', text: 'Hello Olena.' });
    after.policies = ['7.1', '9.1'];
    expect(diffScenarios(shipped(), after)).toEqual([
      { where: 'Policies', kind: 'changed', before: '7.1, 7.4, 9.1, 9.3', after: '7.1, 9.1' },
      { where: 'Timeline event 2 › Detail', kind: 'changed', before: 'In transit', after: 'Delayed' },
      { where: 'Chat message 4', kind: 'added', before: null, after: 'Hello Olena.' },
    ]);
  });

  it('compares a draft of any shape with a version', () => {
    expect(diffScenarios({ title: 'Draft', items: [] }, { title: 'Draft', items: [{ id: 'q1', type: 'single', prompt: 'Which team?' }] })).toEqual([
      { where: 'Item "q1"', kind: 'added', before: null, after: 'single: Which team?' },
    ]);
    expect(diffScenarios({}, { title: 'New' })).toEqual([{ where: 'Title', kind: 'added', before: null, after: 'New' }]);
  });
});
