import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatContentError, loadContent, type ParsedContent } from '~/content/load.server';
import { errorsOf, expectOk } from '../support/content-results';

const CONTENT_DIR = path.resolve(import.meta.dirname, '..', '..', 'content');

const RETURN_RULE = 'lessons/week-2/d08-the-7-day-return-rule.md';
const WELCOME = 'lessons/week-1/d01-welcome-to-the-live-queue.md';
const ESCALATIONS = 'lessons/week-1/d01-how-escalations-arrive.md';
const CERTIFICATION = 'lessons/week-4/d26-preparing-for-certification.md';
const RETURNS_POLICY = 'policies/03-returns.md';


describe('the shipped content', () => {
  it('loads', () => {
    const content = expectOk(loadContent(CONTENT_DIR));
    expect(content.track.id).toBe('returns-refunds-onboarding');
    expect(content.track.days).toBe(28);
    expect(content.track.modules.map((m) => m.id)).toEqual(['week-1', 'week-2', 'week-3', 'week-4']);
    expect(content.lessons.length).toBeGreaterThanOrEqual(16);
    expect(content.policies).toHaveLength(9);
  });

  it('puts every lesson inside its module and the 28 days, in day order with positions 1..n', () => {
    const { track, lessons } = expectOk(loadContent(CONTENT_DIR));
    for (const lesson of lessons) {
      const mod = track.modules.find((m) => m.id === lesson.module);
      expect(mod, lesson.file).toBeDefined();
      expect(lesson.day).toBeGreaterThanOrEqual(mod!.days[0]);
      expect(lesson.day).toBeLessThanOrEqual(Math.min(mod!.days[1], 28));
      expect(lesson.file).toMatch(/^lessons\/week-\d\/.+\.md$/);
      expect(lesson.body.trim().length).toBeGreaterThan(0);
      expect(lesson.body.startsWith('---')).toBe(false);
    }
    expect(lessons.map((l) => l.position)).toEqual(lessons.map((_, i) => i + 1));
    const days = lessons.map((l) => l.day);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(new Set(lessons.map((l) => l.id)).size).toBe(lessons.length);
    expect(new Set(lessons.map((l) => l.module))).toEqual(new Set(track.modules.map((m) => m.id)));
  });

  it('lists a lesson after its prerequisites, even on the same day', () => {
    const { lessons } = expectOk(loadContent(CONTENT_DIR));
    const position = new Map(lessons.map((l) => [l.id, l.position]));
    expect(position.get('welcome-to-the-live-queue')).toBe(1);
    for (const lesson of lessons) {
      for (const prerequisite of lesson.prerequisites) {
        expect(position.get(prerequisite)!, `${prerequisite} before ${lesson.id}`).toBeLessThan(lesson.position);
      }
    }
  });

  it('numbers policies 1..9 with their sections in order, and every cited section exists', () => {
    const { policies, lessons } = expectOk(loadContent(CONTENT_DIR));
    expect(policies.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const policy of policies) {
      expect(policy.file).toMatch(/^policies\/\d\d-.+\.md$/);
      expect(policy.sections.length).toBeGreaterThan(0);
      expect(policy.sections.map((s) => s.ref)).toEqual(policy.sections.map((_, i) => `${policy.number}.${i + 1}`));
    }
    const returns = policies.find((p) => p.number === 3)!;
    expect(returns.sections[0]).toMatchObject({ ref: '3.1', title: 'The 7-day no-reason return', anchor: 'section-3-1' });
    const refs = new Set(policies.flatMap((p) => p.sections.map((s) => s.ref)));
    for (const lesson of lessons) for (const ref of lesson.policies) expect(refs.has(ref), `${lesson.id} cites ${ref}`).toBe(true);
  });

  it('reads a lesson’s fields', () => {
    const lesson = expectOk(loadContent(CONTENT_DIR)).lessons.find((l) => l.id === 'the-7-day-return-rule')!;
    expect(lesson).toMatchObject({
      file: RETURN_RULE,
      module: 'week-2',
      day: 8,
      minutes: 25,
      policies: ['3.1', '3.2', '3.3'],
      prerequisites: [],
    });
    expect(lesson.objectives).toHaveLength(3);
    expect(lesson.body).toMatch(/^\s*## Why this matters/);
  });

  it('says which directory lacks a track.yaml', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-empty-'));
    try {
      expect(errorsOf(loadContent(empty))).toEqual([{ file: 'track.yaml', field: null, line: null, message: expect.stringContaining(empty) }]);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('a defect in a copy of the content', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-content-'));
    fs.cpSync(CONTENT_DIR, dir, { recursive: true });
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Applies a text edit to one file of the copy; fails if the edit did not change anything. */
  function edit(file: string, change: (text: string) => string) {
    const full = path.join(dir, file);
    const before = fs.readFileSync(full, 'utf8');
    const after = change(before);
    expect(after, `edit of ${file}`).not.toBe(before);
    fs.writeFileSync(full, after);
  }

  function replace(file: string, from: string, to: string) {
    edit(file, (text) => {
      expect(text.split(from).length - 1, `"${from}" in ${file}`).toBe(1);
      return text.replace(from, to);
    });
  }

  /** The 1-based line of the copy's `file` that contains `needle` (which must occur on exactly one line). */
  function lineWith(file: string, needle: string): number {
    const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
    const matches = lines.flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
    expect(matches, `lines of ${file} containing "${needle}"`).toHaveLength(1);
    return matches[0]!;
  }

  const load = () => errorsOf(loadContent(dir));

  it('loads unchanged', () => {
    expectOk(loadContent(dir));
  });

  describe('in a lesson', () => {
    it('a missing required field is named, at the start of the front matter', () => {
      edit(RETURN_RULE, (text) => text.replace(/^minutes: 25\n/m, ''));
      expect(load()).toContainEqual({ file: RETURN_RULE, field: 'minutes', line: 2, message: expect.any(String) });
    });

    it('a wrong type is reported on its line', () => {
      replace(RETURN_RULE, 'day: 8\n', 'day: "three"\n');
      expect(load()).toContainEqual({ file: RETURN_RULE, field: 'day', line: 5, message: expect.stringMatching(/number/) });
      expect(lineWith(RETURN_RULE, 'day: "three"')).toBe(5);
    });

    it('a value out of range is reported on its line', () => {
      replace(RETURN_RULE, 'minutes: 25', 'minutes: 0');
      expect(load()).toContainEqual(expect.objectContaining({ file: RETURN_RULE, field: 'minutes', line: lineWith(RETURN_RULE, 'minutes: 0') }));
    });

    it('a bad item in a list is reported on the item’s line', () => {
      replace(RETURN_RULE, '  - Recognise the items that are excluded from no-reason returns.', '  - Hi');
      expect(load()).toContainEqual(expect.objectContaining({ file: RETURN_RULE, field: 'objectives[1]', line: lineWith(RETURN_RULE, '  - Hi') }));
    });

    it('an unknown field (a typo) is named on its line', () => {
      replace(RETURN_RULE, 'prerequisites: []', 'prerequisite: []');
      expect(load()).toContainEqual(
        expect.objectContaining({ file: RETURN_RULE, field: 'prerequisite', line: lineWith(RETURN_RULE, 'prerequisite: []'), message: expect.stringContaining('prerequisite') }),
      );
    });

    it('invalid YAML (an unclosed quote) is reported on its line', () => {
      replace(RETURN_RULE, 'title: The 7-day return rule', 'title: "The 7-day return rule');
      expect(load()).toContainEqual({ file: RETURN_RULE, field: null, line: 3, message: expect.stringMatching(/^invalid YAML/) });
    });

    it('invalid YAML (a repeated key) is reported on the repeat', () => {
      replace(RETURN_RULE, 'minutes: 25\n', 'minutes: 25\nminutes: 30\n');
      expect(load()).toContainEqual({ file: RETURN_RULE, field: null, line: lineWith(RETURN_RULE, 'minutes: 30'), message: expect.stringMatching(/^invalid YAML/) });
      expect(lineWith(RETURN_RULE, 'minutes: 30')).toBe(7);
    });

    it('invalid YAML (a tab used as indentation) is reported on its line', () => {
      replace(RETURN_RULE, '  - Recognise', '\t- Recognise');
      const errors = load().filter((e) => e.file === RETURN_RULE);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e).toMatchObject({ field: null, line: 9, message: expect.stringMatching(/^invalid YAML/) });
    });

    it('a missing front matter is reported on line 1', () => {
      edit(RETURN_RULE, (text) => text.replace(/^---\n/, ''));
      expect(load()).toContainEqual({ file: RETURN_RULE, field: null, line: 1, message: expect.stringMatching(/front matter/) });
    });

    it('a lesson that is only markdown is reported as missing its front matter', () => {
      edit(CERTIFICATION, (text) => text.replace(/^---\n[\s\S]*?\n---\n/, ''));
      expect(load()).toEqual([{ file: CERTIFICATION, field: null, line: 1, message: expect.stringMatching(/front matter/) }]);
    });

    it('a front matter that is never closed is reported', () => {
      edit(CERTIFICATION, (text) => text.replace(/^prerequisites: \[\]\n---\n/m, 'prerequisites: []\n'));
      expect(load()).toContainEqual(expect.objectContaining({ file: CERTIFICATION, line: 1 }));
    });

    it('a lesson with no text is refused', () => {
      edit(CERTIFICATION, (text) => text.replace(/\n---\n[\s\S]*$/, '\n---\n'));
      // the front matter closes on line 13, so the text should start on line 14
      expect(lineWith(CERTIFICATION, 'prerequisites:')).toBe(12);
      expect(load()).toEqual([{ file: CERTIFICATION, field: 'body', line: 14, message: expect.any(String) }]);
    });

    it('an unknown module is reported on the module line', () => {
      replace(RETURN_RULE, 'module: week-2', 'module: week-9');
      expect(load()).toEqual([
        { file: RETURN_RULE, field: 'module', line: 4, message: expect.stringMatching(/unknown module "week-9".*week-1, week-2, week-3, week-4/) },
      ]);
    });

    it('a day outside its module is reported on the day line', () => {
      replace(RETURN_RULE, 'day: 8\n', 'day: 7\n');
      expect(load()).toEqual([{ file: RETURN_RULE, field: 'day', line: 5, message: 'day 7 is outside week-2, which runs from day 8 to 14' }]);
    });

    it('a policy reference to a section that does not exist names the item and its line', () => {
      replace(RETURN_RULE, 'policies: ["3.1", "3.2", "3.3"]', 'policies: ["3.9"]');
      expect(load()).toEqual([{ file: RETURN_RULE, field: 'policies[0]', line: 11, message: expect.stringContaining('3.9') }]);
    });

    it('a bad policy reference in a block list is reported on the item’s own line', () => {
      replace(RETURN_RULE, 'policies: ["3.1", "3.2", "3.3"]', 'policies:\n  - "3.1"\n  - "3.9"\n  - "3.3"');
      expect(load()).toEqual([{ file: RETURN_RULE, field: 'policies[1]', line: 13, message: expect.stringContaining('3.9') }]);
      expect(lineWith(RETURN_RULE, '"3.9"')).toBe(13);
    });

    it('a malformed policy reference is reported by the schema', () => {
      replace(RETURN_RULE, 'policies: ["3.1", "3.2", "3.3"]', 'policies: ["3.1", "section three"]');
      expect(load()).toContainEqual(expect.objectContaining({ file: RETURN_RULE, field: 'policies[1]', line: 11 }));
    });

    it('an unknown prerequisite names the item and its line', () => {
      replace(RETURN_RULE, 'prerequisites: []', 'prerequisites: ["no-such-lesson"]');
      expect(load()).toEqual([{ file: RETURN_RULE, field: 'prerequisites[0]', line: 12, message: 'unknown lesson "no-such-lesson"' }]);
    });

    it('a prerequisite that opens later than the lesson is refused', () => {
      replace(RETURN_RULE, 'prerequisites: []', 'prerequisites: ["tracking-and-proof-of-delivery"]');
      expect(load()).toEqual([{ file: RETURN_RULE, field: 'prerequisites[0]', line: 12, message: expect.stringMatching(/opens on day 9/) }]);
    });

    it('a lesson that requires itself is refused', () => {
      replace(WELCOME, 'prerequisites: []', 'prerequisites: ["welcome-to-the-live-queue"]');
      expect(load()).toContainEqual({ file: WELCOME, field: 'prerequisites[0]', line: 12, message: 'a lesson cannot require itself' });
    });

    it('a prerequisite cycle is reported on the prerequisites line of a lesson in it', () => {
      // how-escalations-arrive already requires welcome-to-the-live-queue; close the loop.
      replace(WELCOME, 'prerequisites: []', 'prerequisites: ["how-escalations-arrive"]');
      const errors = load();
      expect(errors).toHaveLength(1);
      const [cycle] = errors;
      expect([WELCOME, ESCALATIONS]).toContain(cycle!.file);
      expect(cycle).toMatchObject({ field: 'prerequisites', line: lineWith(cycle!.file, 'prerequisites:') });
      expect(cycle!.message).toMatch(/cycle/);
      expect(cycle!.message).toContain('welcome-to-the-live-queue');
      expect(cycle!.message).toContain('how-escalations-arrive');
    });

    it('a longer prerequisite cycle is reported too', () => {
      // case-notes (day 5) → how-escalations (day 1) → welcome (day 1) → case-notes would be refused for its day;
      // keep all three on day 1 to test only the cycle.
      replace('lessons/week-1/d05-case-notes-and-handing-back.md', 'day: 5\n', 'day: 1\n');
      replace(WELCOME, 'prerequisites: []', 'prerequisites: ["case-notes-and-handing-back"]');
      const errors = load();
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ field: 'prerequisites', message: expect.stringMatching(/cycle/) });
      for (const id of ['welcome-to-the-live-queue', 'how-escalations-arrive', 'case-notes-and-handing-back']) expect(errors[0]!.message).toContain(id);
    });

    it('a duplicate lesson id is reported on the id line of the second file', () => {
      replace(CERTIFICATION, 'id: preparing-for-certification', 'id: fraud-and-abuse-signals');
      expect(load()).toEqual([{ file: CERTIFICATION, field: 'id', line: 2, message: expect.stringContaining('fraud-and-abuse-signals') }]);
    });

    it('reports every broken file, not only the first', () => {
      replace(RETURN_RULE, 'module: week-2', 'module: week-9');
      replace(CERTIFICATION, 'minutes: ', 'minutes: "many" #');
      const files = load().map((e) => e.file);
      expect(files).toContain(RETURN_RULE);
      expect(files).toContain(CERTIFICATION);
    });
  });

  describe('in a policy', () => {
    it('sections out of order are reported on each misplaced heading', () => {
      const h2 = '## 3.2 Request, approval and label';
      const h3 = '## 3.3 Return shipping costs';
      const line2 = lineWith(RETURNS_POLICY, h2);
      const line3 = lineWith(RETURNS_POLICY, h3);
      edit(RETURNS_POLICY, (text) => text.replace(h2, '## 3.3 Request, approval and label').replace(h3, '## 3.2 Return shipping costs'));
      expect(load()).toEqual([
        { file: RETURNS_POLICY, field: 'section heading', line: line2, message: 'section "3.3" is out of order: expected 3.2' },
        { file: RETURNS_POLICY, field: 'section heading', line: line3, message: 'section "3.2" is out of order: expected 3.3' },
      ]);
    });

    it('a section numbered for another policy is reported', () => {
      const line = lineWith(RETURNS_POLICY, '## 3.1 ');
      replace(RETURNS_POLICY, '## 3.1 The', '## 4.1 The');
      expect(load()).toContainEqual({ file: RETURNS_POLICY, field: 'section heading', line, message: 'section "4.1" is out of order: expected 3.1' });
    });

    it('an unnumbered "## " heading is reported on its line', () => {
      const line = lineWith(RETURNS_POLICY, '## 3.3 Return shipping costs');
      replace(RETURNS_POLICY, '## 3.3 Return shipping costs', '## Return shipping costs');
      expect(load()).toContainEqual(expect.objectContaining({ file: RETURNS_POLICY, field: 'section heading', line }));
    });

    it('a bad front matter field is reported on its line', () => {
      replace(RETURNS_POLICY, 'number: 3', 'number: three');
      expect(load()).toContainEqual(expect.objectContaining({ file: RETURNS_POLICY, field: 'number', line: 3 }));
    });

    it('two policies with the same number are refused', () => {
      replace('policies/04-logistics.md', 'number: 4', 'number: 3');
      expect(load()).toContainEqual(expect.objectContaining({ file: 'policies/04-logistics.md', field: 'number' }));
    });
  });

  describe('in track.yaml', () => {
    it('a wrong type is reported on its line', () => {
      replace('track.yaml', 'days: 28', 'days: twenty-eight');
      expect(load()).toEqual([{ file: 'track.yaml', field: 'days', line: lineWith('track.yaml', 'days: twenty-eight'), message: expect.any(String) }]);
    });

    it('a bad field of a module is named with its index, on its line', () => {
      replace('track.yaml', 'week: 2', 'week: "two"');
      expect(load()).toContainEqual({ file: 'track.yaml', field: 'modules[1].week', line: lineWith('track.yaml', 'week: "two"'), message: expect.any(String) });
    });

    it('a missing field of a module is reported at that module', () => {
      edit('track.yaml', (text) => text.replace(/^ {4}summary: Fraud and safety.*\n/m, ''));
      expect(load()).toContainEqual({ file: 'track.yaml', field: 'modules[3].summary', line: lineWith('track.yaml', '- id: week-4'), message: expect.any(String) });
    });

    it('an unknown field is named on its line', () => {
      replace('track.yaml', 'days: 28\n', 'days: 28\ncolour: blue\n');
      expect(load()).toEqual([{ file: 'track.yaml', field: 'colour', line: lineWith('track.yaml', 'colour: blue'), message: expect.stringContaining('colour') }]);
    });

    it('invalid YAML is reported on its line', () => {
      replace('track.yaml', 'queue: returns-refunds', 'queue: [returns-refunds');
      const errors = load();
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatchObject({ file: 'track.yaml', field: null, message: expect.stringMatching(/^invalid YAML/) });
    });

    it('a module that ends after the track is reported on its days', () => {
      replace('track.yaml', 'days: 28', 'days: 21');
      expect(load()).toEqual([
        { file: 'track.yaml', field: 'modules[3].days', line: lineWith('track.yaml', 'days: [22, 28]'), message: "module ends on day 28, after the track's 21 days" },
      ]);
    });
  });

  describe('formatContentError', () => {
    it('writes file:line (field): message', () => {
      replace(RETURN_RULE, 'day: 8\n', 'day: 7\n');
      expect(load().map(formatContentError)).toEqual([`${RETURN_RULE}:5 (day): day 7 is outside week-2, which runs from day 8 to 14`]);
    });
  });

  describe('contentHash', () => {
    const hashes = (content: ParsedContent) => Object.fromEntries(content.lessons.map((l) => [l.id, l.contentHash]));

    it('is the same for the same text, wherever the content directory is', () => {
      const original = expectOk(loadContent(CONTENT_DIR));
      const copy = expectOk(loadContent(dir));
      expect(hashes(copy)).toEqual(hashes(original));
      expect(copy.track.contentHash).toBe(original.track.contentHash);
      expect(copy.policies.map((p) => p.contentHash)).toEqual(original.policies.map((p) => p.contentHash));
      expect(new Set(Object.values(hashes(copy))).size).toBe(copy.lessons.length);
    });

    it('changes for a lesson whose text changes, and for no other lesson', () => {
      const before = hashes(expectOk(loadContent(dir)));
      edit(RETURN_RULE, (text) => `${text}\nOne more sentence.\n`);
      const after = hashes(expectOk(loadContent(dir)));
      expect(after['the-7-day-return-rule']).not.toBe(before['the-7-day-return-rule']);
      expect({ ...after, 'the-7-day-return-rule': null }).toEqual({ ...before, 'the-7-day-return-rule': null });
    });

    it('changes when a single character of the body changes', () => {
      const before = hashes(expectOk(loadContent(dir)));
      replace(RETURN_RULE, 'The counting is where people slip.', 'The counting is where people slip!');
      expect(hashes(expectOk(loadContent(dir)))['the-7-day-return-rule']).not.toBe(before['the-7-day-return-rule']);
    });

    it('changes when the front matter changes', () => {
      const before = hashes(expectOk(loadContent(dir)));
      replace(RETURN_RULE, 'minutes: 25', 'minutes: 30');
      const after = hashes(expectOk(loadContent(dir)));
      expect(after['the-7-day-return-rule']).not.toBe(before['the-7-day-return-rule']);
      expect(after['tracking-and-proof-of-delivery']).toBe(before['tracking-and-proof-of-delivery']);
    });

    it('does not change for lessons when a policy or the track changes', () => {
      const before = expectOk(loadContent(dir));
      replace(RETURNS_POLICY, 'A buyer may return most items', 'A buyer may return nearly all items');
      replace('track.yaml', 'title: How cases reach you', 'title: How cases get to you');
      const after = expectOk(loadContent(dir));
      expect(hashes(after)).toEqual(hashes(before));
      expect(after.track.contentHash).not.toBe(before.track.contentHash);
      const changed = after.policies.filter((p, i) => p.contentHash !== before.policies[i]!.contentHash).map((p) => p.id);
      expect(changed).toEqual(['returns']);
    });

    it('does not change when a file is only touched', () => {
      const before = hashes(expectOk(loadContent(dir)));
      const file = path.join(dir, RETURN_RULE);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8'));
      fs.utimesSync(file, new Date('2030-01-01T00:00:00Z'), new Date('2030-01-01T00:00:00Z'));
      expect(hashes(expectOk(loadContent(dir)))).toEqual(before);
    });
  });
});
