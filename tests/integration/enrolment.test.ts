// Cohorts and enrolment through the real loaders and actions: a manager creates a cohort (and manages
// it), enrols by one email, a pasted list or a CSV file through a preview that writes nothing, confirms
// (everything in one transaction, rows with errors skipped), moves learners between cohorts they
// manage and sets personal start dates. Another manager's cohort or learner is out of reach.
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import { trackDay } from '~/domain/schedule';
import { env } from '~/env.server';
import { createCohort } from '~/models/cohort.server';
import { acceptInvitation, findPendingInvitation } from '~/models/invitation.server';
import { defaultTrackId, enrol, getEnrolment } from '~/models/learning.server';
import { action as cohortAction, loader as cohortLoader } from '~/routes/manage.cohorts.$cohortId';
import { action as cohortsAction, loader as cohortsLoader } from '~/routes/manage.cohorts._index';
import { action as enrolmentAction, loader as enrolmentLoader } from '~/routes/manage.learners.$userId_.enrolment';
import { call, dateFromToday, enrolLearner, makeRequest, signedInUser, uniqueName } from '../support/fixtures';

type Person = { id: number; cookie: string; email: string };
type PreviewRow = { row: number; email: string; name: string | null; startDate: string | null; status: string; message: string; fromCohort: { id: number; name: string } | null };
type Preview = { kind: 'preview'; format: 'paste' | 'csv'; text: string; notice: string | null; rows: PreviewRow[]; counts: Record<string, number>; digest: string };
type Done = {
  kind: 'done';
  counts: Record<string, number>;
  invited: { row: number; email: string; name: string; link: string }[];
  skipped: { row: number; email: string; message: string }[];
};
type Rejected = { kind: 'error'; form: string; errors: Record<string, string[]> };

const zone = () => env().DEFAULT_TIME_ZONE;


let managerA: Person;
let managerB: Person;
let admin: Person;

beforeAll(async () => {
  managerA = await signedInUser(['manager']);
  managerB = await signedInUser(['manager']);
  admin = await signedInUser(['admin']);
});

function cohortOf(managerIds: number[], startDate = dateFromToday(-9)) {
  return createCohort(db(), { name: uniqueName('Cohort'), startDate, timeZone: zone(), managerIds, actorId: admin.id });
}

/** A learner in the cohort (or in none), with or without a personal start date. */
async function learnerIn(cohortId: number | null, startDate: string | null = null) {
  const learner = await signedInUser(['learner']);
  const trackId = await defaultTrackId(db());
  if (!trackId) throw new Error('No track loaded in the test database');
  await enrol(db(), { userId: learner.id, trackId, cohortId, startDate });
  return learner;
}

async function enrolmentOf(userId: number) {
  return db().selectFrom('enrolments').select(['cohort_id', 'start_date']).where('user_id', '=', userId).executeTakeFirst();
}

function post(viewer: Person, cohortId: number, form: Record<string, string>) {
  return call(cohortAction, makeRequest(`/manage/cohorts/${cohortId}`, { cookie: viewer.cookie, form }), { cohortId: String(cohortId) });
}

function upload(viewer: Person, cohortId: number, csv: string, filename = 'learners.csv') {
  const form = new FormData();
  form.append('intent', 'preview-csv');
  form.append('file', new File([csv], filename, { type: 'text/csv' }));
  const request = new Request(`http://localhost/manage/cohorts/${cohortId}`, { method: 'POST', headers: { Cookie: viewer.cookie, Origin: 'http://localhost' }, body: form });
  return call(cohortAction, request, { cohortId: String(cohortId) });
}

async function preview(response: Response): Promise<Preview> {
  expect(response.status).toBe(200);
  const body = (await response.json()) as Preview;
  expect(body.kind).toBe('preview');
  return body;
}

function confirm(viewer: Person, cohortId: number, shown: Preview) {
  return post(viewer, cohortId, { intent: 'confirm', format: shown.format, text: shown.text, digest: shown.digest });
}

async function auditCount(actorId: number) {
  const { n } = await db().selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('actor_id', '=', actorId).executeTakeFirstOrThrow();
  return Number(n);
}

const statuses = (rows: PreviewRow[]) => rows.map((r) => [r.row, r.status]);

