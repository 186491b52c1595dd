import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { ErrorList, FormAlert, SubmitButton } from '~/components/forms';
import { CaseFile } from '~/components/quiz/case-file';
import { db } from '~/db.server';
import { formatDateTime } from '~/domain/calendar';
import { toPublicCaseFile } from '~/domain/presentation';
import { env } from '~/env.server';
import { COMMENT_MAX, gradedMessage, gradingSchema, levelField, type GradedOutcome } from '~/forms/grading';
import { keptValues, parseForm } from '~/forms/parse';
import { gradeWrittenReply, listPendingReplies, loadReplyForGrading } from '~/models/exam.server';
import { sectionLinks } from '~/models/handbook.server';
import { readForm } from '~/read-form.server';

async function requireReply(params: LoaderFunctionArgs['params']) {
  const attemptId = Number(params.attemptId);
  const position = Number(params.position);
  const reply =
    Number.isSafeInteger(attemptId) && Number.isSafeInteger(position) && position >= 0
      ? await loadReplyForGrading(db(), { attemptId, position })
      : null;
  if (!reply) throw new Response('There is no such written reply in a submitted exam.', { status: 404 });
  return reply;
}

const pointsLabel = (points: number) => `${points} ${points === 1 ? 'point' : 'points'}`;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const reply = await requireReply(params);
  const { scenario, item } = reply;
  const when = (iso: string) => `${formatDateTime(iso, env().DEFAULT_TIME_ZONE)} (${env().DEFAULT_TIME_ZONE})`;
  return {
    attemptId: reply.attemptId,
    position: reply.position,
    // The name only: a grader needs no more of the learner's identity.
    learnerName: reply.learnerName,
    submittedLabel: reply.submittedAt ? when(reply.submittedAt) : '—',
    caseFile: toPublicCaseFile(scenario),
    policyLinks: await sectionLinks(db(), [...scenario.policies, ...item.policies]),
    item: { prompt: item.prompt, points: item.points, modelReply: item.modelReply, rubric: item.rubric },
    // Untrusted text: rendered as text, never as HTML.
    reply: reply.reply,
    grade: reply.graded
      ? {
          score: reply.score ?? 0,
          comment: reply.comment,
          graderName: reply.graderName ?? 'a trainer',
          gradedLabel: reply.gradedAt ? when(reply.gradedAt) : null,
          levels: item.rubric.map((criterion, index) => {
            const points = reply.rubricLevels?.[index] ?? null;
            const level = criterion.levels.find((l) => l.points === points);
            return { criterion: criterion.criterion, points, description: level?.description ?? null };
          }),
        }
      : null,
    graded: gradedMessage(new URL(request.url).searchParams.get('graded')),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const reply = await requireReply(params);
  const formData = await readForm(request);
  const values = keptValues(formData);
  const parsed = parseForm(gradingSchema(reply.item.rubric), formData);
  if (!parsed.success) return Response.json({ errors: parsed.errors, formErrors: parsed.formErrors, values }, { status: 400 });
  const result = await gradeWrittenReply(db(), { attemptId: reply.attemptId, position: reply.position, graderId: trainer.id, ...parsed.data });
  if (!result.ok) {
    if (result.status === 404) throw new Response(result.reason, { status: 404 });
    return Response.json({ error: result.reason, alreadyGraded: result.status === 409, values }, { status: result.status });
  }
  const outcome: GradedOutcome = result.certification ? 'certified' : result.finalised ? 'final' : 'waiting';
  const [next] = (await listPendingReplies(db(), { page: 1, perPage: 1 })).replies;
  return redirect(next ? `/studio/grading/${next.attemptId}/${next.position}?graded=${outcome}` : `/studio/grading?graded=${outcome}`);
}

type ActionData = { errors?: Partial<Record<string, string[]>>; formErrors?: string[]; error?: string; alreadyGraded?: boolean; values?: Record<string, string> };

