// The arithmetic of /manage/insights, with every expected figure worked out by hand, and the chart
// components rendered to HTML: numbers present as text and as a table, headings in place.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BarChart, ChartSection, Funnel, NumbersTable } from '~/components/charts';
import {
  ELIGIBLE_STAGE,
  PASSED_STAGE,
  binIndex,
  commonestBin,
  examPercent,
  formatPercent,
  funnelSteps,
  passRate,
  passRates,
  percentOf,
  scoreBins,
  topicAverages,
} from '~/domain/insights';

describe('percentOf and formatPercent', () => {
  it('gives one decimal, rounded half up, and null when there is nothing to divide by', () => {
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(2, 3)).toBe(66.7);
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(3, 3)).toBe(100);
    expect(percentOf(0, 5)).toBe(0);
    expect(percentOf(0, 0)).toBeNull();
    expect(percentOf(4, 0)).toBeNull();
  });

  it('writes whole numbers without ".0" and no rate as a dash, never 0%', () => {
    expect(formatPercent(33.3)).toBe('33.3%');
    expect(formatPercent(100)).toBe('100%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('—');
  });
});

describe('funnelSteps', () => {
  // 10 learners: 2 with no week complete, 3 stopped after week 1, 1 after week 2, 0 after week 3,
  // 1 finished all 4 weeks but is not eligible yet, 1 eligible (or sat and failed), 2 certified.
  const tallies = [
    { stage: 0, learners: 2 },
    { stage: 1, learners: 3 },
    { stage: 2, learners: 1 },
    { stage: 4, learners: 1 },
    { stage: ELIGIBLE_STAGE, learners: 1 },
    { stage: PASSED_STAGE, learners: 2 },
  ];
  const steps = funnelSteps(tallies, 4);

  it('counts everyone who reached each step, so a certified learner is in every step', () => {
    expect(steps.map((s) => [s.label, s.learners])).toEqual([
      ['Enrolled', 10],
      ['Week 1 complete', 8],
      ['Week 2 complete', 5],
      ['Week 3 complete', 4],
      ['Week 4 complete', 4],
      ['Eligible for the exam', 3],
      ['Passed', 2],
    ]);
  });

  it('gives each step as a share of the enrolled and of the step before', () => {
    expect(steps.map((s) => s.percentOfEnrolled)).toEqual([100, 80, 50, 40, 40, 30, 20]);
    // 8/10, 5/8 = 62.5, 4/5, 4/4, 3/4, 2/3 = 66.7
    expect(steps.map((s) => s.percentOfPrevious)).toEqual([null, 80, 62.5, 80, 100, 75, 66.7]);
  });

  it('keeps every step, at 0 and without rates, when nobody is enrolled', () => {
    const empty = funnelSteps([], 2);
    expect(empty.map((s) => s.key)).toEqual(['enrolled', 'week-1', 'week-2', 'eligible', 'passed']);
    expect(empty.every((s) => s.learners === 0 && s.percentOfEnrolled === null)).toBe(true);
  });
});

describe('pass rates', () => {
  it('divides the certified by those who sat, and by those enrolled', () => {
    expect(passRate({ cohortId: 1, cohortName: 'A', enrolled: 8, sat: 4, certified: 3 })).toMatchObject({ passRate: 75, certifiedOfEnrolled: 37.5 });
    expect(passRate({ cohortId: 2, cohortName: 'B', enrolled: 5, sat: 0, certified: 0 })).toMatchObject({ passRate: null, certifiedOfEnrolled: 0 });
  });

  it('totals the counts before dividing (not an average of the rates)', () => {
    const { cohorts, total } = passRates([
      { cohortId: 1, cohortName: 'A', enrolled: 8, sat: 4, certified: 3 },
      { cohortId: 2, cohortName: 'B', enrolled: 2, sat: 2, certified: 0 },
    ]);
    expect(cohorts.map((c) => c.passRate)).toEqual([75, 0]);
    // (3 + 0) / (4 + 2) = 50%, where the mean of 75% and 0% would be 37.5%
    expect(total).toMatchObject({ enrolled: 10, sat: 6, certified: 3, passRate: 50, certifiedOfEnrolled: 30 });
  });
});

describe('topicAverages', () => {
  it('puts the weakest topic first, ties by name, and topics without points last', () => {
    const averages = topicAverages([
      { topic: 'payments', label: 'Payments', score: 9, maxScore: 10, items: 5 },
      { topic: 'privacy-safety', label: 'Privacy and safety', score: 3, maxScore: 8, items: 4 },
      { topic: 'case-notes', label: 'Case notes', score: 0, maxScore: 0, items: 1 },
      { topic: 'fraud-abuse', label: 'Fraud and abuse', score: 6, maxScore: 16, items: 8 },
    ]);
    // 3/8 = 37.5 and 6/16 = 37.5 tie: by label, Fraud before Privacy
    expect(averages.map((a) => [a.label, a.percent])).toEqual([
      ['Fraud and abuse', 37.5],
      ['Privacy and safety', 37.5],
      ['Payments', 90],
      ['Case notes', null],
    ]);
  });
});