describe('cohorts', () => {
  it('a manager creates a cohort and becomes its manager; the list shows only their cohorts, with learner counts', async () => {
    const name = uniqueName('Spring intake');
    const response = await call(
      cohortsAction,
      makeRequest('/manage/cohorts', { cookie: managerA.cookie, form: { name, startDate: '2026-03-02', timeZone: 'Europe/Lisbon', managerIds: String(managerB.id) } }),
    );
    expect(response.status).toBe(302);
    const cohort = await db().selectFrom('cohorts').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
    expect(response.headers.get('Location')).toBe(`/manage/cohorts/${cohort.id}?created=1`);
    expect(cohort).toMatchObject({ start_date: '2026-03-02', time_zone: 'Europe/Lisbon' });
    // A manager cannot hand the cohort to someone else: it is theirs.
    const managers = await db().selectFrom('cohort_managers').select('user_id').where('cohort_id', '=', cohort.id).execute();
    expect(managers).toEqual([{ user_id: managerA.id }]);
    const audit = await db().selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'cohort.created').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(managerA.id);
    expect(JSON.parse(audit.details)).toMatchObject({ cohortId: cohort.id, name });

    await learnerIn(cohort.id);
    const othersCohort = await cohortOf([managerB.id]);
    const list = async (viewer: Person) => {
      const page = await call(cohortsLoader, makeRequest('/manage/cohorts', { cookie: viewer.cookie }));
      return ((await page.json()) as { cohorts: { id: number; learners: number; managers: { id: number }[] }[] }).cohorts;
    };
    const mine = await list(managerA);
    expect(mine.find((c) => c.id === cohort.id)).toMatchObject({ learners: 1, managers: [{ id: managerA.id }] });
    expect(mine.some((c) => c.id === othersCohort)).toBe(false);
    expect((await list(admin)).some((c) => c.id === othersCohort)).toBe(true);
  });

  it('an admin chooses the managers; a clashing name or a non-manager is refused with 400 beside the field', async () => {
    const name = uniqueName('Admin made');
    const created = await call(cohortsAction, makeRequest('/manage/cohorts', { cookie: admin.cookie, form: { name, startDate: '2026-03-02', timeZone: 'UTC', managerIds: [String(managerA.id), String(managerB.id)] } }));
    expect(created.status).toBe(302);
    const cohort = await db().selectFrom('cohorts').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const managers = await db().selectFrom('cohort_managers').select('user_id').where('cohort_id', '=', cohort.id).orderBy('user_id').execute();
    expect(managers.map((m) => m.user_id)).toEqual([managerA.id, managerB.id].sort((a, b) => a - b));

    const clash = await call(cohortsAction, makeRequest('/manage/cohorts', { cookie: managerA.cookie, form: { name, startDate: '2026-03-02', timeZone: 'UTC' } }));
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as Rejected).errors.name).toEqual(['A cohort with this name already exists.']);
    const learner = await signedInUser(['learner']);
    const notManager = await call(cohortsAction, makeRequest('/manage/cohorts', { cookie: admin.cookie, form: { name: uniqueName('X'), startDate: '2026-03-02', timeZone: 'UTC', managerIds: String(learner.id) } }));
    expect(notManager.status).toBe(400);
    expect(((await notManager.json()) as Rejected).errors.managerIds).toEqual(['Choose managers from the list.']);
  });

  it('another manager’s cohort is not found: page, preview and confirm all answer 404', async () => {
    const theirs = await cohortOf([managerB.id]);
    expect((await call(cohortLoader, makeRequest(`/manage/cohorts/${theirs}`, { cookie: managerA.cookie }), { cohortId: String(theirs) })).status).toBe(404);
    const newcomer = await signedInUser(['learner']);
    expect((await post(managerA, theirs, { intent: 'preview-paste', emails: newcomer.email })).status).toBe(404);
    expect((await post(managerA, theirs, { intent: 'enrol-one', email: newcomer.email })).status).toBe(404);
    expect((await upload(managerA, theirs, `email\n${newcomer.email}`)).status).toBe(404);
    expect(await enrolmentOf(newcomer.id)).toBeUndefined();
    expect((await call(cohortLoader, makeRequest(`/manage/cohorts/${theirs}`, { cookie: admin.cookie }), { cohortId: String(theirs) })).status).toBe(200);
  });
});

