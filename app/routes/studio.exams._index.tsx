import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { FormAlert, SubmitButton } from '~/components/forms';
import { db } from '~/db.server';
import { duplicateExam, listStudioExams } from '~/models/studio.server';
import { readForm } from '~/read-form.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  return { exams: await listStudioExams(db()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const trainer = await requireRole(request, 'trainer');
  const formData = await readForm(request);
  if (formData.get('intent') !== 'duplicate') return Response.json({ reason: 'Unknown action.' }, { status: 400 });
  const result = await duplicateExam(db(), { examId: String(formData.get('examId') ?? ''), actorId: trainer.id });
  if (!result.ok) return Response.json({ reason: result.reason }, { status: result.status });
  return redirect(`/studio/exams/${result.examId}`);
}

export default function StudioExams() {
  const { exams } = useLoaderData<typeof loader>();
  const actionData = useActionData<{ reason?: string }>();
  return (
    <div className="space-y-5">
      <h2 className="text-2xl font-bold">Exam blueprints</h2>
      <p className="max-w-prose text-slate-700">
        A blueprint says how a certification exam is drawn from the published scenarios. Blueprints shipped in content/exams are
        read-only here: duplicate one to edit a copy and check it against the pool.
      </p>
      <FormAlert>{actionData?.reason}</FormAlert>
      <div className="relative overflow-x-auto rounded bg-white p-4 shadow">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Exam blueprints</caption>
          <thead className="bg-slate-100">
            <tr>
              <th scope="col" className="px-3 py-2">Exam</th>
              <th scope="col" className="px-3 py-2">Queue</th>
              <th scope="col" className="px-3 py-2">Sections</th>
              <th scope="col" className="px-3 py-2">Origin</th>
              <th scope="col" className="px-3 py-2">Offered to learners</th>
              <th scope="col" className="px-3 py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {exams.map((exam) => (
              <tr key={exam.id} className="border-t border-slate-200">
                <td className="px-3 py-2">
                  <Link to={`/studio/exams/${exam.id}`}>{exam.title}</Link>
                  <span className="block font-mono text-xs text-slate-600">{exam.id}</span>
                </td>
                <td className="px-3 py-2">{exam.queue}</td>
                <td className="px-3 py-2">{exam.sections}</td>
                <td className="px-3 py-2">{exam.origin === 'content' ? 'content/ (read-only)' : 'studio'}</td>
                <td className="px-3 py-2">{exam.inUse ? 'yes' : 'no'}</td>
                <td className="px-3 py-2">
                  <Form method="post">
                    <input type="hidden" name="examId" value={exam.id} />
                    <SubmitButton name="intent" value="duplicate" aria-label={`Duplicate ${exam.title}`} className="rounded border border-brand-700 px-3 py-1 text-brand-700">
                      {exam.origin === 'content' ? 'Duplicate to edit' : 'Duplicate'}
                    </SubmitButton>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Exams · Studio · Frontline' }];
