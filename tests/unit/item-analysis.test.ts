import { describe, expect, it } from 'vitest';
import { analyseExam, chosenOptionIds, itemFlags, itemStatistics, optionFrequencies, testStatistics, type AttemptScores } from '~/domain/item-analysis';

/**
 * Five attempts at a three-item test. A and B are worth 1 point, C 2 points (max 4 per attempt).
 *
 *          A   B   C   total   percent
 *   a1     1   1   2     4      100
 *   a2     1   1   1     3       75
 *   a3     1   0   2     3       75
 *   a4     0   1   0     1       25
 *   a5     1   0   0     1       25
 */
const MATRIX: [number, number, number][] = [
  [1, 1, 2],
  [1, 1, 1],
  [1, 0, 2],
  [0, 1, 0],
  [1, 0, 0],
];
const MAX = [1, 1, 2];
const KEYS = ['A', 'B', 'C'];

function attemptsOf(matrix: readonly (readonly number[])[], max: readonly number[] = MAX): AttemptScores[] {
  return matrix.map((row, a) => ({
    attemptId: a + 1,
    items: row.map((score, position) => ({ itemId: KEYS[position] ?? `I${position}`, position, score, max: max[position] ?? 1 })),
  }));
}

const byId = (stats: ReturnType<typeof itemStatistics>, id: string) => {
  const found = stats.find((s) => s.itemId === id);
  if (!found) throw new Error(`no statistics for ${id}`);
  return found;
};

describe('item statistics, computed by hand', () => {
  const stats = itemStatistics(attemptsOf(MATRIX));

  it('item A: facility 80 %, SD 44.72 %, discrimination 29.42, efficiency 37.5 %', () => {
    // x = A's score as a fraction of 1 = [1,1,1,0,1]; mean 0.8 → facility 80 %.
    // x − x̄ = [.2,.2,.2,−.8,.2]; Σ² = 4·.04 + .64 = .8; variance .8/4 = .2; SD √.2 = .44721 → 44.72 %.
    // rest = total − A = [3,2,2,1,0]; mean 1.6; rest − r̄ = [1.4,.4,.4,−.6,−1.6];
    //   Σ² = 1.96+.16+.16+.36+2.56 = 5.2; variance 1.3.
    // Σ (x−x̄)(rest−r̄) = .28+.08+.08+.48−.32 = .6; covariance .15.
    // discrimination = 100·.15/√(.2·1.3) = 15/.50990 = 29.417.
    // Sorted x [0,1,1,1,1] − .8 = [−.8,.2,.2,.2,.2]; sorted rest [0,1,2,2,3] − 1.6 = [−1.6,−.6,.4,.4,1.4];
    //   Σ products = 1.28−.12+.08+.08+.28 = 1.6; covariance max .4; efficiency 100·.15/.4 = 37.5.
    const a = byId(stats, 'A');
    expect(a.n).toBe(5);
    expect(a.facility).toBeCloseTo(80, 6);
    expect(a.sd).toBeCloseTo(44.7214, 3);
    expect(a.discrimination).toBeCloseTo(29.4174, 3);
    expect(a.efficiency).toBeCloseTo(37.5, 6);
    expect(a.flags).toEqual([]);
  });

  it('item B discriminates negatively: −14.00, efficiency −15.38 %, flagged', () => {
    // x = [1,1,0,1,0]; mean .6 → facility 60 %; x − x̄ = [.4,.4,−.6,.4,−.6]; Σ² = 1.2; variance .3; SD 54.77 %.
    // rest = [3,2,3,0,1]; mean 1.8; rest − r̄ = [1.2,.2,1.2,−1.8,−.8]; Σ² = 1.44+.04+1.44+3.24+.64 = 6.8; variance 1.7.
    // Σ products = .48+.08−.72−.72+.48 = −.4; covariance −.1; discrimination = 100·(−.1)/√(.3·1.7) = −10/.71414 = −14.003.
    // Sorted x − .6 = [−.6,−.6,.4,.4,.4]; sorted rest − 1.8 = [−1.8,−.8,.2,1.2,1.2];
    //   Σ = 1.08+.48+.08+.48+.48 = 2.6; covariance max .65; efficiency −.1/.65 = −15.385 %.
    const b = byId(stats, 'B');
    expect(b.facility).toBeCloseTo(60, 6);
    expect(b.sd).toBeCloseTo(54.7723, 3);
    expect(b.discrimination).toBeCloseTo(-14.0028, 3);
    expect(b.efficiency).toBeCloseTo(-15.3846, 3);
    expect(b.flags).toEqual(['poor-discrimination']);
  });

  it('item C (2 points): facility 50 %, SD 50 %, discrimination 45.64, efficiency 50 %', () => {
    // x = C / 2 = [1,.5,1,0,0]; mean .5 → 50 %; x − x̄ = [.5,0,.5,−.5,−.5]; Σ² = 1; variance .25; SD .5 → 50 %.
    // rest = [2,2,1,1,1]; mean 1.4; rest − r̄ = [.6,.6,−.4,−.4,−.4]; Σ² = 1.2; variance .3.
    // Σ products = .3+0−.2+.2+.2 = .5; covariance .125; discrimination = 12.5/√(.25·.3) = 12.5/.27386 = 45.644.
    // Sorted x − .5 = [−.5,−.5,0,.5,.5]; sorted rest − 1.4 = [−.4,−.4,−.4,.6,.6];
    //   Σ = .2+.2+0+.3+.3 = 1; covariance max .25; efficiency .125/.25 = 50 %.
    const c = byId(stats, 'C');
    expect(c.facility).toBeCloseTo(50, 6);
    expect(c.sd).toBeCloseTo(50, 6);
    expect(c.discrimination).toBeCloseTo(45.6435, 3);
    expect(c.efficiency).toBeCloseTo(50, 6);
    expect(c.flags).toEqual([]);
  });
});

