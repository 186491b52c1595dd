import type { LoaderFunctionArgs } from '@remix-run/node';
import { NavLink, Outlet } from '@remix-run/react';
import { requireRole } from '~/auth.server';

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, 'admin');
  return null;
}

const sections = [
  { to: '/admin', label: 'Overview', end: true },
  { to: '/admin/users', label: 'Users', end: false },
  { to: '/admin/invitations', label: 'Invitations', end: false },
  { to: '/admin/cohorts', label: 'Cohorts', end: false },
  { to: '/admin/webhooks', label: 'Webhooks', end: false },
  { to: '/admin/api-keys', label: 'API keys', end: false },
];

export default function AdminLayout() {
  return (
    <div>
      <nav aria-label="Administration" className="mb-6 flex flex-wrap gap-2 border-b border-slate-300 pb-2">
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
