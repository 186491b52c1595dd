// The roster: every learner a manager looks after (an admin: every learner) with their day in the
// track, lessons, weekly quiz bests, status and at-risk reasons. Filter, sort, page, export as CSV.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { Pagination } from '~/components/pagination';
import { db } from '~/db.server';
import { formatDate, formatDateTime, localDate } from '~/domain/calendar';
import { atRiskReasonText, LEARNER_STATUSES, STATUS_LABELS, statusText, type LearnerStatusKind } from '~/domain/learner-status';
import { env } from '~/env.server';
import { ROSTER_SORTS, rosterCohorts, rosterPage, rosterQueryFromUrl, rosterQueryString, type RosterRow, type RosterSortKey } from '~/models/roster.server';

const PER_PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const { filters, sort, page } = rosterQueryFromUrl(request.url);
  const timeZone = env().DEFAULT_TIME_ZONE;
  const [roster, cohorts] = await Promise.all([
    rosterPage(db(), { viewer, filters, sort, page, perPage: PER_PAGE, defaultTimeZone: timeZone }),
    rosterCohorts(db(), { viewer }),
  ]);
  return {
    learners: roster.rows,
    total: roster.total,
    page: roster.page,
    perPage: roster.perPage,
    weeks: roster.weeks,
    cohorts,
    filters: { q: filters.q ?? '', cohortId: filters.cohortId ?? null, status: filters.status ?? '', atRisk: filters.atRisk ?? false },
    sort,
    query: rosterQueryString(filters, sort),
    // Each header's link: the same filters, sorted by that column (the sorted one turns around).
    sortLinks: Object.fromEntries(
      ROSTER_SORTS.map((by) => [by, rosterQueryString(filters, { by, dir: sort.by === by && sort.dir === 'asc' ? 'desc' : 'asc' })]),
    ) as Record<RosterSortKey, string>,
    isAdmin: viewer.roles.includes('admin'),
    timeZone,
  };
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

const badgeTone: Record<LearnerStatusKind, string> = {
  'not-started': 'bg-slate-100 text-slate-800',
  'on-track': 'bg-green-100 text-green-900',
  behind: 'bg-amber-100 text-amber-900',
  'at-risk': 'bg-red-100 text-red-900',
  eligible: 'bg-brand-100 text-brand-800',
  'exam-in-progress': 'bg-brand-100 text-brand-800',
  'awaiting-review': 'bg-brand-100 text-brand-800',
  'failed-attempts-left': 'bg-amber-100 text-amber-900',
  'failed-cooldown': 'bg-amber-100 text-amber-900',
  'failed-no-attempts': 'bg-red-100 text-red-900',
  certified: 'bg-green-100 text-green-900',
  expired: 'bg-slate-200 text-slate-800',
  revoked: 'bg-red-100 text-red-900',
};

const cell = 'px-3 py-2 align-top';