describe('test statistics, computed by hand', () => {
  // Percentages T = [100,75,75,25,25]; mean 60; sorted [25,25,75,75,100] → median 75.
  // T − 60 = [40,15,15,−35,−35]: Σ² = 1600+225+225+1225+1225 = 4500; Σ³ = 64000+3375+3375−42875−42875 = −15000;
  //   Σ⁴ = 2560000+50625+50625+1500625+1500625 = 5662500.
  // SD = √(4500/4) = √1125 = 33.541.
  // m2 = 900, m3 = −3000, m4 = 1132500; k2 = 5·900/4 = 1125; k3 = 25·(−3000)/(4·3) = −6250;
  //   skewness = −6250/1125^1.5 = −6250/37733.6 = −0.16563.
  // k4 = 25·(6·1132500 − 3·4·900²)/(4·3·2) = 25·(6795000 − 9720000)/24 = −3046875; kurtosis = −3046875/1125² = −2.4074.
  // CIC: each position in points × 100/4: A [25,25,25,0,25] variance .2·625 = 125; B [25,25,0,25,0] variance .3·625 = 187.5;
  //   C [50,25,50,0,0] variance 1·625 = 625 (C in points: [2,1,2,0,0], mean 1, Σ² = 4, variance 1). Σ = 937.5.
  //   CIC = 100·3/2·(1 − 937.5/1125) = 150·(1/6) = 25 %. Error ratio = 100·√(1 − .25) = 86.603 %.
  //   Standard error = 86.603 % · 33.541 = 29.047 (percentage points).
  const test = testStatistics(attemptsOf(MATRIX));

  it('has the mean, median, standard deviation, skewness and kurtosis', () => {
    expect(test.attempts).toBe(5);
    expect(test.positions).toBe(3);
    expect(test.mean).toBeCloseTo(60, 6);
    expect(test.median).toBeCloseTo(75, 6);
    expect(test.sd).toBeCloseTo(33.5410, 3);
    expect(test.skewness).toBeCloseTo(-0.16563, 4);
    expect(test.kurtosis).toBeCloseTo(-2.40741, 4);
  });

  it("has the coefficient of internal consistency (Cronbach's alpha), error ratio and standard error", () => {
    expect(test.cic).toBeCloseTo(25, 6);
    expect(test.errorRatio).toBeCloseTo(86.6025, 3);
    expect(test.standardError).toBeCloseTo(29.0474, 3);
  });

  it('takes the median of an even number of attempts as the mean of the two middle ones', () => {
    // a1, a2, a blank attempt and a4: T = [100,75,0,25] → sorted [0,25,75,100] → (25+75)/2 = 50.
    expect(testStatistics(attemptsOf([MATRIX[0] ?? [], MATRIX[1] ?? [], [0, 0, 0], MATRIX[3] ?? []])).median).toBe(50);
  });

  it('works on the percentage of each attempt’s own maximum when drawn items differ in points', () => {
    // One attempt scores 2 of 2, the other 3 of 6: 100 % and 50 %, mean 75.
    const mixed: AttemptScores[] = [
      { attemptId: 1, items: [{ itemId: 'X', position: 0, score: 1, max: 1 }, { itemId: 'Y', position: 1, score: 1, max: 1 }] },
      { attemptId: 2, items: [{ itemId: 'X', position: 0, score: 1, max: 1 }, { itemId: 'Z', position: 1, score: 2, max: 5 }] },
    ];
    const stats = testStatistics(mixed);
    expect(stats.mean).toBe(75);
    expect(stats.sd).toBeCloseTo(Math.sqrt(((100 - 75) ** 2 + (50 - 75) ** 2) / 1), 6);
  });
});

