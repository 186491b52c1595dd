// Drawing a certification exam from a blueprint and the published item pool. Pure: the same
// blueprint, pool and seed always give the same exam, so an attempt stores only its seed and the
// items it was given, and a pool that cannot satisfy a blueprint is found before anyone sits it.
//
// The rules: each section takes `items` items of its topic within its difficulty range; no two items
// of an exam come from the same scenario (two questions on one case file would give each other away);
// items the learner met in earlier exam attempts are avoided while the pool allows, and used only when
// it must; the exam is whole or not at all.
//
// Why not a greedy draw: sections compete for scenarios (a case file may hold a payments item and a
// privacy item), so taking the first free scenario per section can strand a later section although a
// whole exam exists. The draw is instead an assignment problem: every section slot (a section with
// 3 items has 3 slots) must be matched to a different scenario that has an item for it, and the cost
// of a match is 1 when every fitting item of that scenario was already seen, else 0. Slots are added
// one at a time and each is placed along the cheapest augmenting path (the Hungarian method with
// Bellman–Ford, since moving an earlier slot can save or spend a seen item): an earlier slot gives up
// its scenario for another only when that lets the new slot in. This finds a whole exam whenever one
// exists, and among whole exams one with the fewest seen items. With no competition it is simply
// "the first free scenarios of a seeded shuffle", so each section's pick is uniform. When a slot
// cannot be placed, the slots the search reached are a proof (Hall's condition): those sections
// together need more distinct scenarios than have an item for any of them, which is what is reported.
//
// Size: slots ≤ 100 (the schema's limit) and a few hundred scenarios; each placement is one
// Bellman–Ford pass over them, well under a millisecond for the shipped bank.
import { itemTopicAndDifficulty } from '~/content/scenario-schema';
import { deriveSeed, seededShuffle } from './shuffle';

export interface DrawSection {
  topic: string;
  items: number;
  /** Lowest and highest difficulty, both included. */
  difficulty: readonly [number, number];
}

export interface DrawBlueprint {
  sections: readonly DrawSection[];
}

/** One published item the exam may draw: topic and difficulty already resolved (item ?? scenario). */
export interface PoolItem {
  scenarioId: string;
  versionId: number;
  /** The item's id within its scenario (stable across versions). */
  itemKey: string;
  topic: string;
  difficulty: number;
  type: string;
  points: number;
  critical: boolean;
}

export type DrawnItem<T extends PoolItem = PoolItem> = T & {
  /** The blueprint section (index) the item fills. */
  section: number;
  /** The learner met this item in an earlier exam attempt (drawn only because the pool is short). */
  seen: boolean;
};

export type ExamDraw<T extends PoolItem = PoolItem> =
  | { ok: true; items: DrawnItem<T>[]; seenCount: number }
  | {
      ok: false;
      /** The section that could not be filled. */
      shortSection: number;
      /** The sections competing for too few scenarios (only `shortSection` when it is short on its own). */
      sections: number[];
      /** Items those sections need, each from a different scenario. */
      needed: number;
      /** Scenarios with at least one item for any of those sections. */
      available: number;
    };

export interface DrawExamInput<T extends PoolItem> {
  blueprint: DrawBlueprint;
  pool: readonly T[];
  seed: number;
  /** Items from the learner's earlier exam attempts, as `itemRef`s. */
  seenItemKeys?: Iterable<string>;
}

/** How an item is named in `seenItemKeys`: item keys are only unique within their scenario. */
export function itemRef(item: Pick<PoolItem, 'scenarioId' | 'itemKey'>): string {
  return `${item.scenarioId}/${item.itemKey}`;
}

export function fitsSection(section: DrawSection, item: Pick<PoolItem, 'topic' | 'difficulty'>): boolean {
  return item.topic === section.topic && item.difficulty >= section.difficulty[0] && item.difficulty <= section.difficulty[1];
}

