// Who is asking, and may they? Every protected loader and action starts with one of the guards here.
import { createCookie, redirect } from '@remix-run/node';
import type { Role } from '~db/schema';
import { db } from '~/db.server';
import { env } from '~/env.server';
import { createSession, deleteSession, userForSession, type SessionUser } from '~/models/session.server';
import { oncePerRequest } from '~/request-scope.server';

export type { SessionUser };

function sessionCookie() {
  const { SESSION_SECRET, SESSION_MAX_DAYS } = env();
  if (!SESSION_SECRET) throw new Error('SESSION_SECRET is not set (npm start generates one in ./data).');
  return createCookie('frontline_session', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secrets: [SESSION_SECRET],
    maxAge: SESSION_MAX_DAYS * 86_400,
  });
}

function sessionLimits() {
  const { SESSION_IDLE_MINUTES, SESSION_MAX_DAYS } = env();
  return { idleMinutes: SESSION_IDLE_MINUTES, maxDays: SESSION_MAX_DAYS };
}

/** True when the request reached us over HTTPS (directly, or through a trusted proxy). */
function isHttps(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  return env().TRUST_PROXY && request.headers.get('x-forwarded-proto') === 'https';
}

async function sessionToken(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get('Cookie'));
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value) ? value : null;
}

export function getUser(request: Request): Promise<SessionUser | null> {
  const cookie = request.headers.get('Cookie') ?? '';
  return oncePerRequest(`user:${cookie}`, async () => {
    const token = await sessionToken(request);
    return token ? userForSession(db(), { token, limits: sessionLimits() }) : null;
  });
}

/**
 * Only paths on this site: "/learn" yes; "//evil.example", "https://…" and "/\\evil" no. Control
 * characters are refused too: browsers drop tabs and newlines from a URL, so "/\t/evil.example" is
 * "//evil.example" to them, and a newline is not allowed in a Location header at all.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  return to;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const here = `${url.pathname}${url.search}`;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: here })}`);
  }
  return user;
}

export function hasRole(user: Pick<SessionUser, 'roles'>, roles: Role | readonly Role[]): boolean {
  const wanted: readonly Role[] = typeof roles === 'string' ? [roles] : roles;
  return user.roles.some((r) => wanted.includes(r));
}

/** The user, when they hold at least one of `roles`; a 403 page otherwise. */
export async function requireRole(request: Request, roles: Role | readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user, roles)) {
    throw new Response('You do not have access to this page.', { status: 403, statusText: 'Forbidden' });
  }
  return user;
}

/** The Set-Cookie value that carries a session token (also used by tests to sign in directly). */
export function serializeSessionCookie(token: string, options: { secure?: boolean } = {}): Promise<string> {
  return sessionCookie().serialize(token, { secure: options.secure ?? false });
}

/** Starts a new session (a fresh id at every sign-in) and redirects with its cookie. */
export async function signIn(request: Request, args: { userId: number; redirectTo: string }): Promise<Response> {
  const token = await createSession(db(), { userId: args.userId, limits: sessionLimits() });
  const previous = await sessionToken(request);
  if (previous) await deleteSession(db(), { token: previous });
  return redirect(args.redirectTo, {
    headers: { 'Set-Cookie': await serializeSessionCookie(token, { secure: isHttps(request) }) },
  });
}

export async function signOut(request: Request): Promise<Response> {
  const token = await sessionToken(request);
  if (token) await deleteSession(db(), { token });
  return redirect('/login', {
    headers: { 'Set-Cookie': await sessionCookie().serialize('', { maxAge: 0, expires: new Date(0), secure: isHttps(request) }) },
  });
}

/** The client's address as seen by the HTTP server (see app/http.server.ts getLoadContext). */
export function clientAddress(context: unknown): string {
  const value = (context as { clientAddress?: unknown } | undefined)?.clientAddress;
  return typeof value === 'string' && value ? value : 'unknown';
}

/** Where a signed-in person starts, by their roles. */
export function homeFor(user: Pick<SessionUser, 'roles'>): string {
  if (user.roles.includes('learner')) return '/learn';
  if (user.roles.includes('admin')) return '/admin';
  if (user.roles.includes('manager')) return '/manage';
  if (user.roles.includes('trainer')) return '/studio';
  return '/handbook';
}
