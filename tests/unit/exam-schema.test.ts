import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { examBlueprintSchema, examLength } from '~/content/exam-schema';
import { formatContentError, loadContent } from '~/content/load.server';
import { drawExam, itemRef, poolItemsOf } from '~/domain/exam-draw';
import { contentCopies } from '../support/content-copies';
import { CONTENT_DIR } from '../support/paths';
import { errorsOf, expectOk } from '../support/content-results';

const EXAM = 'exams/returns-refunds-certification.yaml';
const copyOfContent = contentCopies();


const shipped = () => parse(fs.readFileSync(path.join(CONTENT_DIR, EXAM), 'utf8')) as Record<string, unknown>;

describe('examBlueprintSchema', () => {
  const issues = (value: unknown) => {
    const result = examBlueprintSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };

  it('accepts the shipped blueprint', () => {
    expect(issues(shipped())).toEqual([]);
  });

  it('refuses a difficulty range written high to low', () => {
    const blueprint = shipped();
    (blueprint.sections as { difficulty: number[] }[])[1]!.difficulty = [4, 2];
    expect(issues(blueprint)).toEqual([{ path: 'sections.1.difficulty', message: 'the lower difficulty comes first, e.g. [2, 4]' }]);
  });

  it('refuses difficulties outside 1–5, unknown topics, empty sections and fractional counts', () => {
    const bad = (section: object) => issues({ ...shipped(), sections: [section] }).map((i) => i.path);
    expect(bad({ topic: 'payments', items: 2, difficulty: [0, 3] })).toEqual(['sections.0.difficulty.0']);
    expect(bad({ topic: 'payments', items: 2, difficulty: [3, 6] })).toEqual(['sections.0.difficulty.1']);
    expect(bad({ topic: 'refunds', items: 2, difficulty: [3, 5] })).toEqual(['sections.0.topic']);
    expect(bad({ topic: 'payments', items: 0, difficulty: [3, 5] })).toEqual(['sections.0.items']);
    expect(bad({ topic: 'payments', items: 1.5, difficulty: [3, 5] })).toEqual(['sections.0.items']);
    expect(bad({ topic: 'payments', items: 2 })).toEqual(['sections.0.difficulty']);
    expect(issues({ ...shipped(), sections: [] }).map((i) => i.path)).toEqual(['sections']);
  });

  it('refuses unknown fields, at any level', () => {
    expect(issues({ ...shipped(), passmark: 80 })).toContainEqual(expect.objectContaining({ path: '' }));
    expect(issues({ ...shipped(), eligibility: { modulesComplete: true, notBeforeDay: 26, cohort: 'a' } })).toHaveLength(1);
    const sections = [{ topic: 'payments', items: 2, difficulty: [3, 5], weight: 2 }];
    expect(issues({ ...shipped(), sections })).toHaveLength(1);
  });

  it('checks each rule’s range', () => {
    const paths = (overrides: object) => issues({ ...shipped(), ...overrides }).map((i) => i.path);
    expect(paths({ passMark: 0 })).toEqual(['passMark']);
    expect(paths({ passMark: 101 })).toEqual(['passMark']);
    expect(paths({ attemptLimit: 0 })).toEqual(['attemptLimit']);
    expect(paths({ cooldownHours: -1 })).toEqual(['cooldownHours']);
    expect(paths({ cooldownHours: 0 })).toEqual([]);
    expect(paths({ durationMinutes: 2 })).toEqual(['durationMinutes']);
    expect(paths({ validityDays: 0 })).toEqual(['validityDays']);
    expect(paths({ showAnswers: 'sometimes' })).toEqual(['showAnswers']);
    expect(paths({ eligibility: { modulesComplete: 'yes', notBeforeDay: 0 } })).toEqual(['eligibility.modulesComplete', 'eligibility.notBeforeDay']);
    expect(paths({ queue: 'Returns & Refunds' })).toEqual(['queue']);
  });

  it('opens recertification before expiry, not before issue', () => {
    expect(issues({ ...shipped(), validityDays: 30, recertificationOpensDaysBefore: 30 })).toEqual([
      { path: 'recertificationOpensDaysBefore', message: expect.stringContaining('fewer than validityDays (30)') },
    ]);
    expect(issues({ ...shipped(), validityDays: 31, recertificationOpensDaysBefore: 30 })).toEqual([]);
  });

  it('keeps an exam to 100 items', () => {
    const sections = Array.from({ length: 3 }, () => ({ topic: 'payments', items: 34, difficulty: [1, 5] }));
    expect(issues({ ...shipped(), sections })).toEqual([{ path: 'sections', message: expect.stringContaining('102 items') }]);
    expect(examLength({ sections: sections.slice(0, 2) as never })).toBe(68);
  });
});