/** The pool items of a scenario as written in content/ or stored in a version (topic and difficulty inherited). */
export function poolItemsOf(
  scenario: {
    id: string;
    topic: string;
    difficulty: number;
    items: readonly { id: string; type: string; points: number; critical: boolean; topic?: string; difficulty?: number }[];
  },
  versionId: number,
): PoolItem[] {
  return scenario.items.map((item) => ({
    scenarioId: scenario.id,
    versionId,
    itemKey: item.id,
    ...itemTopicAndDifficulty(scenario, item),
    type: item.type,
    points: item.points,
    critical: item.critical,
  }));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function drawExam<T extends PoolItem>({ blueprint, pool, seed, seenItemKeys = [] }: DrawExamInput<T>): ExamDraw<T> {
  const sections = blueprint.sections;
  const seen = new Set(seenItemKeys);

  // A canonical order first, so the draw depends on what is in the pool, not on how it was listed.
  const items = [...pool].sort((a, b) => compareText(a.scenarioId, b.scenarioId) || compareText(a.itemKey, b.itemKey));
  for (let i = 1; i < items.length; i++) {
    if (itemRef(items[i - 1]!) === itemRef(items[i]!)) throw new RangeError(`the pool lists ${itemRef(items[i]!)} twice`);
  }
  const scenarioIds = [...new Set(items.map((i) => i.scenarioId))];
  const scenarioIndex = new Map(scenarioIds.map((id, i) => [id, i]));

  // For each section: the scenarios with an item that fits it, the fitting items, and the cost of the match.
  const fitting = sections.map(() => new Map<number, T[]>());
  for (const item of items) {
    const s = scenarioIndex.get(item.scenarioId)!;
    sections.forEach((section, j) => {
      if (!fitsSection(section, item)) return;
      const list = fitting[j]!.get(s);
      if (list) list.push(item);
      else fitting[j]!.set(s, [item]);
    });
  }
  const cost = fitting.map((byScenario) => {
    const costs = new Map<number, number>();
    for (const [s, list] of byScenario) costs.set(s, list.some((item) => !seen.has(itemRef(item))) ? 0 : 1);
    return costs;
  });

  // A section short on its own is the plainest thing to report.
  for (let j = 0; j < sections.length; j++) {
    const available = fitting[j]!.size;
    if (available < sections[j]!.items) return { ok: false, shortSection: j, sections: [j], needed: sections[j]!.items, available };
  }

  // Each section tries its scenarios in its own seeded order; `rank` breaks ties between equal paths.
  const order = fitting.map((byScenario, j) => seededShuffle([...byScenario.keys()], deriveSeed(seed, `section:${j}`)));
  const rank = order.map((list) => new Map(list.map((s, position) => [s, position])));

  // Sections with the fewest candidates place their slots first: it changes no outcome (the search is
  // exact either way) but means fewer reassignments, and the scarce sections get their seeded first picks.
  const sectionOrder = sections.map((_, j) => j).sort((a, b) => fitting[a]!.size - fitting[b]!.size || a - b);
  const slotSection: number[] = sectionOrder.flatMap((j) => Array.from({ length: sections[j]!.items }, () => j));

  const scenarioSlot = new Array<number>(scenarioIds.length).fill(-1);
  const slotScenario = new Array<number>(slotSection.length).fill(-1);

  for (let u = 0; u < slotSection.length; u++) {
    const placed = placeSlot(u, slotSection, order, cost, rank, scenarioSlot, slotScenario);
    if (placed !== null) continue;
    // Not placed: the sections the search reached need more distinct scenarios than fit any of them.
    const competing = [...new Set(reachedSlots(u, slotSection, order, scenarioSlot).map((x) => slotSection[x]!))].sort((a, b) => a - b);
    const neighbourhood = new Set(competing.flatMap((j) => order[j]!));
    return {
      ok: false,
      shortSection: slotSection[u]!,
      sections: competing,
      needed: competing.reduce((n, j) => n + sections[j]!.items, 0),
      available: neighbourhood.size,
    };
  }

  const drawn: (DrawnItem<T> & { rank: number })[] = slotSection.map((j, x) => {
    const s = slotScenario[x]!;
    const candidates = fitting[j]!.get(s)!;
    const unseen = candidates.filter((item) => !seen.has(itemRef(item)));
    const from = unseen.length > 0 ? unseen : candidates;
    const item = seededShuffle(from, deriveSeed(seed, `item:${j}:${scenarioIds[s]}`))[0]!;
    return { ...item, section: j, seen: unseen.length === 0, rank: rank[j]!.get(s)! };
  });
  drawn.sort((a, b) => a.section - b.section || a.rank - b.rank);
  return {
    ok: true,
    items: drawn.map(({ rank: _rank, ...item }) => item as DrawnItem<T>),
    seenCount: drawn.filter((item) => item.seen).length,
  };
}

/**
 * Places slot `u` along the cheapest augmenting path (cost, then fewest moves, then the seeded rank
 * of the scenario taken last), updating the matching. Returns the scenario `u` ends up with, or null.
 */
function placeSlot(
  u: number,
  slotSection: readonly number[],
  order: readonly (readonly number[])[],
  cost: readonly ReadonlyMap<number, number>[],
  rank: readonly ReadonlyMap<number, number>[],
  scenarioSlot: number[],
  slotScenario: number[],
): number | null {
  const scenarios = scenarioSlot.length;
  const slotCost = new Map<number, number>([[u, 0]]);
  const slotHops = new Map<number, number>([[u, 0]]);
  const scenarioCost = new Array<number>(scenarios).fill(Infinity);
  const scenarioHops = new Array<number>(scenarios).fill(Infinity);
  /** The slot from which each scenario was reached on its best path. */
  const via = new Array<number>(scenarios).fill(-1);
  const better = (c: number, h: number, oldC: number, oldH: number) => c < oldC || (c === oldC && h < oldH);

  // Label-correcting Bellman–Ford: moving a slot off a scenario refunds that match's cost, so edges
  // can be negative; there is no negative cycle because the matching so far is already the cheapest.
  const queue = [u];
  const queued = new Set([u]);
  while (queue.length > 0) {
    const x = queue.shift()!;
    queued.delete(x);
    const j = slotSection[x]!;
    for (const s of order[j]!) {
      if (slotScenario[x] === s) continue;
      const c = slotCost.get(x)! + cost[j]!.get(s)!;
      const h = slotHops.get(x)! + 1;
      if (!better(c, h, scenarioCost[s]!, scenarioHops[s]!)) continue;
      scenarioCost[s] = c;
      scenarioHops[s] = h;
      via[s] = x;
      const y = scenarioSlot[s]!;
      if (y === -1) continue;
      const cy = c - cost[slotSection[y]!]!.get(s)!;
      if (!better(cy, h + 1, slotCost.get(y) ?? Infinity, slotHops.get(y) ?? Infinity)) continue;
      slotCost.set(y, cy);
      slotHops.set(y, h + 1);
      if (!queued.has(y)) {
        queued.add(y);
        queue.push(y);
      }
    }
  }

  let end = -1;
  for (let s = 0; s < scenarios; s++) {
    if (scenarioSlot[s] !== -1 || via[s] === -1) continue;
    if (end === -1 || better(scenarioCost[s]!, scenarioHops[s]!, scenarioCost[end]!, scenarioHops[end]!)) {
      end = s;
    } else if (scenarioCost[s] === scenarioCost[end] && scenarioHops[s] === scenarioHops[end]) {
      const rankOf = (t: number) => rank[slotSection[via[t]!]!]!.get(t)!;
      if (rankOf(s) < rankOf(end)) end = s;
    }
  }
  if (end === -1) return null;

  // Shift every slot on the path to the scenario after it.
  let s = end;
  for (;;) {
    const x = via[s]!;
    const previous = slotScenario[x]!;
    slotScenario[x] = s;
    scenarioSlot[s] = x;
    if (x === u) return slotScenario[u]!;
    s = previous;
  }
}

/** The slots reachable from `u` by alternating paths (every scenario they fit is taken by one of them). */
function reachedSlots(u: number, slotSection: readonly number[], order: readonly (readonly number[])[], scenarioSlot: readonly number[]): number[] {
  const reached = new Set([u]);
  const queue = [u];
  while (queue.length > 0) {
    const x = queue.shift()!;
    for (const s of order[slotSection[x]!]!) {
      const y = scenarioSlot[s]!;
      if (y !== -1 && !reached.has(y)) {
        reached.add(y);
        queue.push(y);
      }
    }
  }
  return [...reached];
}