describe('score bins', () => {
  it('puts a percent in its 10-point bin, 100 in the last, and clamps the out-of-range', () => {
    expect(binIndex(0)).toBe(0);
    expect(binIndex(9.9)).toBe(0);
    expect(binIndex(10)).toBe(1);
    expect(binIndex(79.9)).toBe(7);
    expect(binIndex(80)).toBe(8);
    expect(binIndex(100)).toBe(9);
    expect(binIndex(-5)).toBe(0);
    expect(binIndex(120)).toBe(9);
  });

  it('rounds a score as the result page does before binning', () => {
    // 139/200 = 69.5% → bin 6; 1399/2000 = 69.95% shows as 70% → bin 7
    expect(examPercent(139, 200)).toBe(69.5);
    expect(examPercent(1399, 2000)).toBe(70);
    expect(binIndex(examPercent(1399, 2000))).toBe(7);
  });

  it('counts graded attempts into ten bins, empty ones kept', () => {
    const bins = scoreBins([
      { score: 45, maxScore: 50, attempts: 3 }, // 90% → 90–100
      { score: 50, maxScore: 50, attempts: 1 }, // 100% → 90–100
      { score: 20, maxScore: 50, attempts: 2 }, // 40% → 40–49
      { score: 0, maxScore: 50, attempts: 1 }, // 0% → 0–9
      { score: 5, maxScore: 0, attempts: 7 }, // no maximum: not a score, left out
    ]);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.attempts)).toEqual([1, 0, 0, 0, 2, 0, 0, 0, 0, 4]);
    expect(bins[0]).toMatchObject({ from: 0, to: 10, label: '0–9%' });
    expect(bins[9]).toMatchObject({ from: 90, to: 100, label: '90–100%' });
    expect(commonestBin(bins)?.label).toBe('90–100%');
  });

  it('has no commonest bin without attempts, and picks the lower of equal bins', () => {
    expect(commonestBin(scoreBins([]))).toBeNull();
    const tied = scoreBins([
      { score: 3, maxScore: 10, attempts: 2 },
      { score: 8, maxScore: 10, attempts: 2 },
    ]);
    expect(commonestBin(tied)?.label).toBe('30–39%');
  });
});

describe('chart components', () => {
  const bars = [
    { key: 'a', label: 'Enrolled', value: 10, valueText: '10 (100%)' },
    { key: 'b', label: 'Passed', value: 0, valueText: '0 (0%)' },
  ];

  it('draws a labelled list whose labels and values are text, bars scaled to the largest', () => {
    const html = renderToStaticMarkup(createElement(BarChart, { label: 'Learners at each step', bars }));
    expect(html).toContain('<ul aria-label="Learners at each step"');
    expect(html).toContain('Enrolled');
    expect(html).toContain('10 (100%)');
    expect(html).toContain('0 (0%)');
    expect(html).toContain('width:100%');
    expect(html).toContain('width:0%');
  });

  it('scales a funnel to its first step', () => {
    const html = renderToStaticMarkup(createElement(Funnel, { label: 'Funnel', steps: [{ ...bars[0]!, value: 8 }, { ...bars[1]!, value: 2 }] }));
    expect(html).toContain('width:25%');
  });

  it('gives the numbers as a real table with a caption and headers under "Show the numbers"', () => {
    const html = renderToStaticMarkup(
      createElement(NumbersTable, {
        table: { caption: 'Learners at each step', columns: ['Step', 'Learners'], rows: [{ key: 'a', header: 'Enrolled', cells: [10] }], footer: { header: 'All', cells: [10] } },
      }),
    );
    expect(html).toMatch(/<details[^>]*><summary[^>]*>Show the numbers<\/summary>/);
    expect(html).toContain('<caption class="sr-only">Learners at each step</caption>');
    expect(html).toContain('<th scope="col"');
    expect(html).toMatch(/<th scope="row"[^>]*>Enrolled<\/th><td[^>]*>10<\/td>/);
    expect(html).toContain('<tfoot>');
  });

  it('heads each chart and names the section by its heading', () => {
    const html = renderToStaticMarkup(createElement(ChartSection, { id: 'funnel', title: 'From enrolment to certification', summary: 'Of 10 learners…' }, 'chart'));
    expect(html).toContain('<section aria-labelledby="funnel-title"');
    expect(html).toMatch(/<h2 id="funnel-title"[^>]*>From enrolment to certification<\/h2>/);
    expect(html).toContain('Of 10 learners…');
  });
});