describe('the shipped blueprint', () => {
  it('loads with the certification rules of issue 4', () => {
    const { exams, track } = expectOk(loadContent(CONTENT_DIR));
    expect(exams).toHaveLength(1);
    const [exam] = exams;
    expect(exam).toMatchObject({
      id: 'returns-refunds-certification',
      file: EXAM,
      track: track.id,
      queue: 'returns-refunds',
      durationMinutes: 45,
      passMark: 80,
      attemptLimit: 3,
      cooldownHours: 24,
      eligibility: { modulesComplete: true, notBeforeDay: 26 },
      validityDays: 180,
      recertificationOpensDaysBefore: 30,
      showAnswers: 'after-passing',
      contentHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(examLength(exam!)).toBeGreaterThanOrEqual(20);
    expect(examLength(exam!)).toBeLessThanOrEqual(25);
    expect(new Set(exam!.sections.map((s) => s.topic)).size).toBeGreaterThanOrEqual(10);
  });

  it('draws a whole exam from the shipped bank for any seed, and three attempts in a row without a repeat', () => {
    const { exams, scenarios } = expectOk(loadContent(CONTENT_DIR));
    const pool = scenarios.flatMap((s) => poolItemsOf(s, 1));
    for (let learner = 0; learner < 100; learner++) {
      const seen: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const draw = drawExam({ blueprint: exams[0]!, pool, seed: learner * 101 + attempt, seenItemKeys: seen });
        if (!draw.ok) throw new Error(`seed ${learner * 101 + attempt}: ${JSON.stringify(draw)}`);
        expect(draw.seenCount).toBe(0);
        expect(new Set(draw.items.map((i) => i.scenarioId)).size).toBe(draw.items.length);
        seen.push(...draw.items.map(itemRef));
      }
    }
  });
});

describe('a defect in a copy of the blueprint', () => {
  function copy() {
    const dir = copyOfContent();
    const file = path.join(dir, EXAM);
    const replace = (from: string, to: string) => {
      const text = fs.readFileSync(file, 'utf8');
      expect(text.split(from).length - 1, `"${from}" in ${EXAM}`).toBe(1);
      fs.writeFileSync(file, text.replace(from, to));
    };
    const lineWith = (needle: string) => {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const matches = lines.flatMap((line, i) => (line.includes(needle) ? [i + 1] : []));
      expect(matches, `lines containing "${needle}"`).toHaveLength(1);
      return matches[0]!;
    };
    return { dir, replace, lineWith, load: () => errorsOf(loadContent(dir)) };
  }

  it('a section the pool cannot fill is named, with what it needs and what the pool has, on its line', () => {
    const { replace, lineWith, load } = copy();
    replace('{ topic: payments, items: 2, difficulty: [3, 5] }', '{ topic: payments, items: 4, difficulty: [3, 5] }');
    const errors = load();
    expect(errors).toEqual([
      {
        file: EXAM,
        field: 'sections[9]',
        line: lineWith('topic: payments,'),
        message: 'needs 4 items of topic payments at difficulty 3–5, each from a different scenario; the pool has such items in only 3 scenarios',
      },
    ]);
    expect(formatContentError(errors[0]!)).toBe(
      `${EXAM}:${lineWith('topic: payments,')} (sections[9]): needs 4 items of topic payments at difficulty 3–5, each from a different scenario; the pool has such items in only 3 scenarios`,
    );
  });

  it('counts an item’s own topic and difficulty, not only its scenario’s', () => {
    // No scenario is about orders-payments at difficulty 3, but charged-twice-on-a-friday (difficulty 3)
    // has orders-payments items; its branching item is privacy-safety, which must not count here.
    const { replace, load } = copy();
    replace('{ topic: orders-payments, items: 1, difficulty: [2, 4] }', '{ topic: orders-payments, items: 2, difficulty: [3, 3] }');
    expect(load()).toEqual([expect.objectContaining({ field: 'sections[1]', message: expect.stringMatching(/needs 2 items of topic orders-payments at difficulty 3, .*only 1 scenario$/) })]);
  });

  it('a topic with no items at all in range is reported as none', () => {
    const { replace, load } = copy();
    replace('{ topic: returns-window, items: 1, difficulty: [2, 4] }', '{ topic: returns-window, items: 1, difficulty: [5, 5] }');
    expect(load()).toEqual([expect.objectContaining({ field: 'sections[4]', message: expect.stringMatching(/the pool has none$/) })]);
  });

  it('sections that compete for the same scenarios are named together', () => {
    // payments [3, 5] has 3 scenarios; privacy-safety [4, 5] has 6, two of them the same as payments'.
    // Each alone fits; together they need 8 of the 7 scenarios either can use.
    const { dir, lineWith, load } = copy();
    const file = path.join(dir, EXAM);
    const text = fs.readFileSync(file, 'utf8').replace(
      /^sections:\n(?: {2}- .*\n)+/m,
      'sections:\n  - { topic: privacy-safety, items: 5, difficulty: [4, 5] }\n  - { topic: payments, items: 3, difficulty: [3, 5] }\n',
    );
    fs.writeFileSync(file, text);
    expect(load()).toEqual([
      {
        file: EXAM,
        field: 'sections[0]',
        line: lineWith('topic: privacy-safety'),
        message:
          'cannot be filled: sections[0] and sections[1] (topic privacy-safety at difficulty 4–5; topic payments at difficulty 3–5) ' +
          'together need 8 items from different scenarios, and only 7 scenarios have an item for any of them',
      },
    ]);
  });

  it('an unknown track is named on its line', () => {
    const { replace, lineWith, load } = copy();
    replace('track: returns-refunds-onboarding', 'track: payments-onboarding');
    expect(load()).toEqual([
      { file: EXAM, field: 'track', line: lineWith('track: payments-onboarding'), message: 'unknown track "payments-onboarding": track.yaml has "returns-refunds-onboarding"' },
    ]);
  });

  it('a queue the track does not prepare for is refused', () => {
    const { replace, lineWith, load } = copy();
    replace('queue: returns-refunds', 'queue: payments');
    expect(load()).toEqual([{ file: EXAM, field: 'queue', line: lineWith('queue: payments'), message: expect.stringContaining('"returns-refunds", not "payments"') }]);
  });

  it('an opening day after the end of the track is allowed (days keep counting after it)', () => {
    const { replace, dir } = copy();
    replace('notBeforeDay: 26', 'notBeforeDay: 35');
    expect(expectOk(loadContent(dir)).exams[0]!.eligibility.notBeforeDay).toBe(35);
  });

  it('an id that does not match the file name is refused, and so is a second file with the same id', () => {
    const { dir, replace, load } = copy();
    fs.copyFileSync(path.join(dir, EXAM), path.join(dir, 'exams', 'spare.yaml'));
    expect(load()).toEqual([
      { file: 'exams/spare.yaml', field: 'id', line: 7, message: 'the id must match the file name ("spare")' },
      { file: 'exams/spare.yaml', field: 'id', line: 7, message: `"returns-refunds-certification" is already used by ${EXAM}` },
    ]);
    fs.rmSync(path.join(dir, 'exams', 'spare.yaml'));
    replace('id: returns-refunds-certification', 'id: returns-and-refunds');
    expect(load()).toEqual([{ file: EXAM, field: 'id', line: 7, message: 'the id must match the file name ("returns-refunds-certification")' }]);
  });

  it('a reversed difficulty range is reported on its line', () => {
    const { replace, lineWith, load } = copy();
    replace('{ topic: fraud-abuse, items: 2, difficulty: [3, 5] }', '{ topic: fraud-abuse, items: 2, difficulty: [5, 3] }');
    expect(load()).toEqual([
      { file: EXAM, field: 'sections[10].difficulty', line: lineWith('topic: fraud-abuse'), message: 'the lower difficulty comes first, e.g. [2, 4]' },
    ]);
  });

  it('an unknown topic, a typo in a field name and a bad value are each named on their line', () => {
    const { replace, lineWith, load } = copy();
    replace('topic: escalation-paths,', 'topic: escalations,');
    replace('cooldownHours: 24', 'cooldownHour: 24');
    replace('showAnswers: after-passing', 'showAnswers: after-pass');
    const errors = load();
    expect(errors).toContainEqual(expect.objectContaining({ file: EXAM, field: 'sections[11].topic', line: lineWith('topic: escalations,') }));
    expect(errors).toContainEqual({ file: EXAM, field: 'cooldownHour', line: lineWith('cooldownHour: 24'), message: 'unknown field "cooldownHour"' });
    expect(errors).toContainEqual(expect.objectContaining({ file: EXAM, field: 'cooldownHours', message: expect.any(String) }));
    expect(errors).toContainEqual(expect.objectContaining({ file: EXAM, field: 'showAnswers', line: lineWith('showAnswers: after-pass') }));
  });

  it('recertification opening on or before the day of issue is refused on its line', () => {
    const { replace, lineWith, load } = copy();
    replace('recertificationOpensDaysBefore: 30', 'recertificationOpensDaysBefore: 180');
    expect(load()).toEqual([
      { file: EXAM, field: 'recertificationOpensDaysBefore', line: lineWith('recertificationOpensDaysBefore: 180'), message: expect.stringContaining('validityDays (180)') },
    ]);
  });

  it('invalid YAML is reported on its line', () => {
    const { replace, lineWith, load } = copy();
    replace('passMark: 80\n', 'passMark: 80\npassMark: 70\n');
    expect(load()).toEqual([{ file: EXAM, field: null, line: lineWith('passMark: 70'), message: expect.stringMatching(/^invalid YAML/) }]);
  });

  it('is not checked against a scenario bank with broken files (that error comes alone)', () => {
    const { dir, load } = copy();
    const scenario = path.join(dir, 'scenarios', 'week-3', 'deposit-and-balance-two-refunds.yaml');
    fs.writeFileSync(scenario, fs.readFileSync(scenario, 'utf8').replace('difficulty: 3\n', 'difficulty: hard\n'));
    const errors = load();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file: 'scenarios/week-3/deposit-and-balance-two-refunds.yaml', field: 'difficulty' });
  });

  it('a content directory without exams/ still loads, with no exams', () => {
    const { dir } = copy();
    fs.rmSync(path.join(dir, 'exams'), { recursive: true });
    expect(expectOk(loadContent(dir)).exams).toEqual([]);
  });
});
