// "The picture": where the learners a manager looks after stand (an admin: every learner), as a
// funnel, pass rates by cohort, exam scores by topic and their spread, and certifications about to
// expire. Optionally one cohort; a cohort the viewer may not see is "not found".
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { BarChart, ChartSection, DataTable, Funnel, NumbersTable } from '~/components/charts';
import { db } from '~/db.server';
import { daysBetween, formatDate, formatDateTime, localDate } from '~/domain/calendar';
import { commonestBin, EXPIRING_WITHIN_DAYS, formatPercent } from '~/domain/insights';
import { env } from '~/env.server';
import { recentInsightPicture, visibleCohorts } from '~/models/insights.server';

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const cohorts = await visibleCohorts(db(), { viewer });
  const requested = new URL(request.url).searchParams.get('cohort')?.trim() ?? '';
  const cohort = requested === '' ? null : (cohorts.find((c) => String(c.id) === requested) ?? null);
  if (requested !== '' && !cohort) throw new Response('There is no such cohort.', { status: 404 });
  const now = new Date();
  const timeZone = env().DEFAULT_TIME_ZONE;
  // Refresh forces a new computation; otherwise figures up to a minute old are shown (and say so).
  const fresh = new URL(request.url).searchParams.has('refresh');
  const { picture, computedAt } = await recentInsightPicture(db(), { viewer, cohortId: cohort?.id ?? null, defaultTimeZone: timeZone, now, maxAgeMs: fresh ? 0 : undefined });
  const today = localDate(now, timeZone);
  const expiring = picture.expiring.certifications.map((c) => {
    const date = localDate(new Date(c.expiresAt), timeZone);
    return { ...c, expiresOn: formatDate(date), daysLeft: daysBetween(today, date) };
  });
  return { cohorts, cohort, isAdmin: viewer.roles.includes('admin'), asOf: formatDateTime(computedAt, timeZone), ...picture, expiring: { total: picture.expiring.total, certifications: expiring } };
}

