// Signing in and out, session cookies and lifetimes, throttling, and the password rules, through the
// real login/setup/invite/logout/learn route handlers against this file's own SQLite database.
import { randomUUID } from 'node:crypto';
import { createCookie } from '@remix-run/node';
import { describe, expect, it } from 'vitest';
import { serializeSessionCookie } from '~/auth.server';
import { db } from '~/db.server';
import { createInvitation } from '~/models/invitation.server';
import { createSession, hashToken, userForSession } from '~/models/session.server';
import { countUsers, setUserStatus } from '~/models/user.server';
import { action as inviteAction } from '~/routes/invite.$token';
import { loader as learnLoader } from '~/routes/learn._index';
import { action as loginAction, loader as loginLoader } from '~/routes/login';
import { action as logoutAction } from '~/routes/logout';
import { action as setupAction } from '~/routes/setup';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';

type FormReply = { errors?: Partial<Record<string, string[]>>; formError?: string; values?: Record<string, string> };

const INCORRECT = 'Email or password is incorrect.';

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

let addressCounter = 0;
/** A client address no other test uses, so the per-address throttle of one test never blocks another. */
function freshAddress(): string {
  addressCounter += 1;
  return `192.0.2.${addressCounter}`;
}

async function signInAttempt(args: {
  email: string;
  password: string;
  redirectTo?: string;
  cookie?: string;
  address?: string;
}): Promise<Response> {
  const form: Record<string, string> = { email: args.email, password: args.password };
  if (args.redirectTo !== undefined) form.redirectTo = args.redirectTo;
  return call(loginAction, makeRequest('/login', { form, cookie: args.cookie }), {}, {
    clientAddress: args.address ?? freshAddress(),
    cspNonce: 'test',
  });
}

/** The "name=value" part of a Set-Cookie header, ready to send back as a Cookie header. */
function cookieFrom(response: Response): string {
  const setCookie = response.headers.get('Set-Cookie');
  if (!setCookie) throw new Error('The response sets no cookie');
  return setCookie.split(';')[0] ?? '';
}

/** The raw session token inside a signed cookie, read with the app's cookie name and secret. */
async function tokenIn(cookie: string): Promise<string> {
  const secret = process.env.SESSION_SECRET ?? '';
  const value: unknown = await createCookie('frontline_session', { secrets: [secret] }).parse(cookie);
  if (typeof value !== 'string') throw new Error('The cookie carries no session token');
  return value;
}

async function sessionRowsOf(userId: number) {
  return db().selectFrom('sessions').selectAll().where('user_id', '=', userId).execute();
}

const LIMITS = { idleMinutes: 30, maxDays: 1 };
const minutes = (n: number) => n * 60_000;

