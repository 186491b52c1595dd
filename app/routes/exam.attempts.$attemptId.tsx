import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useRevalidator, useSubmit } from '@remix-run/react';
import { useCallback, type FormEvent } from 'react';
import { Countdown } from '~/components/exam/countdown';
import { ExamResult } from '~/components/exam/exam-result';
import { useExamAutosave } from '~/components/exam/use-exam-autosave';
import { FormAlert } from '~/components/forms';
import { AutosaveStatus } from '~/components/quiz/autosave';
import { CaseFile } from '~/components/quiz/case-file';
import { ItemFields } from '~/components/quiz/item-fields';
import { requireRole } from '~/auth.server';
import { formatDateTime } from '~/domain/calendar';
import { db } from '~/db.server';
import { env } from '~/env.server';
import { asOneItemCase, examItemView, examNavigation, examResultView, requireOwnExamAttempt, saveExamItemFromForm } from '~/exam.server';
import { getEnrolment } from '~/models/learning.server';
import { setItemFlag, STALE_SAVE } from '~/models/exam.server';
import { readForm } from '~/read-form.server';

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = new Date();
  const { user, attempt, exam } = await requireOwnExamAttempt(request, params.attemptId, now);
  const header = { attemptId: attempt.id, title: exam.title };
  if (attempt.status !== 'in_progress') return { ...header, mode: 'result' as const, result: await examResultView(attempt, exam) };

  const url = new URL(request.url);
  const requested = Number(url.searchParams.get('item') ?? '1') - 1;
  const scenario = attempt.scenarios.find((s) => s.position === requested) ?? attempt.scenarios[0];
  if (!scenario) throw new Response('This exam has no questions.', { status: 500 });
  const enrolment = await getEnrolment(db(), { userId: user.id, defaultTimeZone: env().DEFAULT_TIME_ZONE });
  const timeZone = enrolment?.timeZone ?? env().DEFAULT_TIME_ZONE;
  return {
    ...header,
    mode: 'answer' as const,
    deadline: attempt.deadline_at ?? now.toISOString(),
    serverNow: now.toISOString(),
    endsAt: `${formatDateTime(attempt.deadline_at ?? now, timeZone)} (${timeZone})`,
    count: attempt.scenarios.length,
    navigation: examNavigation(attempt),
    view: await examItemView(asOneItemCase(scenario)),
    justSaved: url.searchParams.has('saved'),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, 'learner'); // ownership: saveExamItemFromForm loads only the learner's own attempt
  const formData = await readForm(request);
  if (formData.get('intent') !== 'save') return Response.json({ error: 'Unknown action.' }, { status: 400 });
  const flag = formData.get('flag');
  // Every button saves the answer on the page first (without JavaScript nothing else has).
  const saved = await saveExamItemFromForm(request, params.attemptId, formData);
  const base = `/exam/attempts/${params.attemptId}`;
  if (!saved.result.ok) {
    // Time is up or the exam was submitted elsewhere (any 409 but a stale page): the attempt page shows the result.
    if (saved.result.status === 409 && saved.result !== STALE_SAVE) return redirect(base);
    return Response.json({ error: saved.result.reason }, { status: saved.result.status });
  }
  if ((flag === 'on' || flag === 'off') && saved.userId !== undefined) {
    await setItemFlag(db(), { attemptId: saved.attemptId, userId: saved.userId, position: saved.position, flagged: flag === 'on' });
    return redirect(`${base}?item=${saved.position + 1}`);
  }
  const go = formData.get('go');
  if (go === 'review') return redirect(`${base}/submit`);
  const next = Number(go);
  if (Number.isInteger(next) && next >= 1) return redirect(`${base}?item=${next}`);
  return redirect(`${base}?item=${saved.position + 1}&saved=1`);
}

type AnswerData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { mode: 'answer' }>;