function SortHeader({ by, label, data }: { by: RosterSortKey; label: string; data: Pick<PageData, 'sort' | 'sortLinks'> }) {
  const active = data.sort.by === by;
  const dir = active && data.sort.dir === 'asc' ? 'desc' : 'asc';
  const query = data.sortLinks[by];
  return (
    <th scope="col" className={cell} aria-sort={active ? (data.sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link to={`/manage${query ? `?${query}` : ''}`} className="whitespace-nowrap font-semibold">
        {label}
        <span aria-hidden="true">{active ? (data.sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
        <span className="sr-only">{active ? `, sorted ${data.sort.dir === 'asc' ? 'ascending' : 'descending'}; sort ${dir === 'asc' ? 'ascending' : 'descending'}` : ', sort'}</span>
      </Link>
    </th>
  );
}

function StatusCell({ learner, timeZone }: { learner: RosterRow; timeZone: string }) {
  const date = (iso: string) => formatDate(localDate(new Date(iso), timeZone));
  return (
    <td className={`${cell} min-w-[11rem]`}>
      <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold ${badgeTone[learner.status.kind]}`}>{statusText(learner.status, date)}</span>
      {learner.atRiskReasons.length > 0 ? (
        <ul className="mt-1 list-disc pl-4 text-xs text-red-900" aria-label="At risk because">
          {learner.atRiskReasons.map((reason) => (
            <li key={`${reason.kind}-${reason.kind === 'quiz-failed' ? reason.quizId : ''}`}>{atRiskReasonText(reason)}</li>
          ))}
        </ul>
      ) : null}
    </td>
  );
}

function QuizBests({ learner, weeks }: { learner: RosterRow; weeks: readonly number[] }) {
  return (
    <ul className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
      {weeks.map((week) => {
        const quiz = learner.quizzes.find((q) => q.week === week);
        const taken = quiz !== undefined && quiz.bestPercent !== null;
        return (
          <li key={week} className={`whitespace-nowrap ${taken && !quiz.passed ? 'font-semibold text-red-900' : ''}`}>
            <span aria-hidden="true">W{week} </span>
            <span className="sr-only">Week {week}: </span>
            {taken ? `${quiz.bestPercent}%` : <span aria-hidden="true">—</span>}
            <span className="sr-only">{taken ? (quiz.passed ? ', passed' : ', not passed') : 'not taken'}</span>
          </li>
        );
      })}
    </ul>
  );
}

function dayText(learner: RosterRow): string {
  if (learner.trackDay === null) return '—';
  if (learner.trackDay < 1) return `Starts in ${1 - learner.trackDay} d`;
  return learner.trackDays ? `${learner.trackDay} of ${learner.trackDays}` : String(learner.trackDay);
}

function RosterTable({ data }: { data: PageData }) {
  const { learners, weeks, timeZone, sort } = data;
  return (
    // A region that scrolls sideways must take the keyboard focus, or keyboard users cannot scroll it (WCAG 2.1.1).
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- see above
    <div role="region" aria-labelledby="roster-caption" tabIndex={0} className="relative overflow-x-auto rounded bg-white shadow focus:outline focus:outline-2 focus:outline-brand-700">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <caption id="roster-caption" className="px-3 py-2 text-left text-slate-700">
          Learners, sorted by {sortLabels[sort.by].toLowerCase()} ({sort.dir === 'asc' ? 'ascending' : 'descending'}). Scroll sideways on a small screen.
        </caption>
        <thead className="bg-slate-100">
          <tr>
            <SortHeader by="name" label={sortLabels.name} data={data} />
            <th scope="col" className={cell}>Cohort</th>
            <SortHeader by="day" label={sortLabels.day} data={data} />
            <SortHeader by="lessons" label={sortLabels.lessons} data={data} />
            <th scope="col" className={`${cell} whitespace-nowrap`}>Weekly quiz bests</th>
            <SortHeader by="status" label={sortLabels.status} data={data} />
            <SortHeader by="lastActive" label={sortLabels.lastActive} data={data} />
          </tr>
        </thead>
        <tbody>
          {learners.map((l) => (
            <tr key={l.id} className="border-t border-slate-200">
              <th scope="row" className={`${cell} font-normal`}>
                <Link to={`/manage/learners/${l.id}`} className="font-semibold">{l.name}</Link>
                {l.disabled ? <span className="ml-1 text-slate-700">(disabled)</span> : null}
                <div className="text-xs text-slate-700">{l.email}</div>
              </th>
              <td className={cell}>{l.cohortName ?? '—'}</td>
              <td className={`${cell} whitespace-nowrap`}>{dayText(l)}</td>
              <td className={`${cell} whitespace-nowrap`}>{l.lessonsDone} / {l.lessonsTotal}</td>
              <td className={cell}>
                <QuizBests learner={l} weeks={weeks} />
              </td>
              <StatusCell learner={l} timeZone={timeZone} />
              <td className={`${cell} whitespace-nowrap`}>{l.lastActiveAt ? formatDateTime(l.lastActiveAt, timeZone) : 'Never'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const sortLabels: Record<RosterSortKey, string> = { name: 'Name', day: 'Day', lessons: 'Lessons', status: 'Status', lastActive: 'Last active' };
const field = 'max-w-full rounded border border-slate-400 px-3 py-2';

export default function ManageRoster() {
  const data = useLoaderData<typeof loader>();
  const { learners, total, page, perPage, filters, sort, cohorts, query, isAdmin } = data;
  const filtered = Boolean(filters.q || filters.cohortId || filters.status || filters.atRisk);
  return (
    <div>
      <h1 className="mb-2 text-3xl font-bold">Learners</h1>
      <p className="mb-4 text-slate-700">
        {isAdmin ? 'Every learner, in every cohort.' : 'The learners of the cohorts you manage.'} Open one to see their attempts and act on them.
      </p>
      {/* Keyed by the query: its fields are uncontrolled, and "Clear filters" must reset them all. */}
      <Form key={query} method="get" role="search" aria-label="Filter learners" className="mb-4 flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow">
        <div>
          <label htmlFor="q" className="block font-medium">Search by name, email or cohort</label>
          <input id="q" name="q" type="search" defaultValue={filters.q} maxLength={100} className={field} />
        </div>
        <div className="max-w-full">
          <label htmlFor="cohort" className="block font-medium">Cohort</label>
          <select id="cohort" name="cohort" defaultValue={filters.cohortId ?? ''} className={field}>
            <option value="">All {isAdmin ? '' : 'my '}cohorts</option>
            {cohorts.map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="block font-medium">Status</label>
          <select id="status" name="status" defaultValue={filters.status} className={field}>
            <option value="">Any status</option>
            {LEARNER_STATUSES.map((s) => (
              <option key={s} value={s}>{STATUS_LABELS[s]}</option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-2 py-2">
          <input id="atRisk" name="atRisk" type="checkbox" value="1" defaultChecked={filters.atRisk} className="h-5 w-5" />
          <label htmlFor="atRisk" className="font-medium">At risk only</label>
        </div>
        {sort.by !== 'name' ? <input type="hidden" name="sort" value={sort.by} /> : null}
        {sort.dir !== 'asc' ? <input type="hidden" name="dir" value={sort.dir} /> : null}
        <button type="submit" className="rounded bg-brand-700 px-3 py-2 font-semibold text-white">Apply</button>
        {filtered ? <Link to="/manage" className="py-2">Clear filters</Link> : null}
      </Form>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" aria-live="polite">{total} {total === 1 ? 'learner' : 'learners'}{filtered ? ' match' : ''}</p>
        {total > 0 ? (
          <a href={`/manage/export.csv${query ? `?${query}` : ''}`} download className="rounded border border-brand-700 px-3 py-1 font-semibold no-underline">
            Download CSV<span className="sr-only"> of {total === 1 ? 'this learner' : `these ${total} learners`}</span>
          </a>
        ) : null}
      </div>
      {learners.length === 0 ? (
        <p className="rounded bg-white p-4 shadow">
          {filtered
            ? 'No learners match these filters. Try a shorter search or another status.'
            : isAdmin
              ? 'There are no learners yet.'
              : 'No learners are enrolled in a cohort you manage yet.'}
        </p>
      ) : (
        <RosterTable data={data} />
      )}
      <Pagination page={page} pageSize={perPage} total={total} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Learners · Frontline' }];