// Set-up is only open while the database has no account, so these run before anything creates one.
describe('password rules at set-up', () => {
  it.each([
    ['11 characters', 'abcdefghijk', 'Use at least 12 characters.'],
    ['a common password', 'password1234', 'This password is too common'],
    ['129 characters', 'lantern orbit pickle harbour '.repeat(5).slice(0, 129), 'Use at most 128 characters.'],
  ])('refuses %s, keeps the typed name and email, never echoes the password', async (_label, password, message) => {
    expect(await countUsers(db())).toBe(0);
    const email = uniqueEmail('setup-rules');
    const response = await call(
      setupAction,
      makeRequest('/setup', { form: { name: 'Ada Admin', email, password, confirmPassword: password } }),
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    const text = await response.text();
    expect(text).not.toContain(password);
    const reply = JSON.parse(text) as FormReply;
    expect(reply.errors?.password?.[0]).toContain(message);
    expect(reply.values).toEqual({ name: 'Ada Admin', email });
    expect(await countUsers(db())).toBe(0);
  });
});

describe('password rules when accepting an invitation', () => {
  it.each([
    ['11 characters', 'abcdefghijk', 'Use at least 12 characters.'],
    ['a common password', 'password1234', 'This password is too common'],
    ['129 characters', 'lantern orbit pickle harbour '.repeat(5).slice(0, 129), 'Use at most 128 characters.'],
  ])('refuses %s and never echoes the password', async (_label, password, message) => {
    const admin = await createUser({ roles: ['admin'], email: uniqueEmail('inviter') });
    const email = uniqueEmail('invitee');
    const invitation = await createInvitation(db(), { email, name: 'Ivy Invitee', roles: ['learner'], cohortId: null, actorId: admin.id });
    if ('error' in invitation) throw new Error(invitation.error);

    const response = await call(
      inviteAction,
      makeRequest(`/invite/${invitation.token}`, { form: { password, confirmPassword: password } }),
      { token: invitation.token },
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    const text = await response.text();
    expect(text).not.toContain(password);
    expect((JSON.parse(text) as FormReply).errors?.password?.[0]).toContain(message);
    expect(await db().selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined();
  });
});

describe('signing in', () => {
  it('redirects to a same-site redirectTo with an HttpOnly, SameSite=Lax session cookie for the whole site', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('signin') });
    const response = await signInAttempt({ email: user.email, password: user.password, redirectTo: '/learn/lessons/x?y=1' });

    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/learn/lessons/x?y=1');
    const setCookie = response.headers.get('Set-Cookie') ?? '';
    const attributes = setCookie.split(';').map((a) => a.trim().toLowerCase());
    expect(setCookie.startsWith('frontline_session=')).toBe(true);
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=lax');
    expect(attributes).toContain('path=/');
    // Served over plain http here: a Secure cookie would never come back.
    expect(attributes).not.toContain('secure');
  });

  it('keeps only a hash of the session token in the database', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('hash') });
    const response = await signInAttempt({ email: user.email, password: user.password });
    const token = await tokenIn(cookieFrom(response));

    const rows = await sessionRowsOf(user.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id_hash).toBe(hashToken(token));
    expect(rows[0]?.id_hash).not.toContain(token);
    expect(await db().selectFrom('sessions').select('id_hash').where('id_hash', '=', token).executeTakeFirst()).toBeUndefined();
  });

  it('starts a new session at every sign-in and ends the one the browser had', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('rotate') });
    const first = cookieFrom(await signInAttempt({ email: user.email, password: user.password }));
    const second = cookieFrom(await signInAttempt({ email: user.email, password: user.password, cookie: first }));

    const firstToken = await tokenIn(first);
    const secondToken = await tokenIn(second);
    expect(secondToken).not.toBe(firstToken);
    const rows = await sessionRowsOf(user.id);
    expect(rows.map((r) => r.id_hash)).toEqual([hashToken(secondToken)]);

    const withOldCookie = await call(learnLoader, makeRequest('/learn', { cookie: first }));
    expect(withOldCookie.status).toBe(302);
    expect(withOldCookie.headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
  });

  it.each([
    ['a protocol-relative URL', '//evil.example'],
    ['an absolute URL', 'https://evil.example'],
    ['a backslash trick', '/\\evil'],
    ['a tab that browsers strip', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['a relative path', 'learn'],
  ])('ignores a redirectTo that is %s and goes to /', async (_label, redirectTo) => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('redirect') });
    const response = await signInAttempt({ email: user.email, password: user.password, redirectTo });

    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/');
  });

  it('sends someone already signed in on from the login page, but never off-site', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('already') });
    const cookie = await cookieFor(user.id);

    const home = await call(loginLoader, makeRequest('/login', { cookie }));
    expect(home.headers.get('Location')).toBe('/learn');
    const evil = await call(loginLoader, makeRequest(`/login?redirectTo=${encodeURIComponent('//evil.example')}`, { cookie }));
    expect(evil.headers.get('Location')).toBe('/learn');
  });

  it('gives the same message and status for an unknown email as for a wrong password', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('same-message') });
    const wrongPassword = await signInAttempt({ email: user.email, password: 'not the password at all' });
    const unknownEmail = await signInAttempt({ email: uniqueEmail('nobody'), password: 'not the password at all' });

    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    const wrongReply = (await wrongPassword.json()) as FormReply;
    const unknownReply = (await unknownEmail.json()) as FormReply;
    expect(wrongReply.formError).toBe(INCORRECT);
    expect(unknownReply.formError).toBe(INCORRECT);
    expect(wrongPassword.headers.get('Set-Cookie')).toBeNull();
    expect(JSON.stringify(wrongReply)).not.toContain('not the password at all');
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });

  it('refuses a disabled user even with the right password', async () => {
    const admin = await createUser({ roles: ['admin'], email: uniqueEmail('disabler') });
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('disabled') });
    await setUserStatus(db(), { actorId: admin.id, userId: user.id, status: 'disabled' });

    const response = await signInAttempt({ email: user.email, password: user.password });

    expect(response.status).toBe(403);
    expect(response.headers.get('Set-Cookie')).toBeNull();
    expect(((await response.json()) as FormReply).formError).toMatch(/disabled/i);
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });
});

