// The arithmetic behind /manage/insights ("the picture"). Pure: the queries count, these functions
// turn counts into funnel steps, rates, averages and bins. Percentages have one decimal and are null
// when there is nothing to divide by (shown as "—", never as 0%).

/** part of whole, in percent with one decimal; null when whole is 0. */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((1000 * part) / whole) / 10;
}

/** "48.5%", or "—" when there is no rate. Whole numbers lose the ".0". */
export function formatPercent(value: number | null): string {
  if (value === null) return '—';
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

// A learner's furthest stage in the funnel. Weeks are 0..n (the number of leading weeks complete);
// these two sit above any week.
export const ELIGIBLE_STAGE = 1000;
export const PASSED_STAGE = 1001;

export interface StageTally {
  /** 0..n: the first `stage` weeks are complete (and not yet eligible); or ELIGIBLE_STAGE, PASSED_STAGE. */
  stage: number;
  learners: number;
}

export interface FunnelStep {
  key: string;
  label: string;
  learners: number;
  /** Of everyone enrolled. */
  percentOfEnrolled: number | null;
  /** Of the step before (null for the first). */
  percentOfPrevious: number | null;
}

/**
 * Enrolled → week 1 complete → … → week `weeks` complete → eligible → passed. Each step counts the
 * learners who reached it, so a learner further on is counted in every step before: the steps never grow.
 */
export function funnelSteps(tallies: readonly StageTally[], weeks: number): FunnelStep[] {
  const reached = (stage: number) => tallies.reduce((n, t) => (t.stage >= stage ? n + t.learners : n), 0);
  const steps: { key: string; label: string; learners: number }[] = [{ key: 'enrolled', label: 'Enrolled', learners: reached(0) }];
  for (let week = 1; week <= weeks; week++) steps.push({ key: `week-${week}`, label: `Week ${week} complete`, learners: reached(week) });
  steps.push({ key: 'eligible', label: 'Eligible for the exam', learners: reached(ELIGIBLE_STAGE) });
  steps.push({ key: 'passed', label: 'Passed', learners: reached(PASSED_STAGE) });
  const enrolled = steps[0]?.learners ?? 0;
  return steps.map((step, i) => ({
    ...step,
    percentOfEnrolled: percentOf(step.learners, enrolled),
    percentOfPrevious: i === 0 ? null : percentOf(step.learners, steps[i - 1]?.learners ?? 0),
  }));
}

export interface CohortTally {
  cohortId: number | null;
  cohortName: string;
  enrolled: number;
  /** Learners with a graded exam attempt (or a certification). */
  sat: number;
  /** Learners who hold or held a certification. */
  certified: number;
}

export interface CohortPassRate extends CohortTally {
  /** certified / sat */
  passRate: number | null;
  /** certified / enrolled */
  certifiedOfEnrolled: number | null;
}

export function passRate(tally: CohortTally): CohortPassRate {
  return { ...tally, passRate: percentOf(tally.certified, tally.sat), certifiedOfEnrolled: percentOf(tally.certified, tally.enrolled) };
}

/** Every cohort's rates and, after them, the rates of all of them together. */
export function passRates(tallies: readonly CohortTally[]): { cohorts: CohortPassRate[]; total: CohortPassRate } {
  const sum = (key: 'enrolled' | 'sat' | 'certified') => tallies.reduce((n, t) => n + t[key], 0);
  return {
    cohorts: tallies.map(passRate),
    total: passRate({ cohortId: null, cohortName: 'All', enrolled: sum('enrolled'), sat: sum('sat'), certified: sum('certified') }),
  };
}

export interface TopicTally {
  topic: string;
  label: string;
  /** Points earned and available over the graded exam items of this topic. */
  score: number;
  maxScore: number;
  items: number;
}

export interface TopicAverage extends TopicTally {
  /** The share of the available points earned, in percent; null without any. */
  percent: number | null;
}

/** Average score by topic, weakest first (ties by label); topics with nothing to score come last. */
export function topicAverages(tallies: readonly TopicTally[]): TopicAverage[] {
  return tallies
    .map((t) => ({ ...t, percent: percentOf(t.score, t.maxScore) }))
    .sort((a, b) => {
      if (a.percent === null || b.percent === null) return a.percent === null ? (b.percent === null ? a.label.localeCompare(b.label) : 1) : -1;
      return a.percent - b.percent || a.label.localeCompare(b.label);
    });
}

/** An exam score as the learner sees it on their result: percent with one decimal. */
export function examPercent(score: number, maxScore: number): number {
  return percentOf(score, maxScore) ?? 0;
}

export interface ScoreBin {
  /** Lower bound, included. */
  from: number;
  /** Upper bound, excluded, except in the last bin (90–100) which holds 100. */
  to: number;
  label: string;
  attempts: number;
}

/** The bin (0–9) of a percent: 10-point bins, 100 in the last one; out-of-range values are clamped. */
export function binIndex(percent: number): number {
  return Math.min(9, Math.max(0, Math.floor(percent / 10)));
}

/** Graded attempts counted by (score, maxScore) → ten 10-point bins of their percent, empty ones included. */
export function scoreBins(counts: readonly { score: number; maxScore: number; attempts: number }[]): ScoreBin[] {
  const bins: ScoreBin[] = Array.from({ length: 10 }, (_, i) => ({
    from: i * 10,
    to: i === 9 ? 100 : i * 10 + 10,
    label: i === 9 ? '90–100%' : `${i * 10}–${i * 10 + 9}%`,
    attempts: 0,
  }));
  for (const c of counts) {
    if (c.maxScore <= 0) continue;
    const bin = bins[binIndex(examPercent(c.score, c.maxScore))];
    if (bin) bin.attempts += c.attempts;
  }
  return bins;
}

/** The fullest bin (the lowest of equals), or null when no attempt was counted. */
export function commonestBin(bins: readonly ScoreBin[]): ScoreBin | null {
  return bins.reduce<ScoreBin | null>((best, b) => (b.attempts > 0 && (best === null || b.attempts > best.attempts) ? b : best), null);
}

/** The picture lists certifications expiring within this many days. */
export const EXPIRING_WITHIN_DAYS = 30;
