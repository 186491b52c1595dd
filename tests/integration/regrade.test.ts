// Regrading after an answer key is fixed, on a real SQLite file: learners sit the exam, a trainer
// publishes a version of a drawn scenario whose key moved, previews the regrade (nothing written),
// applies it (grades, results, certifications revoked and issued, audit and webhook events), and
// applying it again changes nothing.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '~/db.server';
import type { ScenarioFile, ScenarioItem } from '~/content/scenario-schema';
import { drawExam } from '~/domain/exam-draw';
import { scenarioVersions } from '~/models/attempt.server';
import { queueAccessByEmail } from '~/models/certification.server';
import { examPool } from '~/models/exam.server';
import { applyRegrade, previewRegrade, REGRADE_REVOCATION_PREFIX } from '~/models/regrade.server';
import { action, loader } from '~/routes/studio.regrade';
import { makeEligible } from '../support/eligibility';
import { certificationExam, gradeWrittenReplies, responseFor, rubricLevels, sitExam, type AnswerMode } from '../support/exam-fixtures';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';

type Page = Awaited<ReturnType<typeof loader>>;
type Single = Extract<ScenarioItem, { type: 'single' }>;

const SEED = 1;

let trainer: { id: number; cookie: string };
let target: { scenarioId: string; fromVersionId: number; toVersionId: number; position: number; item: Single; points: number; wrongOptionId: string };
const learners: Record<'pass' | 'fail' | 'steady' | 'blank', { id: number; email: string; attemptId: number }> = {} as never;

async function sit(name: string, plan: (position: number) => AnswerMode) {
  const user = await createUser({ roles: ['learner'], name });
  await makeEligible(user.id);
  const sat = await sitExam({ userId: user.id, answer: 'correct', seed: SEED, answerFor: (_item, position) => plan(position) });
  // A trainer grades the written replies at the top of the rubric: the result is then final.
  await gradeWrittenReplies(sat, { graderId: trainer.id, pick: 'top' });
  return { id: user.id, email: user.email, attemptId: sat.attemptId };
}

