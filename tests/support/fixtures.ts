// Users, sessions and requests for integration tests, made directly in the test's database.
import { randomUUID } from 'node:crypto';
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import type { Role } from '~db/schema';
import { serializeSessionCookie } from '~/auth.server';
import { db } from '~/db.server';
import { addDays, localDate } from '~/domain/calendar';
import { env } from '~/env.server';
import { defaultTrackId, enrol } from '~/models/learning.server';
import { hashPassword } from '~/models/password.server';
import { createSession } from '~/models/session.server';
import { insertUser } from '~/models/user.server';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;
let counter = 0;

export async function createUser(args: { roles: Role[]; email?: string; name?: string }) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  counter += 1;
  const email = args.email ?? `user${counter}-${args.roles.join('-') || 'none'}@example.com`;
  const id = await insertUser(db(), {
    email,
    name: args.name ?? `Test ${args.roles.join(' ') || 'user'} ${counter}`,
    passwordHash: await passwordHash,
    roles: args.roles,
  });
  return { id, email, password: TEST_PASSWORD };
}

/** A user of these roles with a fresh session: who most route tests act as. */
export async function signedInUser(roles: Role[], options: { name?: string } = {}) {
  const user = await createUser({ roles, name: options.name });
  return { ...user, cookie: await cookieFor(user.id) };
}

/** `label` with a random suffix, for names that must not collide (cohorts, searches). */
export function uniqueName(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}`;
}

/** A Cookie header for a fresh session of this user. */
export async function cookieFor(userId: number): Promise<string> {
  const token = await createSession(db(), { userId, limits: { idleMinutes: 60, maxDays: 1 } });
  return (await serializeSessionCookie(token)).split(';')[0] ?? '';
}

export async function enrolLearner(userId: number, args: { startDate: string; cohortId?: number | null }) {
  const trackId = await defaultTrackId(db());
  if (!trackId) throw new Error('No track loaded in the test database');
  await enrol(db(), { userId, trackId, cohortId: args.cohortId ?? null, startDate: args.startDate });
}

export function makeRequest(
  path: string,
  options: { method?: string; cookie?: string; form?: Record<string, string | string[]> } = {},
): Request {
  const headers = new Headers({ Origin: 'http://localhost' });
  if (options.cookie) headers.set('Cookie', options.cookie);
  let body: URLSearchParams | undefined;
  if (options.form) {
    body = new URLSearchParams();
    for (const [key, value] of Object.entries(options.form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    }
  }
  return new Request(`http://localhost${path}`, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

/** Calls a loader or action like Remix does and returns the Response (thrown ones included). */
export async function call(
  handler: unknown,
  request: Request,
  params: Record<string, string> = {},
  context: Record<string, unknown> = { clientAddress: '127.0.0.1', cspNonce: 'test' },
): Promise<Response> {
  try {
    const result = await (handler as Handler)({ request, params, context } as unknown as LoaderFunctionArgs & ActionFunctionArgs);
    if (result instanceof Response) return result;
    return Response.json(result ?? null);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** Today's date in the default time zone (learners without a cohort live in it), shifted by `days`. */
export function dateFromToday(days: number): string {
  return addDays(localDate(new Date(), env().DEFAULT_TIME_ZONE), days);
}