describe('sign-in throttling', () => {
  /** The free failures plus the first that imposes a wait (app/domain/throttle.ts ACCOUNT_POLICY). */
  const FAILURES_TO_LOCK = 4;
  const withoutNumbers = (text: string | undefined) => text?.replace(/\d+/g, 'N');

  it('locks an account after repeated failures, with Retry-After, and refuses even the right password', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('locked') });
    const address = freshAddress();
    for (let i = 0; i < FAILURES_TO_LOCK; i++) {
      const failure = await signInAttempt({ email: user.email, password: `wrong guess ${i}`, address });
      expect(failure.status).toBe(400);
    }

    const locked = await signInAttempt({ email: user.email, password: 'wrong guess again', address });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await locked.json()) as FormReply).formError).toMatch(/^Too many failed sign-in attempts\. Try again in \d+ seconds?\.$/);

    const rightPassword = await signInAttempt({ email: user.email, password: user.password, address });
    expect(rightPassword.status).toBe(429);
    expect(rightPassword.headers.get('Set-Cookie')).toBeNull();
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });

  it('answers the same way whether or not the account exists', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('exists') });
    const ghost = uniqueEmail('ghost');
    const replies: { status: number; retryAfter: string | null; formError: string | undefined }[] = [];
    for (const email of [user.email, ghost]) {
      const address = freshAddress();
      for (let i = 0; i < FAILURES_TO_LOCK; i++) await signInAttempt({ email, password: `wrong guess ${i}`, address });
      const response = await signInAttempt({ email, password: 'wrong guess again', address });
      replies.push({
        status: response.status,
        retryAfter: response.headers.get('Retry-After'),
        formError: withoutNumbers(((await response.json()) as FormReply).formError),
      });
    }

    expect(replies[0]?.status).toBe(429);
    expect(replies[0]?.retryAfter).not.toBeNull();
    expect(replies[1]).toEqual({ ...replies[0], retryAfter: expect.any(String) });
  });

  it('locks an account even when the failures come from different client addresses', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('spread') });
    for (let i = 0; i < FAILURES_TO_LOCK; i++) {
      expect((await signInAttempt({ email: user.email, password: `wrong guess ${i}`, address: freshAddress() })).status).toBe(400);
    }

    const fromNewAddress = await signInAttempt({ email: user.email, password: user.password, address: freshAddress() });
    expect(fromNewAddress.status).toBe(429);
    expect(fromNewAddress.headers.get('Retry-After')).not.toBeNull();
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });

  it('holds under a burst: 40 wrong passwords at once from 8 addresses lock the account, and none gets in', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('burst') });
    const addresses = Array.from({ length: 8 }, () => freshAddress());
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, i) => signInAttempt({ email: user.email, password: `wrong guess ${i}`, address: addresses[i % addresses.length]! })),
    );
    expect(burst.every((r) => r.status === 400 || r.status === 429)).toBe(true);
    expect(burst.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    // The right password, from yet another address, is refused while the lock holds.
    const right = await signInAttempt({ email: user.email, password: user.password, address: freshAddress() });
    expect(right.status).toBe(429);
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });

  it('does not lock an account for failures below the limit, and a success clears them', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('below') });
    const address = freshAddress();
    for (let i = 0; i < FAILURES_TO_LOCK - 1; i++) await signInAttempt({ email: user.email, password: `wrong guess ${i}`, address });
    expect((await signInAttempt({ email: user.email, password: user.password, address })).status).toBe(302);

    // The count started again: three more failures are still free.
    for (let i = 0; i < FAILURES_TO_LOCK - 1; i++) await signInAttempt({ email: user.email, password: `wrong guess ${i}`, address });
    expect((await signInAttempt({ email: user.email, password: user.password, address })).status).toBe(302);
  });
});