/** "10,000": the same on the server and in the browser. */
const count = (n: number) => n.toLocaleString('en-GB');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export default function Insights() {
  const { cohorts, cohort, isAdmin, asOf, funnel, passRates, topics, scoreBins, expiring } = useLoaderData<typeof loader>();
  const enrolled = funnel.steps[0]?.learners ?? 0;
  const passed = funnel.steps.at(-1);
  const graded = scoreBins.reduce((n, b) => n + b.attempts, 0);
  const commonest = commonestBin(scoreBins);
  const scored = topics.filter((t) => t.percent !== null);
  const weakest = scored[0];
  const strongest = scored.at(-1);
  const scope = cohort ? cohort.name : isAdmin ? 'every cohort' : 'the cohorts you manage';

  return (
    <div>
      <h1 className="mb-2 text-3xl font-bold">The picture</h1>
      <p className="mb-4 text-slate-700">
        Where the learners of {scope} stand today: figures as of {asOf} (at most a minute old).{' '}
        <Link to={`?${cohort ? `cohort=${cohort.id}&` : ''}refresh`}>Refresh now</Link>
      </p>
      {cohorts.length > 1 || cohort ? (
        <Form method="get" className="mb-6 flex flex-wrap items-end gap-3 rounded bg-white p-4 shadow">
          <div className="max-w-full">
            <label htmlFor="cohort" className="block font-medium">Cohort</label>
            <select id="cohort" name="cohort" defaultValue={cohort ? String(cohort.id) : ''} className="max-w-full rounded border border-slate-400 px-3 py-2">
              <option value="">{isAdmin ? 'All cohorts' : 'All your cohorts'}</option>
              {cohorts.map((c) => (
                <option key={c.id} value={c.id}>{c.name}</option>
              ))}
            </select>
          </div>
          <button type="submit" className="rounded border border-brand-700 px-3 py-2 font-semibold text-brand-700">Show</button>
        </Form>
      ) : null}

      <ChartSection
        id="funnel"
        title="From enrolment to certification"
        summary={
          enrolled === 0
            ? 'No learners are enrolled here yet.'
            : `Of ${plural(enrolled, 'learner', 'learners')} enrolled, ${count(passed?.learners ?? 0)} (${formatPercent(passed?.percentOfEnrolled ?? null)}) have passed the exam. Each step counts everyone who reached it; an excused week counts as complete.`
        }
      >
        <Funnel
          label="Learners at each step"
          steps={funnel.steps.map((s) => ({ key: s.key, label: s.label, value: s.learners, valueText: `${count(s.learners)} (${formatPercent(s.percentOfEnrolled)})` }))}
        />
        <NumbersTable
          table={{
            caption: 'Learners at each step of the track',
            columns: ['Step', 'Learners', 'Of enrolled', 'Of the step before'],
            rows: funnel.steps.map((s) => ({ key: s.key, header: s.label, cells: [count(s.learners), formatPercent(s.percentOfEnrolled), formatPercent(s.percentOfPrevious)] })),
          }}
        />
      </ChartSection>

      <ChartSection
        id="pass-rates"
        title="Pass rate by cohort"
        summary={
          passRates.total.sat === 0
            ? 'Nobody has sat the exam yet.'
            : `${count(passRates.total.certified)} of the ${plural(passRates.total.sat, 'learner', 'learners')} who sat the exam passed (${formatPercent(passRates.total.passRate)}). An attempt still awaiting a trainer is not counted yet.`
        }
      >
        <BarChart
          label="Pass rate of each cohort"
          max={100}
          bars={passRates.cohorts.map((c) => ({
            key: String(c.cohortId ?? 'none'),
            label: c.cohortName,
            value: c.passRate ?? 0,
            valueText: c.sat === 0 ? 'nobody sat yet' : `${formatPercent(c.passRate)} (${count(c.certified)} of ${count(c.sat)})`,
          }))}
        />
        <NumbersTable
          table={{
            caption: 'Pass rate by cohort',
            columns: ['Cohort', 'Enrolled', 'Sat the exam', 'Certified', 'Pass rate', 'Certified of enrolled'],
            rows: passRates.cohorts.map((c) => ({
              key: String(c.cohortId ?? 'none'),
              header: c.cohortName,
              cells: [count(c.enrolled), count(c.sat), count(c.certified), formatPercent(c.passRate), formatPercent(c.certifiedOfEnrolled)],
            })),
            footer: {
              header: 'All',
              cells: [count(passRates.total.enrolled), count(passRates.total.sat), count(passRates.total.certified), formatPercent(passRates.total.passRate), formatPercent(passRates.total.certifiedOfEnrolled)],
            },
          }}
        />
      </ChartSection>

      <ChartSection
        id="topics"
        title="Average exam score by topic"
        summary={
          weakest && strongest
            ? `Weakest first: ${weakest.label} (${formatPercent(weakest.percent)} of the points); strongest: ${strongest.label} (${formatPercent(strongest.percent)}).`
            : 'No exam has been graded yet.'
        }
      >
        {scored.length ? (
          <>
            <BarChart
              label="Share of the points earned, by topic, weakest first"
              max={100}
              bars={scored.map((t) => ({ key: t.topic, label: t.label, value: t.percent ?? 0, valueText: formatPercent(t.percent) }))}
            />
            <NumbersTable
              table={{
                caption: 'Average exam score by topic, weakest first',
                columns: ['Topic', 'Questions answered', 'Points earned', 'Points available', 'Average'],
                rows: scored.map((t) => ({ key: t.topic, header: t.label, cells: [count(t.items), count(t.score), count(t.maxScore), formatPercent(t.percent)] })),
              }}
            />
          </>
        ) : null}
      </ChartSection>

      <ChartSection
        id="scores"
        title="Exam scores"
        summary={
          commonest
            ? `${plural(graded, 'graded attempt', 'graded attempts')}; most scored ${commonest.label}.`
            : 'No exam has been graded yet.'
        }
      >
        {graded > 0 ? (
          <>
            <BarChart
              label="Graded exam attempts by score"
              bars={scoreBins.map((b) => ({ key: String(b.from), label: b.label, value: b.attempts, valueText: count(b.attempts) }))}
            />
            <NumbersTable
              table={{
                caption: 'Graded exam attempts by score',
                columns: ['Score', 'Attempts'],
                rows: scoreBins.map((b) => ({ key: String(b.from), header: b.label, cells: [count(b.attempts)] })),
              }}
            />
          </>
        ) : null}
      </ChartSection>

      <ChartSection
        id="expiring"
        title={`Certifications expiring in the next ${EXPIRING_WITHIN_DAYS} days`}
        summary={
          expiring.total === 0
            ? `No certification expires in the next ${EXPIRING_WITHIN_DAYS} days.`
            : `${plural(expiring.total, 'certification expires', 'certifications expire')} soon, soonest first${expiring.total > expiring.certifications.length ? ` (the first ${expiring.certifications.length} are listed)` : ''}. Learners who already recertified are left out.`
        }
      >
        {expiring.certifications.length ? (
          <div className="relative overflow-x-auto">
            <DataTable
              table={{
                caption: 'Certifications expiring soon',
                text: true,
                columns: ['Learner', 'Cohort', 'Expires'],
                rows: expiring.certifications.map((c) => ({
                  key: String(c.certificationId),
                  header: (
                    <>
                      <Link to={`/manage/learners/${c.userId}`}>{c.name}</Link>
                      <span className="block break-all text-slate-700">{c.email}</span>
                    </>
                  ),
                  cells: [c.cohortName ?? '—', `${c.expiresOn} (${c.daysLeft <= 0 ? 'today' : `in ${plural(c.daysLeft, 'day', 'days')}`})`],
                })),
              }}
            />
          </div>
        ) : null}
      </ChartSection>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'The picture · Frontline' }];
