// Item analysis of exam results, with the definitions Moodle's quiz statistics report uses
// (docs.moodle.org/dev/Quiz_statistics_calculations; question/classes/statistics/questions/calculator.php
// and mod/quiz/report/statistics/classes/calculator.php). Pure: scores in, statistics out.
//
// An exam draws its items at random, so an item is analysed over the attempts that drew it, and the
// test as a whole over its positions (item 1, item 2… of every attempt), as Moodle does for random
// questions. Variances and covariances divide by n − 1. Anything that cannot be computed (too few
// attempts, no spread) is null, never NaN or Infinity.

export interface ItemScore {
  /** The item across attempts (scenario id + item key). */
  itemId: string;
  /** Its place in the attempt (the exam's item number). */
  position: number;
  score: number;
  max: number;
}

export interface AttemptScores {
  attemptId: number;
  items: readonly ItemScore[];
}

export type ItemFlag = 'too-easy' | 'too-hard' | 'poor-discrimination';

export interface ItemStatistics {
  itemId: string;
  /** Attempts that drew the item. */
  n: number;
  /** Mean score as a percentage of the item's maximum. */
  facility: number | null;
  /** Standard deviation of the score, as a percentage of the item's maximum. */
  sd: number | null;
  /** 100 × the correlation of the item's score with the rest of the test (total minus this item). */
  discrimination: number | null;
  /** 100 × the covariance with the rest of the test over the largest covariance those scores allow. */
  efficiency: number | null;
  flags: ItemFlag[];
}

export interface TestStatistics {
  /** Attempts analysed. */
  attempts: number;
  /** Positions (items per attempt). */
  positions: number;
  /** Mean, median, standard deviation and standard error are percentages of the attempt's maximum. */
  mean: number | null;
  median: number | null;
  sd: number | null;
  skewness: number | null;
  kurtosis: number | null;
  /** Coefficient of internal consistency (Cronbach's alpha), as a percentage. */
  cic: number | null;
  /** Percentage of the standard deviation that is due to chance: 100 × √(1 − CIC/100). */
  errorRatio: number | null;
  standardError: number | null;
}

/** Thresholds from the issue: facility above 95 % or below 20 %, discrimination below 0.2 (20 here). */
export const TOO_EASY_ABOVE = 95;
export const TOO_HARD_BELOW = 20;
export const POOR_DISCRIMINATION_BELOW = 20;

const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Σ (a − ā)(b − b̄) / (n − 1); the caller checks n > 1. */
function covariance(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  return a.reduce((sum, v, i) => sum + (v - ma) * ((b[i] ?? mb) - mb), 0) / (a.length - 1);
}

/** The attempt's total and maximum. */
function totals(attempt: AttemptScores): { score: number; max: number } {
  return attempt.items.reduce((t, i) => ({ score: t.score + i.score, max: t.max + i.max }), { score: 0, max: 0 });
}

export function itemFlags(stats: Pick<ItemStatistics, 'facility' | 'discrimination'>): ItemFlag[] {
  const flags: ItemFlag[] = [];
  if (stats.facility !== null && stats.facility > TOO_EASY_ABOVE) flags.push('too-easy');
  if (stats.facility !== null && stats.facility < TOO_HARD_BELOW) flags.push('too-hard');
  if (stats.discrimination !== null && stats.discrimination < POOR_DISCRIMINATION_BELOW) flags.push('poor-discrimination');
  return flags;
}

/**
 * Each item's statistics over the attempts that drew it. The item's score is taken as a fraction of its
 * maximum (so a version that changed its points still compares); the rest of the test is in points.
 */
export function itemStatistics(attempts: readonly AttemptScores[]): ItemStatistics[] {
  const byItem = new Map<string, { fraction: number[]; rest: number[] }>();
  for (const attempt of attempts) {
    const total = totals(attempt).score;
    for (const item of attempt.items) {
      const entry = byItem.get(item.itemId) ?? { fraction: [], rest: [] };
      entry.fraction.push(item.max > 0 ? item.score / item.max : 0);
      entry.rest.push(total - item.score);
      byItem.set(item.itemId, entry);
    }
  }
  return [...byItem].map(([itemId, { fraction, rest }]) => {
    const n = fraction.length;
    const facility = n > 0 ? finite(100 * mean(fraction)) : null;
    let sd: number | null = null;
    let discrimination: number | null = null;
    let efficiency: number | null = null;
    if (n > 1) {
      const variance = covariance(fraction, fraction);
      const restVariance = covariance(rest, rest);
      const cov = covariance(fraction, rest);
      sd = finite(100 * Math.sqrt(variance));
      // Moodle: null when either variance is 0 (everyone scored the same).
      if (variance * restVariance > 0) discrimination = finite((100 * cov) / Math.sqrt(variance * restVariance));
      // The largest covariance these two sets of scores allow: both sorted, paired in order.
      const sortedFraction = [...fraction].sort((a, b) => a - b);
      const sortedRest = [...rest].sort((a, b) => a - b);
      const mf = mean(fraction);
      const mr = mean(rest);
      const covMax = sortedFraction.reduce((sum, v, i) => sum + (v - mf) * ((sortedRest[i] ?? mr) - mr), 0) / (n - 1);
      if (covMax !== 0) efficiency = finite((100 * cov) / covMax);
    }
    const stats = { itemId, n, facility, sd, discrimination, efficiency };
    return { ...stats, flags: itemFlags(stats) };
  });
}