describe('signing out and ending sessions', () => {
  it('deletes the session, clears the cookie, and the old cookie no longer reaches /learn', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('signout') });
    const cookie = cookieFrom(await signInAttempt({ email: user.email, password: user.password }));
    expect(await sessionRowsOf(user.id)).toHaveLength(1);

    const response = await call(logoutAction, makeRequest('/logout', { method: 'POST', cookie }));

    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toBe('/login');
    expect(response.headers.get('Set-Cookie')?.toLowerCase()).toContain('max-age=0');
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
    const learn = await call(learnLoader, makeRequest('/learn', { cookie }));
    expect(learn.status).toBe(302);
    expect(learn.headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
  });

  it('ends every session of a user who is disabled', async () => {
    const admin = await createUser({ roles: ['admin'], email: uniqueEmail('admin') });
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('to-disable') });
    const laptop = await cookieFor(user.id);
    const phone = await cookieFor(user.id);
    expect(await sessionRowsOf(user.id)).toHaveLength(2);

    await setUserStatus(db(), { actorId: admin.id, userId: user.id, status: 'disabled', reason: 'left the programme' });

    expect(await sessionRowsOf(user.id)).toHaveLength(0);
    for (const cookie of [laptop, phone]) {
      const learn = await call(learnLoader, makeRequest('/learn', { cookie }));
      expect(learn.headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
    }
  });

  it('ends a session that has been idle longer than the limit, and keeps one in use alive', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('idle') });
    const start = new Date('2030-03-01T08:00:00Z');
    const token = await createSession(db(), { userId: user.id, limits: LIMITS, now: start });
    const at = (offset: number) => new Date(start.getTime() + offset);

    expect(await userForSession(db(), { token, limits: LIMITS, now: at(minutes(29)) })).toMatchObject({ id: user.id });
    // Seen at +29 min, so +58 min is only 29 minutes idle.
    expect(await userForSession(db(), { token, limits: LIMITS, now: at(minutes(58)) })).toMatchObject({ id: user.id });
    expect(await userForSession(db(), { token, limits: LIMITS, now: at(minutes(58 + 31)) })).toBeNull();
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
    // Gone for good, even if asked again "earlier".
    expect(await userForSession(db(), { token, limits: LIMITS, now: at(minutes(1)) })).toBeNull();
  });

  it('ends a session at its absolute lifetime even when it is used all the time', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('lifetime') });
    const start = new Date('2030-03-01T08:00:00Z');
    const token = await createSession(db(), { userId: user.id, limits: LIMITS, now: start });
    const day = minutes(24 * 60);

    for (let offset = minutes(20); offset < day; offset += minutes(20)) {
      expect(await userForSession(db(), { token, limits: LIMITS, now: new Date(start.getTime() + offset) })).not.toBeNull();
    }
    expect(await userForSession(db(), { token, limits: LIMITS, now: new Date(start.getTime() + day) })).toBeNull();
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });

  it('applies the configured idle limit to real requests', async () => {
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('idle-request') });
    // The default idle limit is 8 hours; this session was last used 9 hours ago.
    const token = await createSession(db(), { userId: user.id, limits: { idleMinutes: 8 * 60, maxDays: 7 }, now: new Date(Date.now() - minutes(9 * 60)) });
    const cookie = (await serializeSessionCookie(token)).split(';')[0] ?? '';

    const learn = await call(learnLoader, makeRequest('/learn', { cookie }));

    expect(learn.headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
    expect(await sessionRowsOf(user.id)).toHaveLength(0);
  });
});