function ExamNavigation({ data }: { data: AnswerData }) {
  const current = data.view.position;
  return (
    <nav aria-label="Questions" className="rounded bg-white p-3 shadow">
      <h2 className="mb-2 font-semibold">Questions</h2>
      <p className="mb-2 text-sm text-slate-700">Going to another question saves this one.</p>
      <ol className="flex flex-wrap gap-2">
        {data.navigation.map((n) => {
          const label = `Question ${n.position + 1}${n.answered ? ', answered' : ', not answered'}${n.flagged ? ', flagged' : ''}${n.position === current ? ', current' : ''}`;
          return (
            <li key={n.position}>
              <button
                type="submit"
                form="exam-form"
                name="go"
                value={n.position + 1}
                aria-label={label}
                aria-current={n.position === current ? 'step' : undefined}
                className={`h-10 w-10 rounded border text-sm font-semibold ${
                  n.position === current ? 'border-brand-800 bg-brand-700 text-white' : n.answered ? 'border-slate-500 bg-slate-200 text-slate-900' : 'border-slate-400 bg-white text-slate-900'
                } ${n.flagged ? 'ring-2 ring-amber-600 ring-offset-1' : ''}`}
              >
                {n.position + 1}
                {n.flagged ? <span aria-hidden="true">⚑</span> : null}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

function AnswerItem({ data }: { data: AnswerData }) {
  const actionData = useActionData<{ error?: string }>();
  const autosave = useExamAutosave(`/exam/attempts/${data.attemptId}/answers`);
  const submit = useSubmit();
  const revalidator = useRevalidator();
  const onExpired = useCallback(() => revalidator.revalidate(), [revalidator]);
  const { view } = data;
  // With JavaScript: let an autosave in flight finish first, so the button's save carries the newest count.
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void autosave.settled().then(() => submit(new FormData(form, submitter), { method: 'post' }));
  };
  const isLast = view.position + 1 === data.count;
  return (
    <div className="grid gap-4 md:grid-cols-[1fr_14rem]">
      <div className="space-y-4">
        <h2 className="text-2xl font-bold">
          Question {view.position + 1} of {data.count}{' '}
          {view.flagged ? <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-900">Flagged for review</span> : null}
        </h2>
        <CaseFile caseFile={view.caseFile} policyLinks={view.policyLinks} />
        <FormAlert>{actionData?.error}</FormAlert>
        {data.justSaved && !actionData ? <FormAlert tone="success">Your answer is saved.</FormAlert> : null}
        <Form method="post" id="exam-form" className="space-y-4" onChange={autosave.onChange} onSubmit={onSubmit}>
          <input type="hidden" name="item" value={view.position} />
          <input type="hidden" name="seq" defaultValue={view.seq} key={`${view.position}:${view.seq}`} />
          <ItemFields key={view.position} item={view.item} index={view.position} response={view.response} />
          <div className="flex flex-wrap items-center gap-3">
            <input type="hidden" name="intent" value="save" />
            {isLast ? (
              <button type="submit" name="go" value="review" className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
                Save and review
              </button>
            ) : (
              <button type="submit" name="go" value={view.position + 2} className="rounded bg-brand-700 px-4 py-2 font-semibold text-white hover:bg-brand-800">
                Save and next
              </button>
            )}
            {/* After "Save and next" in the page's order: pressing Enter in a field takes the first button. */}
            {view.position > 0 ? (
              <button type="submit" name="go" value={view.position} className="rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700">
                Previous
              </button>
            ) : null}
            <button
              type="submit"
              name="flag"
              value={view.flagged ? 'off' : 'on'}
              className="rounded border border-amber-700 px-4 py-2 font-semibold text-amber-900"
            >
              {view.flagged ? 'Remove flag' : 'Flag for review'}
            </button>
            <AutosaveStatus state={autosave.state} />
          </div>
        </Form>
      </div>
      <aside className="space-y-4 md:sticky md:top-4 md:self-start">
        <Countdown deadline={data.deadline} serverNow={data.serverNow} endsAt={data.endsAt} onExpired={onExpired} />
        <ExamNavigation data={data} />
        <button type="submit" form="exam-form" name="go" value="review" className="w-full rounded border border-brand-700 px-4 py-2 font-semibold text-brand-700">
          Review and submit
        </button>
      </aside>
    </div>
  );
}

export default function ExamAttemptPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-5xl space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <Link to="/exam">Exam</Link> / {data.title}
      </nav>
      {/* The result has its own h1; a question page's visible heading is the question number. */}
      {data.mode === 'answer' ? <h1 className="sr-only">{data.title}</h1> : null}
      {data.mode === 'answer' ? <AnswerItem data={data} /> : <ExamResult attemptId={data.attemptId} title={data.title} result={data.result} />}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? 'Exam'} · Frontline` }];
