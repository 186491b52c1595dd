import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, useLoaderData } from '@remix-run/react';
import { z } from 'zod';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import type { ItemFlag } from '~/domain/item-analysis';
import { analyseExamItems, listAnalysableExams, type AnalysedItem } from '~/models/item-analysis.server';

const SORTS = { flagged: 'Flagged first', facility: 'Facility (hardest first)', discrimination: 'Discrimination (weakest first)', scenario: 'Scenario' } as const;
type Sort = keyof typeof SORTS;

const querySchema = z.object({
  exam: z.string().optional(),
  attempts: z.enum(['first', 'all']).catch('first'),
  sort: z.enum(Object.keys(SORTS) as [Sort, ...Sort[]]).catch('flagged'),
});

/** Statistics need a spread: below this many attempts the page says so instead. */
const MIN_ATTEMPTS = 2;

const lowFirst = (a: number | null, b: number | null) => (a ?? Infinity) - (b ?? Infinity);

function sortItems(items: AnalysedItem[], sort: Sort): AnalysedItem[] {
  const byScenario = (a: AnalysedItem, b: AnalysedItem) => a.scenarioTitle.localeCompare(b.scenarioTitle) || a.itemKey.localeCompare(b.itemKey);
  const sorted = [...items];
  if (sort === 'facility') return sorted.sort((a, b) => lowFirst(a.facility, b.facility) || byScenario(a, b));
  if (sort === 'discrimination') return sorted.sort((a, b) => lowFirst(a.discrimination, b.discrimination) || byScenario(a, b));
  if (sort === 'scenario') return sorted.sort(byScenario);
  return sorted.sort((a, b) => b.flags.length - a.flags.length || lowFirst(a.discrimination, b.discrimination) || byScenario(a, b));
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const exams = await listAnalysableExams(db());
  const exam = query.exam ? exams.find((e) => e.id === query.exam) : (exams.find((e) => !e.retired) ?? exams[0]);
  if (query.exam && !exam) throw new Response('There is no such exam.', { status: 404 });
  if (!exam) return { exams, examId: null, attempts: query.attempts, sort: query.sort, analysis: null };
  const analysis = await analyseExamItems(db(), { examId: exam.id, attempts: query.attempts });
  return {
    exams,
    examId: exam.id,
    attempts: query.attempts,
    sort: query.sort,
    analysis: analysis.attempts < MIN_ATTEMPTS ? { ...analysis, items: [] } : { ...analysis, items: sortItems(analysis.items, query.sort) },
  };
}

const fmt = (value: number | null, digits = 1, unit = '') => (value === null ? '—' : `${value.toFixed(digits)}${unit}`);
const excerpt = (text: string, length = 90) => (text.length > length ? `${text.slice(0, length - 1).trimEnd()}…` : text);

function flagLabel(flag: ItemFlag, item: Pick<AnalysedItem, 'discrimination'>): string {
  if (flag === 'too-easy') return 'Too easy';
  if (flag === 'too-hard') return 'Too hard';
  return item.discrimination !== null && item.discrimination < 0 ? 'Negative discrimination' : 'Discriminates poorly';
}

function Choices({ item }: { item: AnalysedItem }) {
  if (!item.choices) return null;
  const { options, blank, total } = item.choices;
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-sm text-brand-700">Options chosen</summary>
      <table className="mt-2 w-full text-left text-sm">
        <caption className="sr-only">How often each option of “{excerpt(item.prompt, 60)}” was chosen, of {total} responses</caption>
        <thead>
          <tr>
            <th scope="col" className="pr-3">Option</th>
            <th scope="col" className="pr-3 text-right">Chosen</th>
          </tr>
        </thead>
        <tbody>
          {options.map((o) => (
            <tr key={o.id}>
              <td className="pr-3">
                {o.text}
                {o.correct ? <strong className="ml-1 text-green-800">(correct)</strong> : null}
              </td>
              <td className="pr-3 text-right">{o.count} ({fmt(o.percent, 0, '%')})</td>
            </tr>
          ))}
          <tr>
            <td className="pr-3 italic">No answer</td>
            <td className="pr-3 text-right">{blank} ({fmt(total === 0 ? 0 : (100 * blank) / total, 0, '%')})</td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}

const TEST_ROWS = [
  ['mean', 'Average score', '%'],
  ['median', 'Median score', '%'],
  ['sd', 'Standard deviation', '%'],
  ['skewness', 'Skewness', ''],
  ['kurtosis', 'Kurtosis', ''],
  ['cic', "Coefficient of internal consistency (Cronbach's alpha)", '%'],
  ['errorRatio', 'Error ratio', '%'],
  ['standardError', 'Standard error', '%'],
] as const;

