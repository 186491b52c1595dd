import type { HeadersFunction, LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useMatches,
  useRouteLoaderData,
} from '@remix-run/react';
import { useEffect, type ReactNode } from 'react';
import { getUser } from '~/auth.server';
import { useNonce } from '~/nonce';
import stylesheet from '~/styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export async function loader({ request }: LoaderFunctionArgs) {
  // Public: the layout shows who is signed in. Each route guards its own data.
  const user = await getUser(request);
  return { user: user ? { name: user.name, roles: user.roles } : null };
}

export const meta: MetaFunction = () => [{ title: 'Frontline' }];

// When a page ends in the error page (this route's boundary), keep the error's Retry-After (503s).
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const kept = new Headers();
  const retryAfter = errorHeaders?.get('Retry-After');
  if (retryAfter) kept.set('Retry-After', retryAfter);
  return kept;
};

function Navigation() {
  const data = useRouteLoaderData<typeof loader>('root');
  const user = data?.user;
  const link = ({ isActive }: { isActive: boolean }) =>
    `rounded px-2 py-1 text-white no-underline hover:bg-brand-800 ${isActive ? 'bg-brand-800 underline' : ''}`;
  return (
    <header className="bg-brand-700 text-white print:hidden">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link to="/" className="mr-auto text-lg font-bold text-white no-underline">
          Frontline
        </Link>
        {user ? (
          <nav aria-label="Main" className="flex flex-wrap items-center gap-1">
            {user.roles.includes('learner') ? (
              <>
                <NavLink to="/learn" className={link}>
                  Learn
                </NavLink>
                <NavLink to="/exam" className={link}>
                  Exam
                </NavLink>
                <NavLink to="/certificate" className={link}>
                  Certificate
                </NavLink>
              </>
            ) : null}
            <NavLink to="/handbook" className={link}>
              Handbook
            </NavLink>
            {user.roles.includes('trainer') ? (
              <NavLink to="/studio" className={link}>
                Studio
              </NavLink>
            ) : null}
            {user.roles.includes('manager') || user.roles.includes('admin') ? (
              <NavLink to="/manage" className={link}>
                Manage
              </NavLink>
            ) : null}
            {user.roles.includes('admin') ? (
              <NavLink to="/admin" className={link}>
                Admin
              </NavLink>
            ) : null}
            <span className="px-2 text-sm text-brand-100" aria-label="Signed in as">
              {user.name}
            </span>
            <Form method="post" action="/logout">
              <button type="submit" className="rounded border border-white/70 px-2 py-1 text-sm hover:bg-brand-800">
                Sign out
              </button>
            </Form>
          </nav>
        ) : null}
      </div>
    </header>
  );
}

/**
 * A page whose route exports `handle = { hydrate: false }` has nothing for JavaScript to enhance:
 * it is sent as plain HTML (its forms and links work natively), lighter on a phone and cheaper to
 * serve. Give the route an interactive part and it must drop that handle.
 */
export interface RouteHandle {
  hydrate?: boolean;
}

function usePageWantsJavaScript(): boolean {
  const matches = useMatches();
  const page = matches[matches.length - 1];
  return (page?.handle as RouteHandle | undefined)?.hydrate !== false;
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const hydrate = usePageWantsJavaScript();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
          Skip to content
        </a>
        {children}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  // Browser tests wait for this before exercising client-side behaviour.
  useEffect(() => {
    document.documentElement.dataset.hydrated = 'true';
  }, []);
  return (
    <>
      <Navigation />
      <main id="main" className="mx-auto max-w-5xl px-4 py-6">
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = 'Something went wrong';
  let message = 'An unexpected error happened. Try again; if it keeps happening, tell your administrator.';
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = 'Page not found';
      message = 'There is nothing at this address. Check the link, or go back to the start.';
    } else if (error.status === 403) {
      title = 'Not allowed';
      message = typeof error.data === 'string' && error.data ? error.data : 'You do not have access to this page.';
    } else if (error.status === 503) {
      title = 'Try again shortly';
      message = 'Frontline is temporarily unavailable. Your work is safe; try again in a minute.';
    } else if (typeof error.data === 'string' && error.data) {
      message = error.data;
    }
  }
  return (
    <main id="main" className="mx-auto max-w-2xl px-4 py-12">
      <h1 className="mb-4 text-2xl font-bold">{title}</h1>
      <p className="mb-6">{message}</p>
      <Link to="/">Go to the start page</Link>
    </main>
  );
}
