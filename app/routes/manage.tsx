// Managers (for the learners of their cohorts) and admins (for everyone) looking after learners.
import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireRole } from '~/auth.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['manager', 'admin']);
  return null;
}

const sections = [{ to: '/manage', label: 'Learners', end: false }];

export default function ManageLayout() {
  return (
    <div>
      <nav aria-label="Manage" className="mb-6 flex flex-wrap gap-2 border-b border-slate-300 pb-2">
        {sections.map((s) => (
          <NavLink
            key={s.to}
            to={s.to}
            end={s.end}
            className={({ isActive }) => `rounded px-3 py-1 ${isActive ? 'bg-brand-700 text-white no-underline' : ''}`}
          >
            {s.label}
          </NavLink>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}
