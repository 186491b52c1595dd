import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useLoaderData } from '@remix-run/react';
import { FormAlert, SubmitButton } from '~/components/forms';
import type { RouteHandle } from '~/root';
import { db } from '~/db.server';
import { describeState, requireLearnerContext } from '~/learner.server';
import { completeLesson, getLessonContent } from '~/models/learning.server';
import { readForm } from '~/read-form.server';

async function loadLesson(request: Request, lessonId: string | undefined) {
  const context = await requireLearnerContext(request);
  if (!context.enrolment || !context.outline) throw new Response('You are not enrolled in a track yet.', { status: 403 });
  const index = context.outline.lessons.findIndex((l) => l.id === lessonId);
  const lesson = context.outline.lessons[index];
  if (!lesson) throw new Response('There is no such lesson.', { status: 404 });
  return { ...context, lesson, index };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { outline, states, lesson, index, enrolment } = await loadLesson(request, params.lessonId);
  const titles = new Map(outline.lessons.map((l) => [l.id, l.title]));
  const state = describeState(states.get(lesson.id), titles);
  const neighbour = (i: number) => {
    const l = outline.lessons[i];
    return l ? { id: l.id, title: l.title } : null;
  };
  const module = outline.modules.find((m) => m.id === lesson.moduleId);
  // A locked lesson shows when it opens, never its text.
  const content = state.status === 'locked' ? null : await getLessonContent(db(), { lessonId: lesson.id, trackId: enrolment.trackId });
  return {
    lesson: { id: lesson.id, title: lesson.title, day: lesson.day, minutes: lesson.minutes },
    module: module ? { week: module.week, title: module.title } : null,
    state,
    content,
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    justCompleted: new URL(request.url).searchParams.has('completed'),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, states, lesson } = await loadLesson(request, params.lessonId);
  const formData = await readForm(request);
  if (formData.get('intent') !== 'complete') throw new Response('Unknown action.', { status: 400 });
  if (states.get(lesson.id)?.status === 'locked') {
    throw new Response('This lesson is not open yet, so it cannot be completed.', { status: 403 });
  }
  await completeLesson(db(), { userId: user.id, lessonId: lesson.id });
  return redirect(`/learn/lessons/${lesson.id}?completed`);
}

// Plain HTML: nothing on this page needs JavaScript (see RouteHandle in root.tsx).
export const handle: RouteHandle = { hydrate: false };

export default function LessonPage() {
  const { lesson, module, state, content, previous, next, justCompleted } = useLoaderData<typeof loader>();
  return (
    <article className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link to="/learn">Learn</Link>
        {module ? <span className="text-slate-600"> / Week {module.week}: {module.title}</span> : null}
      </nav>
      <h1 className="text-3xl font-bold">{lesson.title}</h1>
      <p className="mt-1 mb-4 text-slate-700">
        Day {lesson.day} · about {lesson.minutes} minutes
      </p>

      {state.status === 'locked' || !content ? (
        <section className="rounded bg-white p-6 shadow">
          <h2 className="mb-2 text-xl font-semibold">This lesson is locked</h2>
          {state.status === 'locked' && state.opensOn ? <p>It opens on {state.opensOn}.</p> : null}
          {state.status === 'locked' && state.waitingFor.length > 0 ? (
            <>
              <p>Complete these lessons first:</p>
              <ul className="list-disc pl-6">
                {state.waitingFor.map((w) => (
                  <li key={w.id}>
                    <Link to={`/learn/lessons/${w.id}`}>{w.title}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : (
        <>
          {justCompleted && state.status === 'completed' ? <FormAlert tone="success">Lesson marked complete. Well done.</FormAlert> : null}
          <section aria-labelledby="objectives-heading" className="mb-6 rounded border-l-4 border-brand-600 bg-white p-4">
            <h2 id="objectives-heading" className="mb-1 font-semibold">By the end of this lesson you can</h2>
            <ul className="list-disc pl-6">
              {content.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </section>
          {/* Rendered from Markdown at load time with raw HTML dropped and the output sanitised. */}
          <div className="prose-content" dangerouslySetInnerHTML={{ __html: content.bodyHtml }} />
          {content.policies.length > 0 ? (
            <section aria-labelledby="policies-heading" className="mt-8 rounded bg-white p-4 shadow">
              <h2 id="policies-heading" className="mb-2 font-semibold">Handbook sections cited</h2>
              <ul className="list-disc pl-6">
                {content.policies.map((p) => (
                  <li key={p.ref}>
                    <Link to={p.href}>
                      §{p.ref} {p.title}
                    </Link>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <div className="mt-8">
            {state.status === 'completed' ? (
              <p className="font-semibold text-green-800">You have completed this lesson.</p>
            ) : (
              <Form method="post">
                <SubmitButton name="intent" value="complete" pendingText="Saving…">
                  Mark complete
                </SubmitButton>
              </Form>
            )}
          </div>
        </>
      )}

      <nav aria-label="Lessons" className="mt-10 flex flex-wrap justify-between gap-4 border-t border-slate-200 pt-4">
        {previous ? (
          <Link to={`/learn/lessons/${previous.id}`} rel="prev">
            ← Previous: {previous.title}
          </Link>
        ) : <span />}
        {next ? (
          <Link to={`/learn/lessons/${next.id}`} rel="next">
            Next: {next.title} →
          </Link>
        ) : null}
      </nav>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.lesson.title ?? 'Lesson'} · Frontline` }];