/** Publishes version n+1 of the scenario with the single item's key moved to `optionId`, as the studio would. */
async function publishKeyMoved(args: { scenarioId: string; fromVersionId: number; itemKey: string; optionId: string }): Promise<number> {
  const body = (await scenarioVersions(db(), [args.fromVersionId])).get(args.fromVersionId);
  if (!body) throw new Error('no body');
  const changed: ScenarioFile = {
    ...body,
    items: body.items.map((item) =>
      item.id === args.itemKey && item.type === 'single' ? { ...item, options: item.options.map((o) => ({ ...o, correct: o.id === args.optionId })) } : item,
    ),
  };
  const previous = await db().selectFrom('scenario_versions').select(['version']).where('id', '=', args.fromVersionId).executeTakeFirstOrThrow();
  const at = new Date().toISOString();
  const { id } = await db()
    .insertInto('scenario_versions')
    .values({ scenario_id: args.scenarioId, version: previous.version + 1, content_hash: randomUUID(), body: JSON.stringify(changed), change_note: 'Answer key fixed', published_at: at, published_by: trainer.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const items = await db().selectFrom('scenario_items').selectAll().where('scenario_version_id', '=', args.fromVersionId).execute();
  await db()
    .insertInto('scenario_items')
    .values(items.map(({ id: _id, ...row }) => ({ ...row, scenario_version_id: id })))
    .execute();
  await db().updateTable('scenarios').set({ current_version_id: id, updated_at: at }).where('id', '=', args.scenarioId).execute();
  return id;
}

const counts = async () => ({
  audit: Number((await db().selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  events: Number((await db().selectFrom('webhook_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
  certifications: Number((await db().selectFrom('certifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
});
const attemptRow = (id: number) => db().selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const certificationOf = (attemptId: number) => db().selectFrom('certifications').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst();

beforeAll(async () => {
  const user = await createUser({ roles: ['trainer'], name: 'Tom Trainer' });
  trainer = { id: user.id, cookie: await cookieFor(user.id) };
  const exam = await certificationExam();
  // Every fresh learner with this seed gets this draw: the plan below is worked out from it.
  const draw = drawExam({ blueprint: exam.blueprint, pool: await examPool(db()), seed: SEED });
  if (!draw.ok) throw new Error('the exam cannot be drawn');
  const max = draw.items.reduce((n, i) => n + i.points, 0);
  const passAt = (exam.blueprint.passMark / 100) * max;
  const bodies = await scenarioVersions(db(), draw.items.map((i) => i.versionId));
  const itemOf = (drawn: (typeof draw.items)[number]) => bodies.get(drawn.versionId)?.items.find((i) => i.id === drawn.itemKey);
  // A single-choice item with a wrong option that is safe: the fixed key moves to it.
  const singles = draw.items
    .map((item, position) => ({ item, position }))
    .filter(({ item }) => {
      const found = itemOf(item);
      return found?.type === 'single' && found.options.some((o) => !o.correct && !o.unsafe);
    });
  const chosen = singles.reduce((best, s) => (s.item.points > (best?.item.points ?? 0) ? s : best), singles[0]);
  if (!chosen) throw new Error('the draw holds no single-choice item with a safe wrong option');
  const item = itemOf(chosen.item);
  if (item?.type !== 'single') throw new Error('not a single item');
  const points = chosen.item.points;
  // What an item earns answered right: full points, or for a written reply the top of its rubric.
  const earned = (drawn: (typeof draw.items)[number]) => {
    const found = itemOf(drawn);
    return found?.type === 'written' ? Math.min(found.points, rubricLevels(found, 'top').reduce((n, p) => n + p, 0)) : drawn.points;
  };
  const allRight = draw.items.reduce((n, i) => n + earned(i), 0);

  // Blank just enough other items that the rest earns X with X < pass mark ≤ X + the target's points:
  // right on the target passes, wrong fails — until the key moves.
  let rest = allRight - points;
  const blanks = new Set<number>();
  const candidates = draw.items
    .map((i, position) => ({ points: i.points, position, type: i.type }))
    .filter((c) => c.position !== chosen.position && c.type !== 'written' && c.points <= points)
    .sort((a, b) => a.points - b.points);
  for (const c of candidates) {
    if (rest < passAt) break;
    blanks.add(c.position);
    rest -= c.points;
  }
  if (!(rest < passAt && rest + points >= passAt)) throw new Error(`no plan puts the target on the pass mark (rest ${rest}, needs ${passAt})`);
  // The steady learner answers everything and passes before and after.
  if (allRight - points < passAt) throw new Error('a learner losing the target item would fail: pick another seed');

  const wrongOptionId = (responseFor(item, 0, 'wrong') as { optionId: string }).optionId;
  const planned = (onTarget: AnswerMode) => (position: number): AnswerMode => (position === chosen.position ? onTarget : blanks.has(position) ? 'blank' : 'correct');
  learners.pass = await sit('Pat Pass', planned('correct'));
  learners.fail = await sit('Fay Fail', planned('wrong'));
  learners.steady = await sit('Sam Steady', () => 'correct');
  learners.blank = await sit('Una Unanswered', planned('blank'));

  const toVersionId = await publishKeyMoved({ scenarioId: chosen.item.scenarioId, fromVersionId: chosen.item.versionId, itemKey: item.id, optionId: wrongOptionId });
  target = { scenarioId: chosen.item.scenarioId, fromVersionId: chosen.item.versionId, toVersionId, position: chosen.position, item, points, wrongOptionId };
});

const request = () => ({ scenarioId: target.scenarioId, fromVersionId: target.fromVersionId, toVersionId: target.toVersionId });

describe('before the regrade', () => {
  it('the learners stand where the plan put them', async () => {
    expect((await attemptRow(learners.pass.attemptId)).passed).toBe(1);
    expect((await attemptRow(learners.fail.attemptId)).passed).toBe(0);
    expect((await attemptRow(learners.steady.attemptId)).passed).toBe(1);
    expect(await certificationOf(learners.pass.attemptId)).toBeDefined();
    expect(await certificationOf(learners.fail.attemptId)).toBeUndefined();
  });
});

describe('the preview (a dry run)', () => {
  it('lists each learner whose pass or fail flips, and everyone whose score changes, writing nothing', async () => {
    const before = await counts();
    const preview = await previewRegrade(db(), request());
    if (!preview.ok) throw new Error(preview.reason);
    expect(preview.considered).toBe(4);
    const byName = Object.fromEntries(preview.changed.map((c) => [c.learnerName, c]));
    expect(Object.keys(byName).sort()).toEqual(['Fay Fail', 'Pat Pass', 'Sam Steady']);
    expect(byName['Pat Pass']).toMatchObject({ regrade: { flip: 'pass-to-fail' }, certification: { change: 'revoke' } });
    expect(byName['Fay Fail']).toMatchObject({ regrade: { flip: 'fail-to-pass' }, certification: { change: 'issue' } });
    expect(byName['Sam Steady']).toMatchObject({ regrade: { flip: null, scoreChanged: true }, certification: { change: 'none' } });
    const pat = byName['Pat Pass']?.regrade;
    expect((pat?.old.score ?? 0) - (pat?.new.score ?? 0)).toBeCloseTo(target.points, 6);
    expect(await counts()).toEqual(before);
    expect((await attemptRow(learners.pass.attemptId)).regraded_at).toBeNull();
  });

  it('refuses the same version twice, an older "to" version, and versions of another scenario', async () => {
    expect(await previewRegrade(db(), { ...request(), toVersionId: target.fromVersionId })).toMatchObject({ ok: false });
    expect(await previewRegrade(db(), { ...request(), fromVersionId: target.toVersionId, toVersionId: target.fromVersionId })).toMatchObject({ ok: false });
    expect(await previewRegrade(db(), { ...request(), scenarioId: 'not-this-one' })).toMatchObject({ ok: false });
  });

  it('is shown to the trainer on the page, with the versions chosen by default', async () => {
    const response = await call(loader, makeRequest(`/studio/regrade?scenario=${target.scenarioId}&preview=1`, { cookie: trainer.cookie }));
    expect(response.status).toBe(200);
    const data = (await response.json()) as Page;
    expect(data.scenarios.map((s) => s.id)).toContain(target.scenarioId);
    expect(data.fromId).toBe(target.fromVersionId);
    expect(data.toId).toBe(target.toVersionId);
    if (!data.preview?.ok) throw new Error('expected a preview');
    const flips = data.preview.changes.filter((c) => c.flip).map((c) => [c.learnerName, c.flip, c.certification]);
    expect(flips.sort()).toEqual([
      ['Fay Fail', 'fail-to-pass', 'issue'],
      ['Pat Pass', 'pass-to-fail', 'revoke'],
    ]);
  });
});

describe('applying the regrade', () => {
  const form = (extra: Record<string, string>) => ({
    scenarioId: target.scenarioId,
    fromVersionId: String(target.fromVersionId),
    toVersionId: String(target.toVersionId),
    ...extra,
  });

  it('asks for a reason and a confirmation first, keeping what was typed', async () => {
    const before = await counts();
    const response = await call(action, makeRequest('/studio/regrade', { cookie: trainer.cookie, form: form({ reason: 'Key was wrong' }) }));
    expect(response.status).toBe(400);
    const data = (await response.json()) as { errors: Record<string, string[]>; values: Record<string, string> };
    expect(data.errors.confirm?.[0]).toMatch(/confirm/);
    expect(data.values.reason).toBe('Key was wrong');
    const noReason = await call(action, makeRequest('/studio/regrade', { cookie: trainer.cookie, form: form({ reason: '', confirm: 'yes' }) }));
    expect(noReason.status).toBe(400);
    expect(((await noReason.json()) as { errors: Record<string, string[]> }).errors.reason).toBeDefined();
    expect(await counts()).toEqual(before);
  });

  it('rescores the attempts, revokes and issues the certifications that flip, with audit entries and events', async () => {
    const response = await call(action, makeRequest('/studio/regrade', { cookie: trainer.cookie, form: form({ reason: 'Option key was wrong', confirm: 'yes' }) }));
    expect(response.status).toBe(302);
    expect(response.headers.get('Location')).toMatch(/regraded=3&flipped=2$/);

    const pat = await attemptRow(learners.pass.attemptId);
    expect(pat).toMatchObject({ passed: 0 });
    expect(pat.regraded_at).not.toBeNull();
    const patItem = await db().selectFrom('attempt_items').select('score').where('attempt_id', '=', pat.id).where('scenario_position', '=', target.position).executeTakeFirstOrThrow();
    expect(patItem.score).toBe(0);
    // The attempt still points at the version the learner saw.
    const patCase = await db().selectFrom('attempt_scenarios').select('scenario_version_id').where('attempt_id', '=', pat.id).where('position', '=', target.position).executeTakeFirstOrThrow();
    expect(patCase.scenario_version_id).toBe(target.fromVersionId);

    const revoked = await certificationOf(pat.id);
    expect(revoked?.revoked_at).not.toBeNull();
    expect(revoked?.revoked_by).toBe(trainer.id);
    expect(revoked?.revoke_reason).toBe(`${REGRADE_REVOCATION_PREFIX}Option key was wrong`);
    expect((await queueAccessByEmail(db(), { email: learners.pass.email, queues: [] })).queues[0]?.status).toBe('revoked');

    const fay = await attemptRow(learners.fail.attemptId);
    expect(fay.passed).toBe(1);
    const issued = await certificationOf(fay.id);
    expect(issued?.revoked_at).toBeNull();
    expect((await queueAccessByEmail(db(), { email: learners.fail.email, queues: [] })).queues[0]?.status).toBe('granted');

    const sam = await attemptRow(learners.steady.attemptId);
    expect(sam.passed).toBe(1);
    expect(await certificationOf(sam.id)).toMatchObject({ revoked_at: null });
    expect((await attemptRow(learners.blank.attemptId)).regraded_at).toBeNull();

    const audits = await db().selectFrom('audit_events').selectAll().where('action', '=', 'exam.regraded').execute();
    expect(audits.map((a) => a.subject_user_id).sort()).toEqual([learners.pass.id, learners.fail.id, learners.steady.id].sort());
    const patAudit = audits.find((a) => a.subject_user_id === learners.pass.id);
    expect(patAudit?.actor_id).toBe(trainer.id);
    expect(patAudit?.reason).toBe('Option key was wrong');
    expect(JSON.parse(patAudit?.details ?? '{}')).toMatchObject({ attemptId: pat.id, oldPassed: true, newPassed: false, newScore: pat.score });

    const events = await db().selectFrom('webhook_events').select(['type', 'payload']).execute();
    const about = (credentialId: string | undefined) => events.filter((e) => (JSON.parse(e.payload) as { data: { credentialId: string } }).data.credentialId === credentialId).map((e) => e.type);
    expect(about(revoked?.credential_id)).toEqual(['certification.granted', 'certification.revoked']);
    expect(about(issued?.credential_id)).toEqual(['certification.granted']);
    const revokedAudit = await db().selectFrom('audit_events').select(['actor_id']).where('action', '=', 'certification.revoked').where('subject_user_id', '=', learners.pass.id).execute();
    expect(revokedAudit).toEqual([{ actor_id: trainer.id }]);
  });

  it('changes nothing when applied a second time', async () => {
    const before = await counts();
    const patBefore = await attemptRow(learners.pass.attemptId);
    const result = await applyRegrade(db(), { ...request(), actorId: trainer.id, reason: 'Again, by mistake' });
    expect(result).toEqual({ ok: true, regraded: 0, flipped: 0, revoked: 0, issued: 0, reinstated: 0 });
    expect(await counts()).toEqual(before);
    expect(await attemptRow(learners.pass.attemptId)).toEqual(patBefore);
    const preview = await previewRegrade(db(), request());
    expect(preview).toMatchObject({ ok: true, considered: 4, changed: [] });
  });

  it('a later version that moves the key back reinstates what the regrade revoked and revokes what it issued', async () => {
    const original = target.item.options.find((o) => o.correct)?.id ?? '';
    const v3 = await publishKeyMoved({ scenarioId: target.scenarioId, fromVersionId: target.toVersionId, itemKey: target.item.id, optionId: original });
    const result = await applyRegrade(db(), { scenarioId: target.scenarioId, fromVersionId: target.fromVersionId, toVersionId: v3, actorId: trainer.id, reason: 'Back to the first key' });
    expect(result).toEqual({ ok: true, regraded: 3, flipped: 2, revoked: 1, issued: 0, reinstated: 1 });
    expect(await certificationOf(learners.pass.attemptId)).toMatchObject({ revoked_at: null, revoke_reason: null });
    expect((await certificationOf(learners.fail.attemptId))?.revoked_at).not.toBeNull();
    expect((await queueAccessByEmail(db(), { email: learners.pass.email, queues: [] })).queues[0]?.status).toBe('granted');
    const reinstated = await db().selectFrom('webhook_events').select('type').where('type', '=', 'certification.reinstated').execute();
    expect(reinstated).toHaveLength(1);
  });

  it('lets in trainers only', async () => {
    for (const roles of [['learner'], ['manager'], ['admin']] as const) {
      const user = await createUser({ roles: [...roles] });
      const cookie = await cookieFor(user.id);
      expect((await call(loader, makeRequest('/studio/regrade', { cookie }))).status).toBe(403);
      expect((await call(action, makeRequest('/studio/regrade', { cookie, form: form({ reason: 'Not mine to do', confirm: 'yes' }) }))).status).toBe(403);
    }
  });
});
