import { describe, expect, it } from 'vitest';
import { deriveSeed, seededShuffle, shuffleAwayFromOriginal } from '~/domain/shuffle';

const letters = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));
const sorted = <T>(values: T[]) => [...values].sort();

describe('seededShuffle', () => {
  it('returns a permutation of the input', () => {
    for (let n = 0; n <= 10; n++) {
      for (let seed = 0; seed < 50; seed++) expect(sorted(seededShuffle(letters(n), seed))).toEqual(letters(n));
    }
  });

  it('returns the same order for the same seed', () => {
    for (let seed = 0; seed < 50; seed++) expect(seededShuffle(letters(8), seed)).toEqual(seededShuffle(letters(8), seed));
    expect(seededShuffle(letters(8), 2 ** 32 - 1)).toEqual(seededShuffle(letters(8), 2 ** 32 - 1));
  });

  it('returns different orders for different seeds', () => {
    const orders = new Set(Array.from({ length: 50 }, (_, seed) => seededShuffle(letters(8), seed).join('')));
    expect(orders.size).toBeGreaterThan(45);
  });

  it('does not change the input and returns a new array', () => {
    const input = Object.freeze(letters(6));
    const objects = [{ id: 'x' }, { id: 'y' }, { id: 'z' }];
    const copy = [...objects];
    const result = seededShuffle(input, 42);
    expect(input).toEqual(letters(6));
    expect(result).not.toBe(input);
    expect(seededShuffle(objects, 7)).not.toBe(objects);
    expect(objects).toEqual(copy);
    // Elements are moved, not copied.
    for (const element of seededShuffle(objects, 7)) expect(objects).toContain(element);
  });

  it('handles empty and one-element lists', () => {
    expect(seededShuffle([], 1)).toEqual([]);
    expect(seededShuffle(['only'], 1)).toEqual(['only']);
  });

  it('reaches every order of three, about equally often (including the original)', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 1200; seed++) {
      const key = seededShuffle(letters(3), deriveSeed(seed, 'spread')).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(sorted([...counts.keys()])).toEqual(['abc', 'acb', 'bac', 'bca', 'cab', 'cba']);
    for (const count of counts.values()) expect(count).toBeGreaterThan(140); // 200 expected
  });

  it('puts every element in every position over many seeds', () => {
    const seen = letters(5).map(() => new Set<string>());
    for (let seed = 0; seed < 200; seed++) seededShuffle(letters(5), seed).forEach((letter, i) => seen[i]?.add(letter));
    for (const position of seen) expect(sorted([...position])).toEqual(letters(5));
  });
});

describe('deriveSeed', () => {
  it('is the same for the same seed and key', () => {
    expect(deriveSeed(123, 'first-move')).toBe(deriveSeed(123, 'first-move'));
  });

  it('differs per key', () => {
    const keys = ['first-move', 'evidence-strength', 'what-to-collect', 'reply-to-seller', 'a', 'b', '', '0:first-move', '1:first-move', 'first-move:conclusions'];
    const seeds = keys.map((key) => deriveSeed(123, key));
    expect(new Set(seeds).size).toBe(keys.length);
  });

  it('differs per attempt seed', () => {
    const seeds = Array.from({ length: 100 }, (_, seed) => deriveSeed(seed, 'first-move'));
    expect(new Set(seeds).size).toBe(100);
  });

  it('gives an unsigned 32-bit integer', () => {
    for (const seed of [0, 1, -1, 2 ** 31, 2 ** 32 - 1, 987654321]) {
      const derived = deriveSeed(seed, 'item');
      expect(Number.isInteger(derived)).toBe(true);
      expect(derived).toBeGreaterThanOrEqual(0);
      expect(derived).toBeLessThan(2 ** 32);
    }
  });
});

describe('shuffleAwayFromOriginal', () => {
  it('never returns the original order when there are at least two elements', () => {
    for (let n = 2; n <= 8; n++) {
      const original = letters(n);
      for (let seed = 0; seed < 2000; seed++) {
        const result = shuffleAwayFromOriginal(original, seed);
        expect(result.join(''), `n=${n} seed=${seed}`).not.toBe(original.join(''));
        expect(sorted(result)).toEqual(original);
      }
    }
  });

  it('swaps two elements every time', () => {
    for (let seed = 0; seed < 100; seed++) expect(shuffleAwayFromOriginal(['a', 'b'], seed)).toEqual(['b', 'a']);
  });

  it('moves objects that are equal in value but distinct', () => {
    const steps = [{ id: 's1' }, { id: 's2' }, { id: 's3' }];
    for (let seed = 0; seed < 200; seed++) expect(shuffleAwayFromOriginal(steps, seed).map((s) => s.id).join()).not.toBe('s1,s2,s3');
  });

  it('is deterministic and does not change the input', () => {
    const input = Object.freeze(letters(5));
    for (let seed = 0; seed < 50; seed++) expect(shuffleAwayFromOriginal(input, seed)).toEqual(shuffleAwayFromOriginal(input, seed));
    expect(input).toEqual(letters(5));
  });

  it('still varies with the seed', () => {
    const orders = new Set(Array.from({ length: 100 }, (_, seed) => shuffleAwayFromOriginal(letters(4), seed).join('')));
    expect(orders.size).toBe(23); // every order of four but the original
  });

  it('returns a copy of a list too short to shuffle', () => {
    const one = ['only'];
    expect(shuffleAwayFromOriginal(one, 5)).toEqual(['only']);
    expect(shuffleAwayFromOriginal(one, 5)).not.toBe(one);
    expect(shuffleAwayFromOriginal([], 5)).toEqual([]);
  });
});
