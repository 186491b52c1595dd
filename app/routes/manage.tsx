// Managers (for the learners of their cohorts) and admins (for everyone) looking after learners.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { Link, Outlet, useLocation } from '@remix-run/react';
import { requireRole } from '~/auth.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['manager', 'admin']);
  return null;
}

// Each section, and the paths that belong to it (the roster's learner pages are under "Learners").
const sections = [
  { to: '/manage', label: 'Learners', owns: (path: string) => path === '/manage' || path.startsWith('/manage/learners') },
  { to: '/manage/cohorts', label: 'Cohorts', owns: (path: string) => path.startsWith('/manage/cohorts') },
  { to: '/manage/insights', label: 'The picture', owns: (path: string) => path.startsWith('/manage/insights') },
];

export default function ManageLayout() {
  const { pathname } = useLocation();
  const path = pathname.replace(/\/+$/, '') || '/';
  return (
    <div>
      <nav aria-label="Manage" className="mb-6 flex flex-wrap gap-2 border-b border-slate-300 pb-2">
        {sections.map((s) => {
          const active = s.owns(path);
          return (
            <Link key={s.to} to={s.to} aria-current={active ? 'page' : undefined} className={`rounded px-3 py-1 ${active ? 'bg-brand-700 text-white no-underline' : ''}`}>
              {s.label}
            </Link>
          );
        })}
      </nav>
      <Outlet />
    </div>
  );
}
