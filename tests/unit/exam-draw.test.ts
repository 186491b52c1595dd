import { describe, expect, it } from 'vitest';
import { drawExam, fitsSection, itemRef, poolItemsOf, type DrawBlueprint, type DrawSection, type ExamDraw, type PoolItem } from '~/domain/exam-draw';
import { seededShuffle } from '~/domain/shuffle';

const SEEDS = Array.from({ length: 200 }, (_, i) => i * 7919 + 13);

function item(scenarioId: string, itemKey: string, topic: string, difficulty = 3, extra: Partial<PoolItem> = {}): PoolItem {
  return { scenarioId, versionId: 1, itemKey, topic, difficulty, type: 'single', points: 2, critical: false, ...extra };
}

const section = (topic: string, items: number, difficulty: [number, number] = [1, 5]): DrawSection => ({ topic, items, difficulty });
const blueprintOf = (...sections: DrawSection[]): DrawBlueprint => ({ sections });

function expectDrawn<T extends PoolItem>(draw: ExamDraw<T>) {
  if (!draw.ok) throw new Error(`expected a whole exam, got ${JSON.stringify(draw)}`);
  return draw;
}

/** Every property a drawn exam must have, whatever the seed. */
function expectValidExam(blueprint: DrawBlueprint, pool: readonly PoolItem[], draw: ExamDraw, seen: ReadonlySet<string> = new Set()) {
  const { items } = expectDrawn(draw);
  expect(items).toHaveLength(blueprint.sections.reduce((n, s) => n + s.items, 0));
  blueprint.sections.forEach((s, j) => {
    const inSection = items.filter((i) => i.section === j);
    expect(inSection, `section ${j}`).toHaveLength(s.items);
    for (const i of inSection) expect(fitsSection(s, i), `${itemRef(i)} fits section ${j}`).toBe(true);
  });
  expect(new Set(items.map((i) => i.scenarioId)).size, 'distinct scenarios').toBe(items.length);
  const refs = new Set(pool.map(itemRef));
  for (const i of items) {
    expect(refs.has(itemRef(i))).toBe(true);
    expect(i.seen).toBe(seen.has(itemRef(i)));
  }
  expect(items.map((i) => i.section)).toEqual([...items.map((i) => i.section)].sort((a, b) => a - b));
}

/**
 * The fewest seen items any whole exam can have, by trying every assignment (Infinity when none
 * exists). Only for small cases: it is what drawExam must agree with.
 */
function bruteForce(blueprint: DrawBlueprint, pool: readonly PoolItem[], seen: ReadonlySet<string>): number {
  const slots = blueprint.sections.flatMap((s) => Array.from({ length: s.items }, () => s));
  const scenarios = [...new Set(pool.map((i) => i.scenarioId))];
  const used = new Set<string>();
  const search = (k: number): number => {
    if (k === slots.length) return 0;
    let best = Infinity;
    for (const scenarioId of scenarios) {
      if (used.has(scenarioId)) continue;
      const fitting = pool.filter((i) => i.scenarioId === scenarioId && fitsSection(slots[k]!, i));
      if (fitting.length === 0) continue;
      const cost = fitting.some((i) => !seen.has(itemRef(i))) ? 0 : 1;
      used.add(scenarioId);
      best = Math.min(best, cost + search(k + 1));
      used.delete(scenarioId);
    }
    return best;
  };
  return search(0);
}