describe('enrolling a pasted list', () => {
  it('previews each row’s fate and writes nothing; confirming enrols, moves and invites in one go, skipping errors', async () => {
    const cohort = await cohortOf([managerA.id]);
    const otherMine = await cohortOf([managerA.id]);
    const notMine = await cohortOf([managerB.id]);
    const newcomer = await signedInUser(['learner']);
    const mover = await learnerIn(otherMine);
    const outOfReach = await learnerIn(notMine);
    const already = await learnerIn(cohort);
    const trainer = await signedInUser(['trainer']);
    const stranger = `${uniqueName('stranger')}@example.com`;
    const auditsBefore = await auditCount(managerA.id);

    const text = [newcomer.email.toUpperCase(), mover.email, outOfReach.email, `${already.email}; ${trainer.email}`, `Sam Stranger <${stranger}>`, 'not-an-email', newcomer.email].join('\n');
    const shown = await preview(await post(managerA, cohort, { intent: 'preview-paste', emails: text }));
    expect(statuses(shown.rows)).toEqual([
      [1, 'enrol'],
      [2, 'move'],
      [3, 'error'],
      [4, 'already'],
      [5, 'error'],
      [6, 'invite'],
      [7, 'error'],
      [8, 'error'],
    ]);
    expect(shown.rows[1]?.fromCohort?.id).toBe(otherMine);
    expect(shown.rows[2]?.message).toMatch(/another cohort, which you do not manage/);
    expect(shown.rows[4]?.message).toMatch(/does not have the learner role/);
    expect(shown.rows[5]).toMatchObject({ email: stranger, name: 'Sam Stranger' });
    expect(shown.rows[6]?.message).toBe('“not-an-email” is not an email address.');
    expect(shown.rows[7]?.message).toBe(`Duplicate: ${newcomer.email} is already on row 1.`);
    expect(shown.counts).toMatchObject({ enrol: 1, move: 1, already: 1, invite: 1, error: 4 });

    // The preview wrote nothing.
    expect(await enrolmentOf(newcomer.id)).toBeUndefined();
    expect((await enrolmentOf(mover.id))?.cohort_id).toBe(otherMine);
    expect(await db().selectFrom('invitations').select('id').where('email', '=', stranger).execute()).toEqual([]);
    expect(await auditCount(managerA.id)).toBe(auditsBefore);

    const response = await confirm(managerA, cohort, shown);
    expect(response.status).toBe(200);
    const done = (await response.json()) as Done;
    expect(done.counts).toMatchObject({ enrol: 1, move: 1, invite: 1, error: 4 });
    expect(done.skipped.map((s) => s.row)).toEqual([3, 5, 7, 8]);
    expect((await enrolmentOf(newcomer.id))?.cohort_id).toBe(cohort);
    expect((await enrolmentOf(mover.id))?.cohort_id).toBe(cohort);
    expect((await enrolmentOf(outOfReach.id))?.cohort_id).toBe(notMine);
    expect(await enrolmentOf(trainer.id)).toBeUndefined();

    // One one-time link per invited person: it opens an invitation into this cohort, and accepting it enrols them.
    expect(done.invited).toEqual([{ row: 6, email: stranger, name: 'Sam Stranger', link: expect.stringMatching(/^http:\/\/localhost\/invite\/[0-9a-f]{32}$/) }]);
    const token = done.invited[0]?.link.split('/').pop() ?? '';
    expect(await findPendingInvitation(db(), { token })).toMatchObject({ email: stranger, cohort_id: cohort, roles: ['learner'] });
    const joined = await acceptInvitation(db(), { token, passwordHash: 'not-used-here' });
    expect((await enrolmentOf(joined ?? 0))?.cohort_id).toBe(cohort);

    const audits = await db().selectFrom('audit_events').select(['action', 'subject_user_id', 'details']).where('actor_id', '=', managerA.id).orderBy('id', 'desc').limit(4).execute();
    expect(audits.map((a) => [a.action, a.subject_user_id])).toEqual(
      expect.arrayContaining([
        ['learner.enrolled', newcomer.id],
        ['learner.moved', mover.id],
        ['invitation.created', null],
        ['cohort.learners_added', null],
      ]),
    );
    expect(JSON.parse(audits.find((a) => a.action === 'learner.moved')?.details ?? '{}')).toMatchObject({ fromCohortId: otherMine, cohortId: cohort, via: 'paste' });
  });

  it('refuses to write when things changed since the preview, and shows the new preview instead', async () => {
    const cohort = await cohortOf([managerA.id]);
    const elsewhere = await cohortOf([managerB.id]);
    const first = await signedInUser(['learner']);
    const second = await signedInUser(['learner']);
    const shown = await preview(await post(managerA, cohort, { intent: 'preview-paste', emails: `${first.email}, ${second.email}` }));
    expect(statuses(shown.rows)).toEqual([[1, 'enrol'], [2, 'enrol']]);

    await enrolLearner(second.id, { startDate: dateFromToday(0), cohortId: elsewhere }); // someone else got there first
    const again = await preview(await confirm(managerA, cohort, shown));
    expect(again.notice).toMatch(/Something changed since the preview/);
    expect(statuses(again.rows)).toEqual([[1, 'enrol'], [2, 'error']]);
    expect(await enrolmentOf(first.id)).toBeUndefined(); // nothing half-written

    const done = (await (await confirm(managerA, cohort, again)).json()) as Done;
    expect(done.counts.enrol).toBe(1);
    expect((await enrolmentOf(first.id))?.cohort_id).toBe(cohort);
    expect((await enrolmentOf(second.id))?.cohort_id).toBe(elsewhere);
  });

  it('a tampered or empty submission writes nothing', async () => {
    const cohort = await cohortOf([managerA.id]);
    const learner = await signedInUser(['learner']);
    const shown = await preview(await post(managerA, cohort, { intent: 'preview-paste', emails: learner.email }));
    const forged = await post(managerA, cohort, { intent: 'confirm', format: 'paste', text: `${learner.email}\n${(await signedInUser(['learner'])).email}`, digest: shown.digest });
    expect(((await preview(forged)).notice)).toMatch(/Something changed/);
    expect(await enrolmentOf(learner.id)).toBeUndefined();
    const empty = await post(managerA, cohort, { intent: 'preview-paste', emails: ' \n ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as Rejected).errors.emails).toEqual(['Paste at least one email address.']);
  });
});

describe('enrolling from a CSV file', () => {
  it('previews quoted fields, a BOM and bad rows with their row numbers; confirming skips the rows with errors', async () => {
    const cohort = await cohortOf([managerA.id]);
    const ana = await signedInUser(['learner']);
    const bo = await signedInUser(['learner']);
    const newcomer = `${uniqueName('new')}@example.com`;
    const csv = [
      '\uFEFFemail,name,start_date',
      `${ana.email},"Lima, Ana",${dateFromToday(-2)}`,
      `"${bo.email}","Chen ""Bo""",`,
      `${newcomer},"Multi`,
      `line",`,
      'not-an-email,Nobody,',
      `${ana.email},Again,`,
      `${uniqueName('late')}@example.com,Late,2026-02-30`,
    ].join('\r\n');
    const shown = await preview(await upload(managerA, cohort, csv));
    expect(shown.rows.map((r) => [r.row, r.status, r.name])).toEqual([
      [2, 'enrol', 'Lima, Ana'],
      [3, 'enrol', 'Chen "Bo"'],
      [4, 'invite', 'Multi line'],
      [5, 'error', 'Nobody'],
      [6, 'error', 'Again'],
      [7, 'error', 'Late'],
    ]);
    expect(shown.rows.filter((r) => r.status === 'error').map((r) => r.message)).toEqual([
      '“not-an-email” is not an email address.',
      `Duplicate: ${ana.email} is already on row 2.`,
      'The start date “2026-02-30” is not a calendar date: use YYYY-MM-DD, e.g. 2026-03-02.',
    ]);
    expect(await enrolmentOf(ana.id)).toBeUndefined();

    const done = (await (await confirm(managerA, cohort, shown)).json()) as Done;
    expect(done.skipped.map((s) => s.row)).toEqual([5, 6, 7]);
    expect(done.invited.map((i) => [i.row, i.email, i.name])).toEqual([[4, newcomer, 'Multi line']]);
    expect(await enrolmentOf(ana.id)).toEqual({ cohort_id: cohort, start_date: dateFromToday(-2) });
    expect(await enrolmentOf(bo.id)).toEqual({ cohort_id: cohort, start_date: null });
    const audit = await db().selectFrom('audit_events').select('details').where('action', '=', 'learner.enrolled').where('subject_user_id', '=', ana.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ cohortId: cohort, startDate: dateFromToday(-2), via: 'csv' });
  });

  it('refuses a file that cannot be used, with the reason beside the file field', async () => {
    const cohort = await cohortOf([managerA.id]);
    const reason = async (response: Response, status = 400) => {
      expect(response.status).toBe(status);
      return ((await response.json()) as Rejected).errors.file?.[0];
    };
    expect(await reason(await upload(managerA, cohort, 'name,start_date\nAna,2026-03-02'))).toBe('The header row has no “email” column.');
    expect(await reason(await upload(managerA, cohort, 'email\n"ana@example.com'))).toMatch(/^Row 2: a quoted field is never closed/);
    expect(await reason(await upload(managerA, cohort, ''))).toBe('Choose a CSV file with an email column.');
    expect(await reason(await upload(managerA, cohort, 'a'.repeat(1_048_577)), 413)).toMatch(/larger than 1 MB/);
    const rows = ['email', ...Array.from({ length: 5_001 }, (_, i) => `l${i}@example.com`)].join('\n');
    expect(await reason(await upload(managerA, cohort, rows))).toMatch(/at most 5,000 can be enrolled at once/);
  });

  it('an all-error file previews with nothing to write, and confirming it is refused', async () => {
    const cohort = await cohortOf([managerA.id]);
    const shown = await preview(await upload(managerA, cohort, 'email\nnope\nalso-nope'));
    expect(shown.counts.error).toBe(2);
    const refused = await preview(await confirm(managerA, cohort, shown));
    expect(refused.notice).toMatch(/nothing to write/);
  });
});

describe('enrolling one learner', () => {
  it('enrols at once, asks before moving someone from another of their cohorts, and refuses someone already here', async () => {
    const cohort = await cohortOf([managerA.id]);
    const otherMine = await cohortOf([managerA.id]);
    const newcomer = await signedInUser(['learner']);
    const done = await post(managerA, cohort, { intent: 'enrol-one', email: newcomer.email, startDate: dateFromToday(1) });
    expect(done.status).toBe(200);
    expect(await enrolmentOf(newcomer.id)).toEqual({ cohort_id: cohort, start_date: dateFromToday(1) });

    const again = await post(managerA, cohort, { intent: 'enrol-one', email: newcomer.email });
    expect(again.status).toBe(400);
    expect(((await again.json()) as Rejected).errors.email).toEqual([`${newcomer.email} is already in this cohort.`]);

    const mover = await learnerIn(otherMine);
    const unticked = await post(managerA, cohort, { intent: 'enrol-one', email: mover.email });
    expect(unticked.status).toBe(400);
    expect(((await unticked.json()) as Rejected).errors.allowMove?.[0]).toMatch(/^Will move from cohort .* Tick the box to move them\.$/);
    expect((await enrolmentOf(mover.id))?.cohort_id).toBe(otherMine);
    const moved = await post(managerA, cohort, { intent: 'enrol-one', email: mover.email, allowMove: 'on' });
    expect(((await moved.json()) as { message: string }).message).toMatch(new RegExp(`^${mover.email} moved here from Cohort-`));
    expect((await enrolmentOf(mover.id))?.cohort_id).toBe(cohort);

    const stranger = `${uniqueName('single')}@example.com`;
    const invited = (await (await post(managerA, cohort, { intent: 'enrol-one', email: stranger, name: 'Solo Person' })).json()) as Done;
    expect(invited.invited).toEqual([{ row: 1, email: stranger, name: 'Solo Person', link: expect.stringContaining('/invite/') }]);
  });
});

describe('a learner’s enrolment page', () => {
  function page(viewer: Person, userId: number) {
    return call(enrolmentLoader, makeRequest(`/manage/learners/${userId}/enrolment`, { cookie: viewer.cookie }), { userId: String(userId) });
  }
  function act(viewer: Person, userId: number, form: Record<string, string>) {
    return call(enrolmentAction, makeRequest(`/manage/learners/${userId}/enrolment`, { cookie: viewer.cookie, form }), { userId: String(userId) });
  }

  it('moves a learner between two cohorts the manager manages, audited', async () => {
    const from = await cohortOf([managerA.id]);
    const to = await cohortOf([managerA.id], dateFromToday(-1));
    const learner = await learnerIn(from, dateFromToday(-20));
    const shown = (await (await page(managerA, learner.id)).json()) as { targets: { id: number; day: number }[]; day: number };
    expect(shown.day).toBe(21);
    expect(shown.targets.find((t) => t.id === to)?.day).toBe(2);

    const moved = await act(managerA, learner.id, { intent: 'move', cohortId: String(to) });
    expect(moved.status).toBe(302);
    expect(moved.headers.get('Location')).toBe(`/manage/learners/${learner.id}/enrolment?done=move`);
    // The personal start date was not kept (box unticked): day 1 is now the new cohort's.
    expect(await enrolmentOf(learner.id)).toEqual({ cohort_id: to, start_date: null });
    const enrolment = await getEnrolment(db(), { userId: learner.id, defaultTimeZone: zone() });
    expect(enrolment && trackDay(enrolment, new Date())).toBe(2);
    const audit = await db().selectFrom('audit_events').select(['actor_id', 'details']).where('action', '=', 'learner.moved').where('subject_user_id', '=', learner.id).executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(managerA.id);
    expect(JSON.parse(audit.details)).toMatchObject({ fromCohortId: from, cohortId: to, personalStart: { from: dateFromToday(-20), to: null } });

    const back = await act(managerA, learner.id, { intent: 'move', cohortId: String(from), keepPersonalStart: 'on' });
    expect(back.status).toBe(302);
    expect((await enrolmentOf(learner.id))?.cohort_id).toBe(from);
  });

  it('a manager cannot move a learner out of, or into, a cohort they do not manage', async () => {
    const mine = await cohortOf([managerA.id]);
    const theirs = await cohortOf([managerB.id]);
    const theirLearner = await learnerIn(theirs);
    expect((await page(managerA, theirLearner.id)).status).toBe(404);
    expect((await act(managerA, theirLearner.id, { intent: 'move', cohortId: String(mine) })).status).toBe(404);
    expect((await act(managerA, theirLearner.id, { intent: 'set-start', startDate: dateFromToday(0) })).status).toBe(404);
    expect(await enrolmentOf(theirLearner.id)).toEqual({ cohort_id: theirs, start_date: null });

    const myLearner = await learnerIn(mine);
    expect((await act(managerA, myLearner.id, { intent: 'move', cohortId: String(theirs) })).status).toBe(403);
    expect((await enrolmentOf(myLearner.id))?.cohort_id).toBe(mine);
    const audited = await db().selectFrom('audit_events').select('id').where('subject_user_id', 'in', [theirLearner.id, myLearner.id]).where('actor_id', '=', managerA.id).execute();
    expect(audited).toEqual([]);

    // An admin may move anyone anywhere.
    expect((await act(admin, theirLearner.id, { intent: 'move', cohortId: String(mine) })).status).toBe(302);
    expect((await enrolmentOf(theirLearner.id))?.cohort_id).toBe(mine);
  });

  it('a personal start date changes the learner’s day of the track; clearing it goes back to the cohort’s day 1', async () => {
    const cohort = await cohortOf([managerA.id], dateFromToday(-9));
    const learner = await learnerIn(cohort);
    const day = async () => {
      const enrolment = await getEnrolment(db(), { userId: learner.id, defaultTimeZone: zone() });
      if (!enrolment) throw new Error('not enrolled');
      return trackDay(enrolment, new Date());
    };
    expect(await day()).toBe(10);

    const set = await act(managerA, learner.id, { intent: 'set-start', startDate: dateFromToday(-2) });
    expect(set.status).toBe(302);
    expect(await day()).toBe(3);
    expect(((await (await page(managerA, learner.id)).json()) as { day: number }).day).toBe(3);

    const bad = await act(managerA, learner.id, { intent: 'set-start', startDate: '2026-02-30' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Rejected).errors.startDate?.[0]).toMatch(/not a calendar date/);
    expect(await day()).toBe(3);

    expect((await act(managerA, learner.id, { intent: 'clear-start' })).status).toBe(302);
    expect(await day()).toBe(10);
    const trail = await db().selectFrom('audit_events').select(['action', 'details']).where('subject_user_id', '=', learner.id).where('actor_id', '=', managerA.id).orderBy('id').execute();
    expect(trail.map((t) => [t.action, JSON.parse(t.details)])).toEqual([
      ['learner.start_date_set', { cohortId: cohort, from: null, to: dateFromToday(-2) }],
      ['learner.start_date_cleared', { cohortId: cohort, from: dateFromToday(-2), to: null }],
    ]);
  });

  it('a learner without a cohort keeps their personal start date: clearing it is refused', async () => {
    const learner = await learnerIn(null, dateFromToday(-3));
    expect((await page(managerA, learner.id)).status).toBe(404); // no cohort: the admins'
    const refused = await act(admin, learner.id, { intent: 'clear-start' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Rejected).errors.startDate?.[0]).toMatch(/has no cohort/);
    expect(await enrolmentOf(learner.id)).toEqual({ cohort_id: null, start_date: dateFromToday(-3) });
  });
});