/**
 * The test's statistics. Each attempt's score is a percentage of its own maximum (drawn items may be
 * worth different points); each position's score is on the same scale (100 × points / the attempt's
 * maximum), so the positions add up to the attempt's percentage, as Moodle's slot marks add up to the
 * quiz grade. As in Moodle: skewness and the CIC need 3 attempts (the CIC also 2 positions), kurtosis 4.
 */
export function testStatistics(attempts: readonly AttemptScores[]): TestStatistics {
  const s = attempts.length;
  const positionsSeen = new Set(attempts.flatMap((a) => a.items.map((i) => i.position)));
  const empty: TestStatistics = {
    attempts: s,
    positions: positionsSeen.size,
    mean: null,
    median: null,
    sd: null,
    skewness: null,
    kurtosis: null,
    cic: null,
    errorRatio: null,
    standardError: null,
  };
  if (s === 0) return empty;
  const percents = attempts.map((a) => {
    const t = totals(a);
    return t.max > 0 ? (100 * t.score) / t.max : 0;
  });
  const avg = mean(percents);
  const sorted = [...percents].sort((a, b) => a - b);
  const middle = Math.floor(s / 2);
  const median = s % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  const result: TestStatistics = { ...empty, mean: finite(avg), median: finite(median) };
  if (s < 2) return result;

  const power = (k: number) => percents.reduce((sum, v) => sum + (v - avg) ** k, 0);
  const sd = Math.sqrt(power(2) / (s - 1));
  result.sd = finite(sd);
  if (s < 3) return result;
  const m2 = power(2) / s;
  const m3 = power(3) / s;
  const m4 = power(4) / s;
  const k2 = (s * m2) / (s - 1);
  const k3 = (s * s * m3) / ((s - 1) * (s - 2));
  if (k2 === 0) return result;
  result.skewness = finite(k3 / k2 ** 1.5);
  if (s > 3) {
    const k4 = (s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2)) / ((s - 1) * (s - 2) * (s - 3));
    result.kurtosis = finite(k4 / (k2 * k2));
  }
  const p = positionsSeen.size;
  if (p > 1) {
    // Σ of each position's variance, on the percentage scale; a position an attempt lacks scores 0.
    const sumOfPositionVariance = [...positionsSeen].reduce((sum, position) => {
      const scaled = attempts.map((a) => {
        const max = totals(a).max;
        const points = a.items.filter((i) => i.position === position).reduce((n, i) => n + i.score, 0);
        return max > 0 ? (100 * points) / max : 0;
      });
      return sum + covariance(scaled, scaled);
    }, 0);
    const cic = ((100 * p) / (p - 1)) * (1 - sumOfPositionVariance / k2);
    result.cic = finite(cic);
    result.errorRatio = finite(100 * Math.sqrt(1 - cic / 100));
    result.standardError = result.errorRatio === null ? null : finite((result.errorRatio * sd) / 100);
  }
  return result;
}

export function analyseExam(attempts: readonly AttemptScores[]): { test: TestStatistics; items: ItemStatistics[] } {
  return { test: testStatistics(attempts), items: itemStatistics(attempts) };
}

// ——— How often each choice was made ———

export interface OptionChoice {
  id: string;
  text: string;
  correct: boolean;
}

export interface OptionFrequency extends OptionChoice {
  count: number;
  /** Percentage of the responses to the item (answered or not). */
  percent: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The option ids a saved response to a choice item holds ({optionId} or {optionIds}); none for a blank. */
export function chosenOptionIds(response: unknown): string[] {
  if (!isObject(response)) return [];
  if (typeof response.optionId === 'string') return [response.optionId];
  if (Array.isArray(response.optionIds)) return response.optionIds.filter((id): id is string => typeof id === 'string');
  return [];
}

/**
 * How often each option was chosen over `responses` (one per attempt; null when left blank), and how
 * many left the item blank. An id that is not among `options` (an option since removed) is counted
 * under its id so nothing disappears.
 */
export function optionFrequencies(
  options: readonly OptionChoice[],
  responses: readonly unknown[],
): { options: OptionFrequency[]; blank: number; total: number } {
  const counts = new Map<string, number>();
  let blank = 0;
  for (const response of responses) {
    const chosen = [...new Set(chosenOptionIds(response))];
    if (chosen.length === 0) blank++;
    for (const id of chosen) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  const total = responses.length;
  const percent = (count: number) => (total === 0 ? 0 : (100 * count) / total);
  const known = options.map((o) => ({ ...o, count: counts.get(o.id) ?? 0, percent: percent(counts.get(o.id) ?? 0) }));
  const unknown = [...counts]
    .filter(([id]) => !options.some((o) => o.id === id))
    .map(([id, count]) => ({ id, text: `(option “${id}”, no longer in the item)`, correct: false, count, percent: percent(count) }));
  return { options: [...known, ...unknown], blank, total };
}