/** A small seeded generator for random cases (not the one under test). */
function generator(seed: number) {
  let state = seed >>> 0 || 1;
  return (n: number) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

describe('drawExam: a whole exam', () => {
  const pool = [
    ...['p1', 'p2', 'p3', 'p4', 'p5'].map((id, i) => item(id, 'a', 'payments', 1 + i)),
    ...['q1', 'q2', 'q3', 'q4'].map((id) => item(id, 'a', 'privacy-safety', 3)),
    item('q1', 'b', 'payments', 4),
    item('q2', 'b', 'payments', 2),
  ];
  const blueprint = blueprintOf(section('payments', 2, [2, 4]), section('privacy-safety', 3));

  it('takes each section’s count of items of its topic within its difficulty range, from distinct scenarios', () => {
    for (const seed of SEEDS) expectValidExam(blueprint, pool, drawExam({ blueprint, pool, seed }));
  });

  it('includes both ends of a difficulty range and nothing outside it', () => {
    const narrow = blueprintOf(section('payments', 3, [2, 4]));
    const picked = new Set<string>();
    for (const seed of SEEDS) for (const i of expectDrawn(drawExam({ blueprint: narrow, pool, seed })).items) picked.add(`${itemRef(i)}@${i.difficulty}`);
    expect([...picked].sort()).toEqual(['p2/a@2', 'p3/a@3', 'p4/a@4', 'q1/b@4', 'q2/b@2']);
  });

  it('lists items by section, in blueprint order, whatever order sections are filled in', () => {
    // privacy-safety has fewer candidates, so it is filled first; it is still listed second.
    const { items } = expectDrawn(drawExam({ blueprint: blueprintOf(section('payments', 2), section('privacy-safety', 1)), pool, seed: 1 }));
    expect(items.map((i) => [i.section, i.topic])).toEqual([
      [0, 'payments'],
      [0, 'payments'],
      [1, 'privacy-safety'],
    ]);
  });

  it('counts seen items and marks none when the learner has seen nothing', () => {
    const draw = expectDrawn(drawExam({ blueprint, pool, seed: 5 }));
    expect(draw.seenCount).toBe(0);
    expect(draw.items.every((i) => !i.seen)).toBe(true);
  });

  it('keeps the caller’s extra fields on the items it returns', () => {
    const rich = pool.map((i) => ({ ...i, prompt: `prompt of ${itemRef(i)}` }));
    const { items } = expectDrawn(drawExam({ blueprint, pool: rich, seed: 3 }));
    for (const i of items) expect(i.prompt).toBe(`prompt of ${itemRef(i)}`);
  });

  it('never takes two items of one scenario, even when one scenario fits two sections', () => {
    const tight = [item('s1', 'a', 'payments'), item('s1', 'b', 'fraud-abuse'), item('s2', 'a', 'payments'), item('s3', 'a', 'fraud-abuse')];
    const bp = blueprintOf(section('payments', 1), section('fraud-abuse', 1));
    for (const seed of SEEDS) expectValidExam(bp, tight, drawExam({ blueprint: bp, pool: tight, seed }));
  });

  it('lets overlapping sections share a topic without reusing an item', () => {
    const same = ['s1', 's2', 's3', 's4'].map((id, i) => item(id, 'a', 'payments', 2 + i));
    const bp = blueprintOf(section('payments', 2, [2, 4]), section('payments', 2, [3, 5]));
    for (const seed of SEEDS) {
      const draw = drawExam({ blueprint: bp, pool: same, seed });
      expectValidExam(bp, same, draw);
      // s1 (difficulty 2) only fits the first section and s4 (5) only the second.
      const { items } = expectDrawn(draw);
      expect(items.find((i) => i.scenarioId === 's1')?.section ?? 0).toBe(0);
      expect(items.find((i) => i.scenarioId === 's4')?.section ?? 1).toBe(1);
    }
  });
});

describe('drawExam: sections compete for scenarios', () => {
  // s1 and s2 each have a payments and a privacy item; s3 only payments, s4 only privacy. Two of each
  // is possible only as {s3 + one of s1/s2} and {s4 + the other}.
  const pool = [
    item('s1', 'pay', 'payments'),
    item('s1', 'priv', 'privacy-safety'),
    item('s2', 'pay', 'payments'),
    item('s2', 'priv', 'privacy-safety'),
    item('s3', 'pay', 'payments'),
    item('s4', 'priv', 'privacy-safety'),
  ];
  const blueprint = blueprintOf(section('payments', 2), section('privacy-safety', 2));

  /** The draw a first attempt might write: each section takes the first free scenarios of a seeded shuffle. */
  function greedy(sectionOrder: number[], seed: number): boolean {
    const used = new Set<string>();
    for (const j of sectionOrder) {
      const s = blueprint.sections[j]!;
      const candidates = seededShuffle([...new Set(pool.filter((i) => fitsSection(s, i)).map((i) => i.scenarioId))].sort(), seed + j);
      const free = candidates.filter((id) => !used.has(id)).slice(0, s.items);
      if (free.length < s.items) return false;
      for (const id of free) used.add(id);
    }
    return true;
  }

  it('is a case where a greedy draw fails for some seeds, in blueprint order and fewest-candidates-first alike', () => {
    expect(SEEDS.some((seed) => !greedy([0, 1], seed))).toBe(true);
    expect(SEEDS.some((seed) => !greedy([1, 0], seed))).toBe(true);
    expect(bruteForce(blueprint, pool, new Set())).toBe(0);
  });

  it('finds a whole exam for every seed', () => {
    for (const seed of SEEDS) {
      const draw = drawExam({ blueprint, pool, seed });
      expectValidExam(blueprint, pool, draw);
      const { items } = expectDrawn(draw);
      expect(items.find((i) => i.scenarioId === 's3')?.section).toBe(0);
      expect(items.find((i) => i.scenarioId === 's4')?.section).toBe(1);
    }
  });

  it('still varies which shared scenario goes to which section', () => {
    const splits = new Set(SEEDS.map((seed) => expectDrawn(drawExam({ blueprint, pool, seed })).items.map((i) => i.scenarioId).join(',')));
    expect(splits).toEqual(new Set(['s1,s3,s2,s4', 's3,s1,s2,s4', 's1,s3,s4,s2', 's3,s1,s4,s2', 's2,s3,s1,s4', 's3,s2,s1,s4', 's2,s3,s4,s1', 's3,s2,s4,s1']));
  });

  it('moves an earlier pick only when a section cannot be filled otherwise', () => {
    // Two sections over the same ten scenarios: with room to spare, the first keeps exactly the picks
    // it makes when drawn alone, and the second takes free scenarios around them.
    const roomy = Array.from({ length: 10 }, (_, s) => item(`r${s}`, 'a', 'payments'));
    const both = blueprintOf(section('payments', 3), section('payments', 3));
    const alone = blueprintOf(section('payments', 3));
    for (const seed of SEEDS) {
      const first = expectDrawn(drawExam({ blueprint: both, pool: roomy, seed })).items.filter((i) => i.section === 0);
      expect(first).toEqual(expectDrawn(drawExam({ blueprint: alone, pool: roomy, seed })).items);
    }
  });

  it('agrees with an exhaustive search on random small pools: whole when possible, short only when not', () => {
    const topics = ['payments', 'privacy-safety', 'fraud-abuse'];
    let whole = 0;
    let short = 0;
    for (let c = 0; c < 400; c++) {
      const random = generator(c + 1);
      const scenarios = 3 + random(4);
      const cases: PoolItem[] = [];
      for (let s = 0; s < scenarios; s++) {
        const count = 1 + random(3);
        for (let k = 0; k < count; k++) cases.push(item(`s${s}`, `i${k}`, topics[random(3)]!, 1 + random(5)));
      }
      const sections = Array.from({ length: 1 + random(3) }, () => {
        const low = 1 + random(5);
        return section(topics[random(3)]!, 1 + random(2), [low, Math.min(5, low + random(3))]);
      });
      const bp = blueprintOf(...sections);
      const seen = new Set(cases.filter(() => random(3) === 0).map(itemRef));
      const best = bruteForce(bp, cases, seen);
      const draw = drawExam({ blueprint: bp, pool: cases, seed: c, seenItemKeys: seen });
      if (best === Infinity) {
        short += 1;
        expect(draw.ok, `case ${c}`).toBe(false);
        if (draw.ok) continue;
        // The report is a proof: the named sections need more distinct scenarios than fit any of them.
        const fitting = new Set(cases.filter((i) => draw.sections.some((j) => fitsSection(sections[j]!, i))).map((i) => i.scenarioId));
        expect(draw.available).toBe(fitting.size);
        expect(draw.needed).toBe(draw.sections.reduce((n, j) => n + sections[j]!.items, 0));
        expect(draw.needed).toBeGreaterThan(draw.available);
        expect(draw.sections).toContain(draw.shortSection);
      } else {
        whole += 1;
        expectValidExam(bp, cases, draw, seen);
        expect(expectDrawn(draw).seenCount, `case ${c}: fewest seen items`).toBe(best);
      }
    }
    // Both kinds of case were exercised.
    expect(whole).toBeGreaterThan(50);
    expect(short).toBeGreaterThan(50);
  });
});

describe('drawExam: determinism', () => {
  const topics = ['payments', 'privacy-safety', 'case-notes'];
  const pool = Array.from({ length: 30 }, (_, s) => [
    item(`case-${String(s).padStart(2, '0')}`, 'first', topics[s % 3]!, 1 + (s % 5)),
    item(`case-${String(s).padStart(2, '0')}`, 'second', topics[(s + 1) % 3]!, 1 + ((s + 2) % 5)),
  ]).flat();
  const blueprint = blueprintOf(section('payments', 4, [2, 5]), section('privacy-safety', 3), section('case-notes', 3, [1, 4]));

  it('gives the same exam for the same blueprint, pool and seed', () => {
    for (const seed of SEEDS.slice(0, 50)) expect(drawExam({ blueprint, pool, seed })).toEqual(drawExam({ blueprint, pool, seed }));
  });

  it('does not depend on the order the pool is listed in', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      expect(drawExam({ blueprint, pool: seededShuffle(pool, seed + 1), seed })).toEqual(drawExam({ blueprint, pool, seed }));
      expect(drawExam({ blueprint, pool: [...pool].reverse(), seed })).toEqual(drawExam({ blueprint, pool, seed }));
    }
  });

  it('gives different exams for different seeds, and every fitting scenario a chance', () => {
    const exams = SEEDS.map((seed) => expectDrawn(drawExam({ blueprint, pool, seed })));
    expect(new Set(exams.map((e) => e.items.map(itemRef).join(' '))).size).toBeGreaterThan(190);
    const drawn = new Set(exams.flatMap((e) => e.items.map((i) => i.scenarioId)));
    const fitting = new Set(pool.filter((i) => blueprint.sections.some((s) => fitsSection(s, i))).map((i) => i.scenarioId));
    expect(drawn).toEqual(fitting);
  });

  it('does not change the pool or the seen list', () => {
    const frozenPool = Object.freeze(pool.map((i) => Object.freeze({ ...i })));
    const seen = Object.freeze(['case-00/first']);
    const before = JSON.stringify(frozenPool);
    drawExam({ blueprint, pool: frozenPool, seed: 9, seenItemKeys: seen });
    expect(JSON.stringify(frozenPool)).toBe(before);
    expect(seen).toEqual(['case-00/first']);
  });

  it('refuses a pool that lists one item twice', () => {
    expect(() => drawExam({ blueprint, pool: [...pool, { ...pool[3]!, versionId: 2 }], seed: 1 })).toThrow(/case-01\/second/);
  });
});

