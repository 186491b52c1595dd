import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet, useLoaderData } from '@remix-run/react';
import { requireRole } from '~/auth.server';
import { db } from '~/db.server';
import { listPendingReplies } from '~/models/exam.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'trainer');
  const { total } = await listPendingReplies(db(), { page: 1, perPage: 1 });
  return { waiting: total };
}

export default function StudioLayout() {
  const { waiting } = useLoaderData<typeof loader>();
  // The studio grows (scenarios, exams…): each part is one more entry here. Pages below use h2.
  const sections = [
    { to: '/studio', label: 'Overview', end: true },
    { to: '/studio/grading', label: 'Grading queue', end: false, count: waiting },
    { to: '/studio/scenarios', label: 'Scenarios', end: false },
    { to: '/studio/exams', label: 'Exams', end: false },
    { to: '/studio/analysis', label: 'Item analysis', end: false },
    { to: '/studio/regrade', label: 'Regrade', end: false },
    { to: '/studio/import', label: 'Import', end: false },
  ];
  return (
    <div>
      <h1 className="mb-3 text-3xl font-bold">Studio</h1>
      <nav aria-label="Studio" className="mb-6 flex flex-wrap gap-2 border-b border-slate-300 pb-2">
        {sections.map((s) => (
          <NavLink
            key={s.to}
            to={s.to}
            end={s.end}
            className={({ isActive }) => `rounded px-3 py-1 ${isActive ? 'bg-brand-700 text-white no-underline' : ''}`}
          >
            {s.label}
            {s.count !== undefined ? (
              <span className="ml-2 rounded-full bg-slate-200 px-2 text-sm font-semibold text-slate-900">
                {s.count}
                <span className="sr-only"> waiting</span>
              </span>
            ) : null}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
