// First-run set-up, invitations, password reset links and the admin's own-account guard rails,
// through the real route handlers. This file's database starts with no users, so the set-up tests
// come first and the rest create their own administrator.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import { createCohort } from '~/models/cohort.server';
import { createInvitation } from '~/models/invitation.server';
import { action as adminInvitationsAction } from '~/routes/admin.invitations';
import { action as adminUserAction } from '~/routes/admin.users.$userId';
import { loader as indexLoader } from '~/routes/_index';
import { action as inviteAction, loader as inviteLoader } from '~/routes/invite.$token';
import { loader as learnLoader } from '~/routes/learn._index';
import { action as loginAction, loader as loginLoader } from '~/routes/login';
import { action as resetAction, loader as resetLoader } from '~/routes/reset.$token';
import { action as setupAction, loader as setupLoader } from '~/routes/setup';
import { call, cookieFor, createUser, dateFromToday, makeRequest } from '../support/fixtures';

type FormReply = {
  errors?: Partial<Record<string, string[]>>;
  formError?: string;
  values?: Record<string, unknown>;
  message?: string;
  link?: string;
  invited?: { name: string; email: string; link: string };
};

const NEW_PASSWORD = 'lantern orbit pickle harbour';

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.com`;
}

function cookieFrom(response: Response): string {
  const setCookie = response.headers.get('Set-Cookie');
  if (!setCookie) throw new Error('The response sets no cookie');
  return setCookie.split(';')[0] ?? '';
}

/** The token at the end of a one-time link such as http://localhost/invite/<token>. */
function tokenOf(link: string | undefined): string {
  const token = link?.split('/').pop();
  if (!token) throw new Error(`No token in link ${String(link)}`);
  return token;
}

async function userByEmail(email: string) {
  return db().selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

async function rolesOf(userId: number) {
  const rows = await db().selectFrom('user_roles').select('role').where('user_id', '=', userId).orderBy('role').execute();
  return rows.map((r) => r.role);
}

async function sessionCount(userId: number) {
  return (await db().selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute()).length;
}

let addressCounter = 0;
async function signIn(email: string, password: string) {
  addressCounter += 1;
  return call(loginAction, makeRequest('/login', { form: { email, password } }), {}, {
    clientAddress: `198.51.100.${addressCounter}`,
    cspNonce: 'test',
  });
}

async function adminWithCookie() {
  const admin = await createUser({ roles: ['admin'], email: uniqueEmail('admin') });
  return { ...admin, cookie: await cookieFor(admin.id) };
}

async function invite(adminCookie: string, form: Record<string, string | string[]>) {
  return call(adminInvitationsAction, makeRequest('/admin/invitations', { cookie: adminCookie, form }));
}

function acceptRequest(token: string, password = NEW_PASSWORD) {
  return makeRequest(`/invite/${token}`, { form: { password, confirmPassword: password } });
}

describe('first run', () => {
  it('sends every visitor to /setup while no account exists', async () => {
    expect((await db().selectFrom('users').select('id').execute()).length).toBe(0);

    const home = await call(indexLoader, makeRequest('/'));
    expect(home.status).toBe(302);
    expect(home.headers.get('Location')).toBe('/setup');
    const login = await call(loginLoader, makeRequest('/login'));
    expect(login.headers.get('Location')).toBe('/setup');
    const setup = await call(setupLoader, makeRequest('/setup'));
    expect(setup.status).toBe(200);
  });

  it('creates exactly one administrator when two set-up forms are sent at once, and signs that person in', async () => {
    const first = uniqueEmail('first-admin');
    const second = uniqueEmail('second-admin');
    const submit = (email: string, name: string) =>
      call(setupAction, makeRequest('/setup', { form: { name, email, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } }));

    const responses = await Promise.all([submit(first, 'First Admin'), submit(second, 'Second Admin')]);

    const users = await db().selectFrom('users').selectAll().execute();
    expect(users).toHaveLength(1);
    const admin = users[0];
    if (!admin) throw new Error('unreachable');
    expect([first, second]).toContain(admin.email);
    expect(await rolesOf(admin.id)).toEqual(['admin']);

    const winner = responses.find((r) => r.headers.get('Location') === '/admin');
    const loser = responses.find((r) => r !== winner);
    expect(winner?.status).toBe(302);
    expect(winner?.headers.get('Set-Cookie')).toMatch(/^frontline_session=/);
    expect(loser?.status).toBe(302);
    expect(loser?.headers.get('Location')).toBe('/login');
    expect(loser?.headers.get('Set-Cookie')).toBeNull();

    // The winner's cookie is a working admin session.
    expect(await sessionCount(admin.id)).toBe(1);
    const home = await call(indexLoader, makeRequest('/', { cookie: cookieFrom(winner as Response) }));
    expect(home.headers.get('Location')).toBe('/admin');
    const audit = await db().selectFrom('audit_events').selectAll().where('action', '=', 'instance.setup').execute();
    expect(audit).toEqual([expect.objectContaining({ actor_id: admin.id, subject_user_id: admin.id })]);
  });

  it('closes /setup once the administrator exists', async () => {
    const loader = await call(setupLoader, makeRequest('/setup'));
    expect(loader.status).toBe(302);
    expect(loader.headers.get('Location')).toBe('/login');

    const email = uniqueEmail('late-admin');
    const late = await call(setupAction, makeRequest('/setup', { form: { name: 'Late', email, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } }));
    expect(late.headers.get('Location')).toBe('/login');
    expect(late.headers.get('Set-Cookie')).toBeNull();
    expect(await userByEmail(email)).toBeUndefined();

    const home = await call(indexLoader, makeRequest('/'));
    expect(home.headers.get('Location')).toBe('/login');
  });
});

describe('invitations', () => {
  it('invites a learner into a cohort: the link shows who it is for, creates the account, enrols and signs in', async () => {
    const admin = await adminWithCookie();
    const cohortId = await createCohort(db(), {
      name: `Cohort ${randomUUID().slice(0, 8)}`,
      startDate: dateFromToday(0),
      timeZone: 'UTC',
      managerIds: [],
      actorId: admin.id,
    });
    const email = uniqueEmail('invitee');

    const created = await invite(admin.cookie, { email, name: 'Nia Newcomer', roles: ['learner', 'trainer'], cohortId: String(cohortId) });
    expect(created.status).toBe(200);
    const { invited } = (await created.json()) as FormReply;
    expect(invited).toMatchObject({ name: 'Nia Newcomer', email });
    expect(invited?.link).toMatch(/^http:\/\/localhost\/invite\/[0-9a-f]{32}$/);
    const token = tokenOf(invited?.link);
    // Only a hash of the link's token is kept.
    const stored = await db().selectFrom('invitations').selectAll().where('email', '=', email).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toBe(token);

    const page = await call(inviteLoader, makeRequest(`/invite/${token}`), { token });
    expect(await page.json()).toEqual({ invitation: { name: 'Nia Newcomer', email } });

    const accepted = await call(inviteAction, acceptRequest(token), { token });
    expect(accepted.status).toBe(302);
    expect(accepted.headers.get('Location')).toBe('/');
    const cookie = cookieFrom(accepted);

    const user = await userByEmail(email);
    expect(user).toMatchObject({ name: 'Nia Newcomer', status: 'active' });
    if (!user) throw new Error('unreachable');
    expect(await rolesOf(user.id)).toEqual(['learner', 'trainer']);
    const enrolment = await db().selectFrom('enrolments').selectAll().where('user_id', '=', user.id).executeTakeFirst();
    expect(enrolment).toMatchObject({ cohort_id: cohortId, start_date: null });
    expect(await sessionCount(user.id)).toBe(1);

    // Signed in as the new learner, who lands on their track in the cohort.
    const home = await call(indexLoader, makeRequest('/', { cookie }));
    expect(home.headers.get('Location')).toBe('/learn');
    const learn = (await (await call(learnLoader, makeRequest('/learn', { cookie }))).json()) as { track: { cohortName: string | null } };
    expect(learn.track.cohortName).toMatch(/^Cohort /);
  });

  it('works only once', async () => {
    const admin = await adminWithCookie();
    const email = uniqueEmail('once');
    const { invited } = (await (await invite(admin.cookie, { email, name: 'Olu Once', roles: ['learner'] })).json()) as FormReply;
    const token = tokenOf(invited?.link);
    expect((await call(inviteAction, acceptRequest(token), { token })).status).toBe(302);

    const again = await call(inviteAction, acceptRequest(token, 'a different long passphrase'), { token });
    expect(again.status).toBe(410);
    expect(again.headers.get('Set-Cookie')).toBeNull();
    expect(((await again.json()) as FormReply).formError).toBe('This invitation link is no longer valid.');
    const page = await call(inviteLoader, makeRequest(`/invite/${token}`), { token });
    expect(await page.json()).toEqual({ invitation: null });
    expect(await db().selectFrom('users').select('id').where('email', '=', email).execute()).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    const admin = await createUser({ roles: ['admin'], email: uniqueEmail('admin') });
    const email = uniqueEmail('expired');
    const invitation = await createInvitation(db(), {
      email,
      name: 'Eli Expired',
      roles: ['learner'],
      cohortId: null,
      actorId: admin.id,
      now: new Date(Date.now() - 8 * 86_400_000),
    });
    if ('error' in invitation) throw new Error(invitation.error);
    const { token } = invitation;

    const page = await call(inviteLoader, makeRequest(`/invite/${token}`), { token });
    expect(await page.json()).toEqual({ invitation: null });
    const accepted = await call(inviteAction, acceptRequest(token), { token });
    expect(accepted.status).toBe(410);
    expect(accepted.headers.get('Set-Cookie')).toBeNull();
    expect(await userByEmail(email)).toBeUndefined();
  });

  it('replaces an earlier pending link for the same email', async () => {
    const admin = await adminWithCookie();
    const email = uniqueEmail('twice-invited');
    const first = (await (await invite(admin.cookie, { email, name: 'Tam Twice', roles: ['learner'] })).json()) as FormReply;
    const second = (await (await invite(admin.cookie, { email, name: 'Tam Twice', roles: ['learner'] })).json()) as FormReply;
    const oldToken = tokenOf(first.invited?.link);
    const newToken = tokenOf(second.invited?.link);

    expect((await call(inviteAction, acceptRequest(oldToken), { token: oldToken })).status).toBe(410);
    expect((await call(inviteAction, acceptRequest(newToken), { token: newToken })).status).toBe(302);
  });

  it('refuses to invite an email that already has an account, with a field error', async () => {
    const admin = await adminWithCookie();
    const existing = await createUser({ roles: ['learner'], email: uniqueEmail('existing') });

    const response = await invite(admin.cookie, { email: existing.email.toUpperCase(), name: 'Someone Else', roles: ['learner'] });

    expect(response.status).toBe(400);
    const reply = (await response.json()) as FormReply;
    expect(reply.errors?.email).toEqual(['Someone with this email already has an account.']);
    expect(reply.values).toMatchObject({ email: existing.email.toUpperCase(), name: 'Someone Else', roles: ['learner'] });
    expect(await db().selectFrom('invitations').select('id').where('email', '=', existing.email).execute()).toHaveLength(0);
  });

  it('refuses a cohort for someone invited without the learner role, keeping what was typed', async () => {
    const admin = await adminWithCookie();
    const cohortId = await createCohort(db(), { name: `Cohort ${uniqueEmail('c')}`, startDate: '2026-12-01', timeZone: 'Asia/Shanghai', managerIds: [], actorId: admin.id });
    const email = uniqueEmail('trainer-in-cohort');
    const response = await invite(admin.cookie, { email, name: 'Tess Trainer', roles: ['trainer'], cohortId: String(cohortId) });

    expect(response.status).toBe(400);
    const reply = (await response.json()) as FormReply;
    expect(reply.errors?.cohortId?.[0]).toMatch(/^Only learners join a cohort/);
    expect(reply.values).toMatchObject({ email, name: 'Tess Trainer', roles: ['trainer'] });
    expect(await db().selectFrom('invitations').select('id').where('email', '=', email).execute()).toHaveLength(0);
  });

  it('refuses an invitation without a role, and is closed to non-admins', async () => {
    const admin = await adminWithCookie();
    const noRole = await invite(admin.cookie, { email: uniqueEmail('norole'), name: 'No Role' });
    expect(noRole.status).toBe(400);
    expect(((await noRole.json()) as FormReply).errors?.roles).toEqual(['Choose at least one role.']);

    const trainer = await createUser({ roles: ['trainer'], email: uniqueEmail('trainer') });
    const email = uniqueEmail('by-trainer');
    const forbidden = await invite(await cookieFor(trainer.id), { email, name: 'Not Allowed', roles: ['admin'] });
    expect(forbidden.status).toBe(403);
    expect(await db().selectFrom('invitations').select('id').where('email', '=', email).execute()).toHaveLength(0);
  });
});

describe('password reset links', () => {
  it('lets the user choose a new password once, and ends their old sessions', async () => {
    const admin = await adminWithCookie();
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('forgetful') });
    const oldCookie = await cookieFor(user.id);

    const created = await call(adminUserAction, makeRequest(`/admin/users/${user.id}`, { cookie: admin.cookie, form: { intent: 'reset-link' } }), {
      userId: String(user.id),
    });
    expect(created.status).toBe(200);
    const { link } = (await created.json()) as FormReply;
    expect(link).toMatch(/^http:\/\/localhost\/reset\/[0-9a-f]{32}$/);
    const token = tokenOf(link);

    const page = await call(resetLoader, makeRequest(`/reset/${token}`), { token });
    expect(await page.json()).toEqual({ reset: { email: user.email } });

    const saved = await call(resetAction, makeRequest(`/reset/${token}`, { form: { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } }), { token });
    expect(saved.status).toBe(302);
    expect(saved.headers.get('Location')).toBe('/login?reset=1');

    expect(await sessionCount(user.id)).toBe(0);
    const learn = await call(learnLoader, makeRequest('/learn', { cookie: oldCookie }));
    expect(learn.headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
    expect((await signIn(user.email, user.password)).status).toBe(400);
    expect((await signIn(user.email, NEW_PASSWORD)).status).toBe(302);

    const again = await call(resetAction, makeRequest(`/reset/${token}`, { form: { password: 'another long passphrase', confirmPassword: 'another long passphrase' } }), { token });
    expect(again.status).toBe(410);
    expect(await (await call(resetLoader, makeRequest(`/reset/${token}`), { token })).json()).toEqual({ reset: null });
    expect((await signIn(user.email, 'another long passphrase')).status).toBe(400);
  });

  it('keeps the link usable when the new password is refused', async () => {
    const admin = await adminWithCookie();
    const user = await createUser({ roles: ['learner'], email: uniqueEmail('weak-reset') });
    const created = await call(adminUserAction, makeRequest(`/admin/users/${user.id}`, { cookie: admin.cookie, form: { intent: 'reset-link' } }), {
      userId: String(user.id),
    });
    const token = tokenOf(((await created.json()) as FormReply).link);

    const weak = await call(resetAction, makeRequest(`/reset/${token}`, { form: { password: 'password1234', confirmPassword: 'password1234' } }), { token });
    expect(weak.status).toBe(400);
    expect(((await weak.json()) as FormReply).errors?.password?.[0]).toMatch(/too common/);

    const strong = await call(resetAction, makeRequest(`/reset/${token}`, { form: { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } }), { token });
    expect(strong.status).toBe(302);
  });
});

describe("an administrator's own account", () => {
  const post = (cookie: string, userId: number, form: Record<string, string | string[]>) =>
    call(adminUserAction, makeRequest(`/admin/users/${userId}`, { cookie, form }), { userId: String(userId) });

  it('cannot lose its admin role by its own hand', async () => {
    const admin = await adminWithCookie();

    const withoutAdmin = await post(admin.cookie, admin.id, { intent: 'roles', roles: ['learner'] });
    expect(withoutAdmin.status).toBe(400);
    expect(((await withoutAdmin.json()) as FormReply).errors?.roles?.[0]).toMatch(/cannot remove your own admin role/);
    const noRoles = await post(admin.cookie, admin.id, { intent: 'roles' });
    expect(noRoles.status).toBe(400);
    expect(await rolesOf(admin.id)).toEqual(['admin']);

    // Adding a role to oneself while keeping admin is fine.
    expect((await post(admin.cookie, admin.id, { intent: 'roles', roles: ['admin', 'trainer'] })).status).toBe(200);
    expect(await rolesOf(admin.id)).toEqual(['admin', 'trainer']);
  });

  it('cannot be disabled by itself', async () => {
    const admin = await adminWithCookie();

    const response = await post(admin.cookie, admin.id, { intent: 'disable', reason: 'oops' });

    expect(response.status).toBe(400);
    expect(((await response.json()) as FormReply).errors?.reason).toEqual(['You cannot disable your own account.']);
    expect((await userByEmail(admin.email))?.status).toBe('active');
    expect(await sessionCount(admin.id)).toBe(1);
  });
});

describe('audit trail', () => {
  it('records role changes, disabling and enabling with who did it', async () => {
    const admin = await adminWithCookie();
    const subject = await createUser({ roles: ['learner'], email: uniqueEmail('subject') });
    const subjectCookie = await cookieFor(subject.id);
    const post = (form: Record<string, string | string[]>) =>
      call(adminUserAction, makeRequest(`/admin/users/${subject.id}`, { cookie: admin.cookie, form }), { userId: String(subject.id) });

    expect((await post({ intent: 'roles', roles: ['learner', 'manager'] })).status).toBe(200);
    expect(await rolesOf(subject.id)).toEqual(['learner', 'manager']);
    expect((await post({ intent: 'disable', reason: 'Left the programme' })).status).toBe(200);
    expect((await userByEmail(subject.email))?.status).toBe('disabled');
    expect(await sessionCount(subject.id)).toBe(0);
    expect((await call(learnLoader, makeRequest('/learn', { cookie: subjectCookie }))).headers.get('Location')).toBe('/login?redirectTo=%2Flearn');
    expect((await post({ intent: 'enable' })).status).toBe(200);
    expect((await userByEmail(subject.email))?.status).toBe('active');

    const events = await db()
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'details', 'reason'])
      .where('subject_user_id', '=', subject.id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['user.roles_changed', 'user.disabled', 'user.enabled']);
    expect(events.every((e) => e.actor_id === admin.id)).toBe(true);
    expect(JSON.parse(events[0]?.details ?? '{}')).toEqual({ from: ['learner'], to: ['learner', 'manager'] });
    expect(events[1]?.reason).toBe('Left the programme');
  });

  it('writes nothing when the change is refused', async () => {
    const admin = await adminWithCookie();
    const before = await db().selectFrom('audit_events').select('id').where('subject_user_id', '=', admin.id).execute();

    await call(adminUserAction, makeRequest(`/admin/users/${admin.id}`, { cookie: admin.cookie, form: { intent: 'disable' } }), { userId: String(admin.id) });
    await call(adminUserAction, makeRequest(`/admin/users/${admin.id}`, { cookie: admin.cookie, form: { intent: 'roles', roles: ['learner'] } }), { userId: String(admin.id) });

    const after = await db().selectFrom('audit_events').select('id').where('subject_user_id', '=', admin.id).execute();
    expect(after).toHaveLength(before.length);
  });
});
