// Deterministic shuffling: an attempt stores one seed, and every item's option order is derived
// from it, so a reload, a resume and the grader all see the same order without storing it.

/** mulberry32: a small, fast PRNG with a 32-bit state; plenty for ordering options. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from the attempt's seed and a key (e.g. the item's position and id). */
export function deriveSeed(seed: number, key: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Fisher–Yates with the seeded generator; the input is not changed. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const random = mulberry32(seed);
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

/**
 * A shuffle that never returns the original order (when there are at least two elements), for
 * items where the original order is the answer.
 */
export function shuffleAwayFromOriginal<T>(items: readonly T[], seed: number): T[] {
  if (items.length < 2) return [...items];
  for (let attempt = 0; attempt < 8; attempt++) {
    const shuffled = seededShuffle(items, seed + attempt);
    if (shuffled.some((item, i) => item !== items[i])) return shuffled;
  }
  return [...items.slice(1), items[0] as T];
}