describe('drawExam: items seen in earlier attempts', () => {
  it('avoids them while the pool allows', () => {
    const pool = ['s1', 's2', 's3', 's4', 's5', 's6'].map((id) => item(id, 'a', 'payments'));
    const blueprint = blueprintOf(section('payments', 3));
    for (const seed of SEEDS) {
      const first = expectDrawn(drawExam({ blueprint, pool, seed }));
      const seen = new Set(first.items.map(itemRef));
      const second = drawExam({ blueprint, pool, seed: seed + 1, seenItemKeys: seen });
      expectValidExam(blueprint, pool, second, seen);
      expect(expectDrawn(second).seenCount).toBe(0);
      expect(expectDrawn(second).items.map((i) => i.scenarioId).filter((id) => seen.has(`${id}/a`))).toEqual([]);
    }
  });

  it('prefers an unseen item of the same scenario to a seen one', () => {
    const pool = [item('s1', 'old', 'payments'), item('s1', 'new', 'payments')];
    for (const seed of SEEDS.slice(0, 50)) {
      const draw = expectDrawn(drawExam({ blueprint: blueprintOf(section('payments', 1)), pool, seed, seenItemKeys: ['s1/old'] }));
      expect(draw.items.map(itemRef)).toEqual(['s1/new']);
    }
  });

  it('treats an item as seen whichever version of its scenario was shown', () => {
    const pool = [item('s1', 'a', 'payments', 3, { versionId: 7 }), item('s2', 'a', 'payments')];
    const draw = expectDrawn(drawExam({ blueprint: blueprintOf(section('payments', 1)), pool, seed: 1, seenItemKeys: ['s1/a'] }));
    expect(draw.items.map(itemRef)).toEqual(['s2/a']);
  });

  it('moves another section’s pick when that is what keeps the exam free of seen items', () => {
    // payments can use s1 or s2; privacy has an unseen item only in s1 (its s3 item was seen).
    const pool = [item('s1', 'pay', 'payments'), item('s1', 'priv', 'privacy-safety'), item('s2', 'pay', 'payments'), item('s3', 'priv', 'privacy-safety')];
    const blueprint = blueprintOf(section('payments', 1), section('privacy-safety', 1));
    for (const seed of SEEDS) {
      const draw = expectDrawn(drawExam({ blueprint, pool, seed, seenItemKeys: ['s3/priv'] }));
      expect(draw.items.map(itemRef)).toEqual(['s2/pay', 's1/priv']);
      expect(draw.seenCount).toBe(0);
    }
  });

  it('falls back to seen items when it must, as few as possible, and marks them', () => {
    const pool = ['s1', 's2', 's3', 's4'].map((id) => item(id, 'a', 'payments'));
    const seen = ['s1/a', 's2/a', 's3/a'];
    for (const seed of SEEDS) {
      const draw = expectDrawn(drawExam({ blueprint: blueprintOf(section('payments', 3)), pool, seed, seenItemKeys: seen }));
      expect(draw.seenCount).toBe(2);
      expect(draw.items.filter((i) => i.seen)).toHaveLength(2);
      expect(draw.items.find((i) => !i.seen)?.scenarioId).toBe('s4');
    }
  });

  it('draws a whole exam of seen items rather than none', () => {
    const pool = ['s1', 's2'].map((id) => item(id, 'a', 'payments'));
    const draw = expectDrawn(drawExam({ blueprint: blueprintOf(section('payments', 2)), pool, seed: 4, seenItemKeys: pool.map(itemRef) }));
    expect(draw.seenCount).toBe(2);
    expect(draw.items.map((i) => i.seen)).toEqual([true, true]);
  });

  it('keeps a second and third attempt fresh on a roomy pool', () => {
    const pool = Array.from({ length: 24 }, (_, s) => [item(`s${s}`, 'a', 'payments'), item(`s${s}`, 'b', 'payments')]).flat();
    const blueprint = blueprintOf(section('payments', 12));
    for (const seed of SEEDS.slice(0, 40)) {
      const seen: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const draw = expectDrawn(drawExam({ blueprint, pool, seed: seed + attempt, seenItemKeys: seen }));
        expect(draw.seenCount).toBe(0);
        seen.push(...draw.items.map(itemRef));
      }
      expect(new Set(seen).size).toBe(36);
    }
  });
});

