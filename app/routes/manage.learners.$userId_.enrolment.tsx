// Where a learner is enrolled: move them to another cohort, or give them a start date of their own.
// Not nested in the learner page's layout ($userId_), but still inside /manage's navigation.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole, type SessionUser } from '~/auth.server';
import { Field, FormAlert, SelectField, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';
import { trackDay } from '~/domain/schedule';
import { env } from '~/env.server';
import { learnerEnrolmentSchema } from '~/forms/enrolment';
import { keptValues, parseForm } from '~/forms/parse';
import { learnerEnrolmentInScope, listCohortsInScope, moveLearner, setPersonalStartDate } from '~/models/enrolment.server';
import { readForm } from '~/read-form.server';

const DONE = { move: 'Moved. The day of the track shown above now counts from their new day 1.', 'set-start': 'Personal start date saved.', 'clear-start': 'Personal start date cleared: they follow their cohort’s day 1.' };
type Done = keyof typeof DONE;
const isDone = (value: string | null): value is Done => value !== null && value in DONE;

async function loadLearner(viewer: SessionUser, userId: string | undefined) {
  const learner = await learnerEnrolmentInScope(db(), { viewer, userId: Number(userId) });
  if (!learner) throw new Response('There is no such learner among the cohorts you manage.', { status: 404 });
  return learner;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const learner = await loadLearner(viewer, params.userId);
  const cohorts = await listCohortsInScope(db(), { viewer });
  const now = new Date();
  const timeZone = learner.cohort?.timeZone ?? env().DEFAULT_TIME_ZONE;
  const startDate = learner.personalStart ?? learner.cohort?.startDate ?? null;
  const done = new URL(request.url).searchParams.get('done');
  return {
    learner,
    timeZone,
    startLabel: startDate ? formatDate(startDate) : null,
    day: startDate ? trackDay({ startDate, timeZone }, now) : null,
    cohortStartLabel: learner.cohort ? formatDate(learner.cohort.startDate) : null,
    targets: cohorts
      .filter((c) => c.id !== learner.cohort?.id)
      .map((c) => ({ id: c.id, name: c.name, startLabel: formatDate(c.startDate), day: trackDay({ startDate: c.startDate, timeZone: c.timeZone }, now) })),
    done: isDone(done) ? done : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, ['manager', 'admin']);
  const learner = await loadLearner(viewer, params.userId);
  const formData = await readForm(request);
  const intent = String(formData.get('intent') ?? '');
  const rejected = (errors: Partial<Record<string, string[]>>) => Response.json({ intent, errors, values: keptValues(formData) }, { status: 400 });
  const parsed = parseForm(learnerEnrolmentSchema, formData);
  if (!parsed.success) return rejected({ ...parsed.errors, ...(parsed.formErrors.length ? { form: ['Choose what to change.'] } : {}) });
  const input = parsed.data;
  const result =
    input.intent === 'move'
      ? await moveLearner(db(), { viewer, userId: learner.id, toCohortId: input.cohortId, keepPersonalStart: input.keepPersonalStart })
      : await setPersonalStartDate(db(), { viewer, userId: learner.id, startDate: input.intent === 'set-start' ? input.startDate : null });
  if (!result.ok) {
    if (result.status !== 400) throw new Response(result.reason, { status: result.status });
    return rejected({ [input.intent === 'move' ? 'cohortId' : 'startDate']: [result.reason] });
  }
  return redirect(`/manage/learners/${learner.id}/enrolment?done=${input.intent}`);
}

type ActionData = { intent: string; errors: Partial<Record<string, string[]>>; values: Record<string, string> };
const section = 'rounded bg-white p-5 shadow';
const button = 'rounded bg-brand-700 px-4 py-2 font-semibold text-white';

export default function LearnerEnrolment() {
  const { learner, timeZone, startLabel, day, cohortStartLabel, targets, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const mine = (intent: string) => (actionData?.intent === intent ? actionData : undefined);
  return (
    <div className="space-y-6">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/manage">Learners</Link> / <Link to={`/manage/learners/${learner.id}`}>{learner.name}</Link>
      </nav>
      <div>
        <h1 className="text-3xl font-bold">Enrolment of {learner.name}</h1>
        <p className="text-slate-700">
          {learner.email} · {learner.cohort ? `Cohort ${learner.cohort.name} (day 1: ${cohortStartLabel}, ${timeZone})` : learner.enrolled ? 'No cohort' : 'Not enrolled'}
        </p>
        <p className="text-slate-700">
          {startLabel ? `Day 1: ${startLabel}${learner.personalStart ? ' (a personal start date)' : ' (the cohort’s)'} · ` : ''}
          {day === null ? '' : day >= 1 ? `Today is day ${day} of the track.` : `The track starts in ${1 - day} ${day === 0 ? 'day' : 'days'}.`}
        </p>
      </div>
      {done && !actionData ? <FormAlert tone="success">{DONE[done]}</FormAlert> : null}
      <FormAlert>{actionData?.errors.form?.join(' ')}</FormAlert>

      <section aria-labelledby="move-heading" className={section}>
        <h2 id="move-heading" className="mb-1 text-xl font-semibold">Move to another cohort</h2>
        <p className="mb-3 text-sm text-slate-700">They keep their completed lessons and attempts. Their day of the track is then counted from the new cohort’s day 1, in its time zone.</p>
        {targets.length === 0 ? <p>There is no other cohort you manage.</p> : (
          <Form method="post">
            <SelectField label="Cohort" name="cohortId" defaultValue={mine('move')?.values.cohortId ?? ''} errors={mine('move')?.errors.cohortId}>
              <option value="">Choose a cohort</option>
              {targets.map((c) => (
                <option key={c.id} value={c.id}>{c.name} (day 1: {c.startLabel}; today is day {c.day})</option>
              ))}
            </SelectField>
            {learner.personalStart ? (
              <label className="mb-4 flex items-start gap-2">
                <input type="checkbox" name="keepPersonalStart" className="mt-1" defaultChecked={mine('move') ? mine('move')?.values.keepPersonalStart === 'on' : true} />
                <span>Keep their personal start date ({learner.personalStart}) instead of the new cohort’s day 1</span>
              </label>
            ) : null}
            <SubmitButton name="intent" value="move" pendingText="Moving…" className={button}>Move</SubmitButton>
          </Form>
        )}
      </section>

      <section aria-labelledby="start-heading" className={section}>
        <h2 id="start-heading" className="mb-1 text-xl font-semibold">Personal start date</h2>
        <p className="mb-3 text-sm text-slate-700">
          The day of the track is counted from this date instead of the cohort’s day 1: each lesson opens on its day counted from it, and being behind schedule is measured from it. A later date gives them more time; a date in the future holds every lesson back until then. Completed lessons stay completed.
        </p>
        {learner.enrolled ? (
          <>
            <Form method="post" className="flex flex-wrap items-end gap-3">
              <Field label="Start date" name="startDate" type="date" required className="mb-0" defaultValue={mine('set-start')?.values.startDate ?? learner.personalStart ?? ''} errors={mine('set-start')?.errors.startDate} />
              <SubmitButton name="intent" value="set-start" pendingText="Saving…" className={button}>Set start date</SubmitButton>
            </Form>
            {learner.personalStart && learner.cohort ? (
              <Form method="post" className="mt-4">
                <p className="mb-2 text-sm">Clearing it puts them back on the cohort’s day 1 ({cohortStartLabel}).</p>
                <FormAlert>{mine('clear-start')?.errors.startDate?.join(' ')}</FormAlert>
                <SubmitButton name="intent" value="clear-start" pendingText="Clearing…" className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700">
                  Clear the personal start date
                </SubmitButton>
              </Form>
            ) : null}
          </>
        ) : (
          <p>Move them into a cohort first.</p>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Enrolment of ${data?.learner.name ?? 'a learner'} · Manage · Frontline` }];