describe('edge cases: null, never NaN', () => {
  const noNaN = (value: unknown) => expect(JSON.stringify(value)).not.toMatch(/NaN|Infinity/);

  it('one attempt: a mean and a median, nothing that needs a spread', () => {
    const { test, items } = analyseExam(attemptsOf([[1, 0, 2]]));
    expect(test).toMatchObject({ attempts: 1, mean: 75, median: 75, sd: null, skewness: null, kurtosis: null, cic: null, errorRatio: null, standardError: null });
    expect(byId(items, 'A')).toMatchObject({ n: 1, facility: 100, sd: null, discrimination: null, efficiency: null });
    expect(byId(items, 'B').facility).toBe(0);
    // Facility is known, so the flags that rest on it apply; discrimination is unknown and flags nothing.
    expect(byId(items, 'A').flags).toEqual(['too-easy']);
    expect(byId(items, 'B').flags).toEqual(['too-hard']);
    noNaN({ test, items });
  });

  it('no attempts: all null', () => {
    const { test, items } = analyseExam([]);
    expect(items).toEqual([]);
    expect(test).toMatchObject({ attempts: 0, mean: null, median: null, sd: null, cic: null });
  });

  it('an item everyone got right: SD 0, discrimination and efficiency null, flagged too easy', () => {
    const stats = itemStatistics(attemptsOf([[1, 1, 2], [1, 0, 1], [1, 1, 0], [1, 0, 0]]));
    expect(byId(stats, 'A')).toMatchObject({ facility: 100, sd: 0, discrimination: null, efficiency: null, flags: ['too-easy'] });
    noNaN(stats);
  });

  it('every attempt with the same total: SD 0, and no skewness, kurtosis or CIC', () => {
    const test = testStatistics(attemptsOf([[1, 0, 2], [0, 1, 2], [1, 1, 1], [1, 1, 1]]));
    expect(test.sd).toBe(0);
    expect(test).toMatchObject({ skewness: null, kurtosis: null, cic: null, errorRatio: null, standardError: null });
    noNaN(test);
  });

  it('a one-item test has no CIC (it needs two positions)', () => {
    const single: AttemptScores[] = [1, 0, 1, 0].map((score, i) => ({ attemptId: i, items: [{ itemId: 'A', position: 0, score, max: 1 }] }));
    const test = testStatistics(single);
    expect(test.sd).not.toBeNull();
    expect(test.cic).toBeNull();
  });
});

describe('flags', () => {
  it('too easy above 95 %, too hard below 20 %, poor discrimination below 20 (0.2) or negative', () => {
    expect(itemFlags({ facility: 95, discrimination: 20 })).toEqual([]);
    expect(itemFlags({ facility: 95.1, discrimination: 50 })).toEqual(['too-easy']);
    expect(itemFlags({ facility: 19.9, discrimination: 50 })).toEqual(['too-hard']);
    expect(itemFlags({ facility: 50, discrimination: 19.9 })).toEqual(['poor-discrimination']);
    expect(itemFlags({ facility: 50, discrimination: -30 })).toEqual(['poor-discrimination']);
    expect(itemFlags({ facility: null, discrimination: null })).toEqual([]);
  });
});

describe('option frequencies', () => {
  const options = [
    { id: 'a', text: 'Refund now', correct: false },
    { id: 'b', text: 'Check the tracking first', correct: true },
    { id: 'c', text: 'Ask for the card number', correct: false },
  ];

  it('counts each option chosen and the blanks, as a share of all responses', () => {
    const result = optionFrequencies(options, [{ optionId: 'b' }, { optionId: 'b' }, { optionId: 'a' }, null, { optionIds: ['a', 'c'] }]);
    expect(result.total).toBe(5);
    expect(result.blank).toBe(1);
    expect(result.options.map((o) => [o.id, o.count, o.percent])).toEqual([
      ['a', 2, 40],
      ['b', 2, 40],
      ['c', 1, 20],
    ]);
    expect(result.options.find((o) => o.id === 'b')?.correct).toBe(true);
  });

  it('keeps a choice of an option that is no longer in the item, and counts an empty choice as blank', () => {
    const result = optionFrequencies(options, [{ optionId: 'gone' }, { optionIds: [] }]);
    expect(result.blank).toBe(1);
    expect(result.options.at(-1)).toMatchObject({ id: 'gone', count: 1, percent: 50 });
  });

  it('reads both response shapes', () => {
    expect(chosenOptionIds({ optionId: 'x' })).toEqual(['x']);
    expect(chosenOptionIds({ optionIds: ['x', 'y'] })).toEqual(['x', 'y']);
    expect(chosenOptionIds(null)).toEqual([]);
    expect(chosenOptionIds({ text: 'hi' })).toEqual([]);
  });
});