describe('drawExam: a pool that cannot satisfy the blueprint', () => {
  it('names a section short on its own, with what it needs and what the pool has', () => {
    const pool = [item('s1', 'a', 'payments', 3), item('s2', 'a', 'payments', 4), item('s2', 'b', 'payments', 5), item('s3', 'a', 'payments', 2)];
    const draw = drawExam({ blueprint: blueprintOf(section('privacy-safety', 1), section('payments', 4, [3, 5])), pool: [...pool, item('s9', 'a', 'privacy-safety')], seed: 1 });
    // s2 has two payments items but gives only one to an exam: 2 scenarios, not 3 items.
    expect(draw).toEqual({ ok: false, shortSection: 1, sections: [1], needed: 4, available: 2 });
  });

  it('reports an empty pool on the first section', () => {
    expect(drawExam({ blueprint: blueprintOf(section('payments', 1), section('case-notes', 2)), pool: [], seed: 1 })).toEqual({
      ok: false,
      shortSection: 0,
      sections: [0],
      needed: 1,
      available: 0,
    });
  });

  it('names the sections that compete for too few scenarios, never a half-built exam', () => {
    // Each section alone has 3 scenarios for its 2 items, but together they have 3 scenarios for 4 items.
    const pool = ['s1', 's2', 's3'].flatMap((id) => [item(id, 'pay', 'payments'), item(id, 'priv', 'privacy-safety')]);
    const bp = blueprintOf(section('case-notes', 1), section('payments', 2), section('privacy-safety', 2));
    for (const seed of SEEDS.slice(0, 50)) {
      const draw = drawExam({ blueprint: bp, pool: [...pool, item('n1', 'a', 'case-notes')], seed });
      expect(draw).toEqual({ ok: false, shortSection: 2, sections: [1, 2], needed: 4, available: 3 });
      expect('items' in draw).toBe(false);
    }
  });

  it('ignores seen items when deciding whether an exam is possible', () => {
    const pool = ['s1', 's2'].map((id) => item(id, 'a', 'payments'));
    expect(drawExam({ blueprint: blueprintOf(section('payments', 2)), pool, seed: 1, seenItemKeys: pool.map(itemRef) }).ok).toBe(true);
    expect(drawExam({ blueprint: blueprintOf(section('payments', 3)), pool, seed: 1 })).toMatchObject({ ok: false, needed: 3, available: 2 });
  });
});

describe('poolItemsOf', () => {
  it('resolves each item’s topic and difficulty, falling back to the scenario’s', () => {
    const scenario = {
      id: 'charged-twice',
      topic: 'orders-payments',
      difficulty: 3,
      items: [
        { id: 'first', type: 'single', points: 2, critical: false },
        { id: 'second', type: 'branching', points: 4, critical: true, topic: 'privacy-safety' },
        { id: 'third', type: 'written', points: 6, critical: false, difficulty: 5 },
      ],
    };
    expect(poolItemsOf(scenario, 12)).toEqual([
      { scenarioId: 'charged-twice', versionId: 12, itemKey: 'first', topic: 'orders-payments', difficulty: 3, type: 'single', points: 2, critical: false },
      { scenarioId: 'charged-twice', versionId: 12, itemKey: 'second', topic: 'privacy-safety', difficulty: 3, type: 'branching', points: 4, critical: true },
      { scenarioId: 'charged-twice', versionId: 12, itemKey: 'third', topic: 'orders-payments', difficulty: 5, type: 'written', points: 6, critical: false },
    ]);
  });
});