export default function ItemAnalysis() {
  const { exams, examId, attempts, sort, analysis } = useLoaderData<typeof loader>();
  const which = attempts === 'first' ? 'first attempts' : 'all attempts';
  return (
    <div>
      <h2 className="mb-2 text-2xl font-bold">Item analysis</h2>
      <p className="mb-3 max-w-prose text-slate-700">
        How each exam item performs, from graded attempts, with the statistics Moodle's quiz report uses. By default each learner's
        first attempt counts: later attempts build on the first and make the statistics less trustworthy.
      </p>
      <Form method="get" className="mb-4 flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow">
        <div className="max-w-full">
          <label htmlFor="exam" className="block font-medium">Exam</label>
          <select id="exam" name="exam" defaultValue={examId ?? ''} className="max-w-full rounded border border-slate-400 px-3 py-2">
            {exams.map((e) => <option key={e.id} value={e.id}>{e.title}{e.retired ? ' (retired)' : ''}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor="attempts" className="block font-medium">Attempts</label>
          <select id="attempts" name="attempts" defaultValue={attempts} className="rounded border border-slate-400 px-3 py-2">
            <option value="first">First attempt of each learner</option>
            <option value="all">All graded attempts</option>
          </select>
        </div>
        <div>
          <label htmlFor="sort" className="block font-medium">Sort items</label>
          <select id="sort" name="sort" defaultValue={sort} className="rounded border border-slate-400 px-3 py-2">
            {Object.entries(SORTS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </div>
        <button type="submit" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white">Show</button>
      </Form>

      {!analysis ? (
        <p className="rounded bg-white p-4 shadow">No exam is loaded yet.</p>
      ) : analysis.attempts < MIN_ATTEMPTS ? (
        <p className="rounded bg-white p-4 shadow">
          Item analysis needs at least {MIN_ATTEMPTS} graded attempts; this exam has {analysis.attempts} ({which}). Come back when more
          learners have sat it.
        </p>
      ) : (
        <div className="space-y-6">
          <div className="relative overflow-x-auto rounded bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="px-3 py-2 text-left font-semibold">
                Test statistics: {analysis.attempts} {which} by {analysis.learners} {analysis.learners === 1 ? 'learner' : 'learners'}
              </caption>
              <tbody>
                {TEST_ROWS.map(([key, label, unit]) => (
                  <tr key={key} className="border-t border-slate-200">
                    <th scope="row" className="px-3 py-2 font-medium">{label}</th>
                    <td className="px-3 py-2">{fmt(analysis.test[key], 2, unit)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <div className="relative overflow-x-auto rounded bg-white shadow">
            <table className="w-full text-left text-sm">
              <caption className="px-3 py-2 text-left font-semibold">
                Items ({analysis.items.length}): facility is the average score, SD its spread (both as % of the item's points),
                discrimination the correlation with the rest of the exam (×100). Flags: facility above 95% or below 20%, discrimination below 20.
              </caption>
              <thead className="bg-slate-100">
                <tr>
                  <th scope="col" className="px-3 py-2">Item</th>
                  <th scope="col" className="px-3 py-2">Scenario</th>
                  <th scope="col" className="px-3 py-2">Type</th>
                  <th scope="col" className="px-3 py-2 text-right">Attempts</th>
                  <th scope="col" className="px-3 py-2 text-right">Facility</th>
                  <th scope="col" className="px-3 py-2 text-right">SD</th>
                  <th scope="col" className="px-3 py-2 text-right">Discrimination</th>
                  <th scope="col" className="px-3 py-2 text-right">Efficiency</th>
                  <th scope="col" className="px-3 py-2">Flags</th>
                </tr>
              </thead>
              <tbody>
                {analysis.items.map((item) => (
                  <tr key={item.itemId} className="border-t border-slate-200 align-top">
                    <td className="px-3 py-2">
                      <span title={item.prompt}>{excerpt(item.prompt)}</span>
                      <Choices item={item} />
                    </td>
                    <td className="px-3 py-2">{item.scenarioTitle}</td>
                    <td className="px-3 py-2">{item.type}</td>
                    <td className="px-3 py-2 text-right">{item.n}</td>
                    <td className="px-3 py-2 text-right">{fmt(item.facility, 1, '%')}</td>
                    <td className="px-3 py-2 text-right">{fmt(item.sd, 1, '%')}</td>
                    <td className="px-3 py-2 text-right">{fmt(item.discrimination, 1)}</td>
                    <td className="px-3 py-2 text-right">{fmt(item.efficiency, 1, '%')}</td>
                    <td className="px-3 py-2">
                      {item.flags.length === 0 ? <span className="sr-only">None</span> : null}
                      {item.flags.map((flag) => (
                        <span key={flag} className="mr-1 inline-block rounded bg-amber-100 px-2 text-amber-900">{flagLabel(flag, item)}</span>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Item analysis · Studio · Frontline' }];