export default function GradeReply() {
  const { attemptId, position, learnerName, submittedLabel, caseFile, policyLinks, item, reply, grade, graded } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  const commentError = errors?.comment?.length ? 'comment-error' : undefined;
  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm"><Link to="/studio/grading">Grading queue</Link></nav>
      <FormAlert tone="success">{graded}</FormAlert>
      <div>
        <h2 className="text-2xl font-bold">Written reply: {caseFile.title}</h2>
        <p className="text-slate-700">
          Question {position + 1} of exam attempt {attemptId} · {learnerName} · submitted {submittedLabel}
        </p>
      </div>
      <p className="text-slate-700">{caseFile.summary}</p>
      <CaseFile caseFile={caseFile} policyLinks={policyLinks} />

      <section aria-labelledby="reply-heading" className="rounded bg-white p-5 shadow">
        <h3 id="reply-heading" className="text-xl font-semibold">The question ({pointsLabel(item.points)})</h3>
        <p className="mt-1">{item.prompt}</p>
        <h4 className="mt-4 font-semibold">{learnerName}'s reply</h4>
        <div className="mt-1 whitespace-pre-wrap break-words rounded border border-slate-300 bg-slate-50 p-3">{reply || '(empty)'}</div>
        <details className="mt-4">
          <summary className="cursor-pointer font-semibold text-brand-700">Model reply</summary>
          <p className="mt-2 whitespace-pre-wrap rounded bg-green-50 p-3">{item.modelReply}</p>
        </details>
      </section>

      {grade ? (
        <section aria-labelledby="grade-heading" className="rounded bg-white p-5 shadow">
          <h3 id="grade-heading" className="text-xl font-semibold">Grade: {pointsLabel(grade.score)} of {item.points}</h3>
          <dl className="mt-3 space-y-2">
            {grade.levels.map((l) => (
              <div key={l.criterion}>
                <dt className="font-medium">{l.criterion}</dt>
                <dd className="text-slate-700">{l.points === null ? '—' : `${pointsLabel(l.points)}${l.description ? ` — ${l.description}` : ''}`}</dd>
              </div>
            ))}
            <div>
              <dt className="font-medium">Comment</dt>
              <dd className="whitespace-pre-wrap text-slate-700">{grade.comment || 'No comment.'}</dd>
            </div>
          </dl>
          <p className="mt-3 text-sm text-slate-700">
            Graded by {grade.graderName}
            {grade.gradedLabel ? ` on ${grade.gradedLabel}` : ''}.
          </p>
        </section>
      ) : (
        <section aria-labelledby="rubric-heading" className="rounded bg-white p-5 shadow">
          <h3 id="rubric-heading" className="text-xl font-semibold">Grade the reply</h3>
          <FormAlert>
            {actionData?.error}
            {actionData?.alreadyGraded ? <> <Link to={`/studio/grading/${attemptId}/${position}`}>See the grade</Link>.</> : null}
          </FormAlert>
          <FormAlert>{actionData?.formErrors?.join(' ') || undefined}</FormAlert>
          <Form method="post" className="mt-3 space-y-4">
            {item.rubric.map((criterion, index) => {
              const name = levelField(index);
              const errorId = errors?.[name]?.length ? `${name}-error` : undefined;
              return (
                <fieldset key={criterion.criterion} aria-describedby={errorId} className="rounded border border-slate-300 p-3">
                  <legend className="px-1 font-medium">{criterion.criterion}</legend>
                  {criterion.levels.map((level) => (
                    <label key={`${level.points}-${level.description}`} className="flex items-start gap-2 py-1">
                      <input
                        type="radio"
                        name={name}
                        value={level.points}
                        required
                        defaultChecked={values?.[name] === String(level.points)}
                        className="mt-1"
                      />
                      <span>{pointsLabel(level.points)} — {level.description}</span>
                    </label>
                  ))}
                  <ErrorList id={errorId} errors={errors?.[name]} />
                </fieldset>
              );
            })}
            <div>
              <label htmlFor="comment" className="mb-1 block font-medium">Comment (optional)</label>
              <textarea
                id="comment"
                name="comment"
                rows={4}
                maxLength={COMMENT_MAX}
                defaultValue={values?.comment}
                aria-invalid={commentError ? true : undefined}
                aria-describedby={['comment-hint', commentError].filter(Boolean).join(' ')}
                className="block w-full rounded border border-slate-400 bg-white px-3 py-2 aria-invalid:border-red-700"
              />
              <p id="comment-hint" className="mt-1 text-sm text-slate-600">At most {COMMENT_MAX} characters.</p>
              <ErrorList id={commentError} errors={errors?.comment} />
            </div>
            <SubmitButton pendingText="Saving…">Save grade</SubmitButton>
            <p className="text-sm text-slate-700">A grade cannot be changed once saved.</p>
          </Form>
        </section>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Grading: ${data.caseFile.title}` : 'Grading'} · Studio · Frontline` }];
