// The trainer studio's scenario bank and blueprints. A studio scenario is written as a draft (any
// shape: checked only when published), published as a new immutable version with a change note,
// and retired from new draws; scenarios shipped in content/ are read-only here and are edited by
// duplicating them into a studio scenario. Exam blueprints work alike: content blueprints are
// read-only, studio ones are edited and checked against the published pool.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { ScenarioOrigin, ScenarioStatus } from '~db/schema';
import { examBlueprintSchema, type ExamBlueprint, type ExamSection } from '~/content/exam-schema';
import { shortageMessage } from '~/content/exams.server';
import { validateScenario } from '~/content/scenario-checks';
import { itemTopicAndDifficulty, type ScenarioFile } from '~/content/scenario-schema';
import { drawExam, fitsSection } from '~/domain/exam-draw';
import { blankScenario } from '~/forms/studio';
import { bumpContentVersion } from './content-version.server';
import { examPool } from './exam.server';
import { parseScenarioBody } from './scenario.server';
import { containsText, nowIso, toFlag, toJson } from './sql.server';
import { recordAudit } from './user.server';

export interface ScenarioListFilter {
  q?: string;
  topic?: string;
  status?: ScenarioStatus;
  /** Scenarios whose current version has an item of this type. */
  type?: string;
  origin?: ScenarioOrigin;
  page: number;
  perPage: number;
}

export interface ScenarioListRow {
  id: string;
  title: string;
  topic: string;
  week: number;
  difficulty: number;
  origin: ScenarioOrigin;
  status: ScenarioStatus;
  version: number | null;
  /** The item types of the current version. */
  types: string[];
  /** When the unpublished draft was last saved (null: no draft). */
  draftSavedAt: string | null;
  updatedAt: string;
}

/** One page of the scenario bank, most recently changed first. */
export async function listScenarios(db: Executor, filter: ScenarioListFilter): Promise<{ total: number; scenarios: ScenarioListRow[] }> {
  let query = db.selectFrom('scenarios as s');
  const q = filter.q?.trim();
  if (q) query = query.where((eb) => eb.or([containsText('s.title', q), containsText('s.id', q)]));
  if (filter.status) query = query.where('s.status', '=', filter.status);
  if (filter.origin) query = query.where('s.origin', '=', filter.origin);
  if (filter.topic) {
    const topic = filter.topic;
    // The scenario's own topic, or an item of its current version on that topic (what an exam section
    // draws). An uncorrelated IN: SQLite builds the set once from scenario_items_topic_idx (a
    // correlated EXISTS scanned the topic's items again for every scenario: seconds at 5,000).
    query = query.where((eb) =>
      eb.or([eb('s.topic', '=', topic), eb('s.current_version_id', 'in', eb.selectFrom('scenario_items as i').select('i.scenario_version_id').where('i.topic', '=', topic))]),
    );
  }
  if (filter.type) {
    const type = filter.type;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('scenario_items as i').select(sql.lit(1).as('one')).whereRef('i.scenario_version_id', '=', 's.current_version_id').where('i.type', '=', type)),
    );
  }
  const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const rows = await query
    .leftJoin('scenario_versions as v', 'v.id', 's.current_version_id')
    .leftJoin('scenario_drafts as d', 'd.scenario_id', 's.id')
    .select([
      's.id',
      's.title',
      's.topic',
      's.week',
      's.difficulty',
      's.origin',
      's.status',
      's.updated_at',
      'v.version',
      'd.updated_at as draft_saved_at',
      sql<string | null>`(select group_concat(distinct i.type) from scenario_items i where i.scenario_version_id = s.current_version_id)`.as('types'),
    ])
    .orderBy('s.updated_at', 'desc')
    .orderBy('s.id')
    .limit(filter.perPage)
    .offset((filter.page - 1) * filter.perPage)
    .execute();
  return {
    total: Number(total),
    scenarios: rows.map((r) => ({
      id: r.id,
      title: r.title,
      topic: r.topic,
      week: r.week,
      difficulty: r.difficulty,
      origin: r.origin,
      status: r.status,
      version: r.version,
      types: r.types ? r.types.split(',').sort() : [],
      draftSavedAt: r.draft_saved_at,
      updatedAt: r.updated_at,
    })),
  };
}

export async function getScenario(db: Executor, args: { scenarioId: string }) {
  return db
    .selectFrom('scenarios as s')
    .leftJoin('scenario_versions as v', 'v.id', 's.current_version_id')
    .leftJoin('scenario_drafts as d', 'd.scenario_id', 's.id')
    .select([
      's.id',
      's.title',
      's.topic',
      's.week',
      's.difficulty',
      's.origin',
      's.status',
      's.current_version_id',
      's.updated_at',
      'v.version',
      'd.updated_at as draft_saved_at',
      'd.base_version_id as draft_base_version_id',
    ])
    .where('s.id', '=', args.scenarioId)
    .executeTakeFirst();
}
export type StudioScenario = NonNullable<Awaited<ReturnType<typeof getScenario>>>;

async function versionBodyById(db: Executor, versionId: number): Promise<ScenarioFile | null> {
  const row = await db.selectFrom('scenario_versions').select('body').where('id', '=', versionId).executeTakeFirst();
  return row ? parseScenarioBody(row.body) : null;
}

/** What the editor starts from: the draft when there is one, else the published version. */
export async function getScenarioForEditing(db: Executor, args: { scenarioId: string }) {
  const scenario = await getScenario(db, args);
  if (!scenario) return null;
  const draft = await db.selectFrom('scenario_drafts').select(['body', 'updated_at']).where('scenario_id', '=', args.scenarioId).executeTakeFirst();
  if (draft) return { scenario, body: JSON.parse(draft.body) as unknown, fromDraft: true, draftSavedAt: draft.updated_at };
  const body = scenario.current_version_id === null ? null : await versionBodyById(db, scenario.current_version_id);
  return { scenario, body: body as unknown, fromDraft: false, draftSavedAt: null };
}

export type StudioRefusal = { ok: false; status: 400 | 403 | 404 | 409; reason: string };
const refuse = (status: StudioRefusal['status'], reason: string): StudioRefusal => ({ ok: false, status, reason });
const READ_ONLY = 'Scenarios shipped in content/ are read-only in the studio: duplicate it to edit a copy.';

/** Saves the editor's draft as it is (any JSON: checked only on publish). */
export async function saveDraft(
  db: DB,
  args: { scenarioId: string; body: unknown; userId: number; now?: Date },
): Promise<{ ok: true; savedAt: string } | StudioRefusal> {
  const savedAt = nowIso(args.now);
  return writeTransaction(db, async (trx) => {
    const scenario = await trx.selectFrom('scenarios').select(['origin', 'current_version_id']).where('id', '=', args.scenarioId).executeTakeFirst();
    if (!scenario) return refuse(404, 'No such scenario.');
    if (scenario.origin === 'content') return refuse(403, READ_ONLY);
    const values = { body: toJson(args.body), updated_by: args.userId, updated_at: savedAt };
    await trx
      .insertInto('scenario_drafts')
      .values({ scenario_id: args.scenarioId, base_version_id: scenario.current_version_id, ...values })
      .onConflict((oc) => oc.column('scenario_id').doUpdateSet(values))
      .execute();
    return { ok: true as const, savedAt };
  });
}

export async function discardDraft(db: DB, args: { scenarioId: string; actorId: number }): Promise<{ ok: true } | StudioRefusal> {
  return writeTransaction(db, async (trx) => {
    const scenario = await trx.selectFrom('scenarios').select(['origin', 'current_version_id']).where('id', '=', args.scenarioId).executeTakeFirst();
    if (!scenario) return refuse(404, 'No such scenario.');
    if (scenario.current_version_id === null) return refuse(400, 'This scenario has no published version to go back to.');
    await trx.deleteFrom('scenario_drafts').where('scenario_id', '=', args.scenarioId).execute();
    await recordAudit(trx, { actorId: args.actorId, action: 'scenario.draft_discarded', details: { scenarioId: args.scenarioId } });
    return { ok: true as const };
  });
}

/** "Refund on a delisted lamp!" → "refund-on-a-delisted-lamp" (the content/ id format). */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/g, '');
  return slug || 'scenario';
}

async function freeScenarioId(db: Executor, base: string): Promise<string> {
  const taken = new Set(
    (await db.selectFrom('scenarios').select('id').where((eb) => eb.or([eb('id', '=', base), eb('id', 'like', `${base}-%`)])).execute()).map((r) => r.id),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

async function insertStudioScenario(trx: DB, args: { body: Record<string, unknown>; meta: { title: string; topic: string; week: number; difficulty: number }; userId: number; at: string }) {
  const id = await freeScenarioId(trx, slugFromTitle(args.meta.title));
  await trx
    .insertInto('scenarios')
    .values({ id, origin: 'studio', ...args.meta, status: 'draft', current_version_id: null, created_at: args.at, updated_at: args.at })
    .execute();
  await trx
    .insertInto('scenario_drafts')
    .values({ scenario_id: id, body: toJson({ ...args.body, id, title: args.meta.title }), base_version_id: null, updated_by: args.userId, updated_at: args.at })
    .execute();
  return id;
}

/** A new studio scenario (status draft) with an id made from its title, unique in the bank. */
export async function createScenario(
  db: DB,
  args: { title: string; topic: string; week: number; difficulty: number; userId: number; now?: Date },
): Promise<string> {
  const at = nowIso(args.now);
  const meta = { title: args.title.trim(), topic: args.topic, week: args.week, difficulty: args.difficulty };
  return writeTransaction(db, async (trx) => {
    const id = await insertStudioScenario(trx, { body: blankScenario({ id: '', ...meta }), meta, userId: args.userId, at });
    await recordAudit(trx, { actorId: args.userId, action: 'scenario.created', details: { scenarioId: id } });
    return id;
  });
}

/** A new studio scenario whose draft is a copy of this one (its draft, else its current version). */
export async function duplicateScenario(db: DB, args: { scenarioId: string; userId: number; now?: Date }): Promise<{ ok: true; scenarioId: string } | StudioRefusal> {
  const source = await getScenarioForEditing(db, { scenarioId: args.scenarioId });
  if (!source) return refuse(404, 'No such scenario.');
  const body = typeof source.body === 'object' && source.body !== null ? (source.body as Record<string, unknown>) : {};
  const title = `Copy of ${source.scenario.title}`.slice(0, 100);
  const meta = { title, topic: source.scenario.topic, week: source.scenario.week, difficulty: source.scenario.difficulty };
  const at = nowIso(args.now);
  const scenarioId = await writeTransaction(db, async (trx) => {
    const id = await insertStudioScenario(trx, { body, meta, userId: args.userId, at });
    await recordAudit(trx, { actorId: args.userId, action: 'scenario.duplicated', details: { scenarioId: id, from: args.scenarioId } });
    return id;
  });
  return { ok: true, scenarioId };
}

export async function handbookSectionRefs(db: Executor): Promise<Set<string>> {
  return new Set((await db.selectFrom('policy_sections').select('ref').execute()).map((r) => r.ref));
}

function contentHash(scenario: ScenarioFile): string {
  return createHash('sha256').update(toJson(scenario)).digest('hex');
}

export type PublishResult =
  | { ok: true; version: number; versionId: number }
  /** errors: messages by field path (items.0.steps.1.options.0.next); "" for the whole draft. */
  | { ok: false; status: 400 | 403 | 404; reason: string; errors: Record<string, string[]> };

/**
 * The draft, checked with the content loader's schema and rules, becomes the scenario's next
 * immutable version: its items are indexed for exam draws, it becomes current, and the draft is
 * cleared. Attempts already taken keep the version they were taken with.
 */
export async function publishDraft(db: DB, args: { scenarioId: string; changeNote: string; publishedBy: number; now?: Date }): Promise<PublishResult> {
  const sectionRefs = await handbookSectionRefs(db);
  const at = nowIso(args.now);
  const fail = (status: 400 | 403 | 404, reason: string, errors: Record<string, string[]> = {}) => ({ ok: false as const, status, reason, errors });
  return writeTransaction(db, async (trx) => {
    const scenario = await trx.selectFrom('scenarios').select(['origin', 'current_version_id', 'status']).where('id', '=', args.scenarioId).executeTakeFirst();
    if (!scenario) return fail(404, 'No such scenario.');
    if (scenario.origin === 'content') return fail(403, READ_ONLY);
    const draft = await trx.selectFrom('scenario_drafts').select('body').where('scenario_id', '=', args.scenarioId).executeTakeFirst();
    if (!draft) return fail(400, 'There is no draft to publish: edit the scenario first.');
    const raw: unknown = JSON.parse(draft.body);
    // The id is the scenario's, whatever the draft says.
    const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...raw, id: args.scenarioId } : raw;
    const checked = validateScenario(body, sectionRefs);
    if (!checked.ok) return fail(400, 'The draft cannot be published yet: fix the fields marked below.', checked.errors);
    const published = checked.scenario;
    const hash = contentHash(published);
    const current = scenario.current_version_id === null
      ? null
      : await trx.selectFrom('scenario_versions').select(['version', 'content_hash']).where('id', '=', scenario.current_version_id).executeTakeFirst();
    if (current && current.content_hash === hash) {
      return fail(400, `Nothing changed since version ${current.version}: there is nothing to publish.`);
    }
    const last = await trx.selectFrom('scenario_versions').select((eb) => eb.fn.max('version').as('version')).where('scenario_id', '=', args.scenarioId).executeTakeFirst();
    const version = Number(last?.version ?? 0) + 1;
    const { id: versionId } = await trx
      .insertInto('scenario_versions')
      .values({
        scenario_id: args.scenarioId,
        version,
        content_hash: hash,
        body: toJson(published),
        change_note: args.changeNote.trim(),
        published_at: at,
        published_by: args.publishedBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('scenario_items')
      .values(
        published.items.map((item, position) => ({
          scenario_version_id: versionId,
          item_key: item.id,
          position,
          type: item.type,
          ...itemTopicAndDifficulty(published, item),
          points: item.points,
          critical: toFlag(item.critical),
        })),
      )
      .execute();
    await trx
      .updateTable('scenarios')
      .set({
        title: published.title,
        topic: published.topic,
        week: published.week,
        difficulty: published.difficulty,
        current_version_id: versionId,
        // A retired scenario stays out of new draws until it is restored.
        status: scenario.status === 'retired' ? 'retired' : 'published',
        updated_at: at,
      })
      .where('id', '=', args.scenarioId)
      .execute();
    await trx.deleteFrom('scenario_drafts').where('scenario_id', '=', args.scenarioId).execute();
    await recordAudit(trx, { actorId: args.publishedBy, action: 'scenario.published', details: { scenarioId: args.scenarioId, version }, reason: args.changeNote.trim(), now: args.now });
    return { ok: true as const, version, versionId };
  });
}

async function setStatus(db: DB, args: { scenarioId: string; actorId: number; retire: boolean; now?: Date }): Promise<{ ok: true } | StudioRefusal> {
  return writeTransaction(db, async (trx) => {
    const scenario = await trx.selectFrom('scenarios').select(['origin', 'status', 'current_version_id']).where('id', '=', args.scenarioId).executeTakeFirst();
    if (!scenario) return refuse(404, 'No such scenario.');
    if (scenario.origin === 'content') return refuse(403, 'Scenarios shipped in content/ are retired by removing their file from content/.');
    if (args.retire && scenario.status === 'retired') return refuse(409, 'This scenario is already retired.');
    if (!args.retire && scenario.status !== 'retired') return refuse(409, 'This scenario is not retired.');
    const status: ScenarioStatus = args.retire ? 'retired' : scenario.current_version_id === null ? 'draft' : 'published';
    await trx.updateTable('scenarios').set({ status, updated_at: nowIso(args.now) }).where('id', '=', args.scenarioId).execute();
    await recordAudit(trx, { actorId: args.actorId, action: args.retire ? 'scenario.retired' : 'scenario.restored', details: { scenarioId: args.scenarioId }, now: args.now });
    return { ok: true as const };
  });
}

/** Out of new exam draws; attempts already drawn keep it. */
export const retireScenario = (db: DB, args: { scenarioId: string; actorId: number; now?: Date }) => setStatus(db, { ...args, retire: true });
/** Back into the pool (published again when it has a version). */
export const restoreScenario = (db: DB, args: { scenarioId: string; actorId: number; now?: Date }) => setStatus(db, { ...args, retire: false });

export async function versionHistory(db: Executor, args: { scenarioId: string }) {
  const rows = await db
    .selectFrom('scenario_versions as v')
    .leftJoin('users as u', 'u.id', 'v.published_by')
    .select(['v.id', 'v.version', 'v.change_note', 'v.published_at', 'u.name as published_by_name'])
    .where('v.scenario_id', '=', args.scenarioId)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, version: r.version, changeNote: r.change_note, publishedAt: r.published_at, publishedBy: r.published_by_name }));
}

export async function versionBody(db: Executor, args: { scenarioId: string; version: number }): Promise<ScenarioFile | null> {
  const row = await db.selectFrom('scenario_versions').select('body').where('scenario_id', '=', args.scenarioId).where('version', '=', args.version).executeTakeFirst();
  return row ? parseScenarioBody(row.body) : null;
}

/** The draft's body as stored (any shape), or null. */
export async function draftBody(db: Executor, args: { scenarioId: string }): Promise<unknown> {
  const row = await db.selectFrom('scenario_drafts').select('body').where('scenario_id', '=', args.scenarioId).executeTakeFirst();
  return row ? (JSON.parse(row.body) as unknown) : null;
}

// ---------------------------------------------------------------------------------------------
// Exam blueprints

export async function listStudioExams(db: Executor) {
  const rows = await db.selectFrom('exams').select(['id', 'title', 'track_id', 'queue', 'origin', 'retired_at', 'updated_at', 'blueprint']).orderBy('origin').orderBy('id').execute();
  return rows.map((r) => {
    const blueprint = examBlueprintSchema.safeParse(JSON.parse(r.blueprint));
    return {
      id: r.id,
      title: r.title,
      trackId: r.track_id,
      queue: r.queue,
      origin: r.origin,
      inUse: r.retired_at === null,
      updatedAt: r.updated_at,
      sections: blueprint.success ? blueprint.data.sections.length : 0,
    };
  });
}

export async function getStudioExam(db: Executor, args: { examId: string }) {
  const row = await db.selectFrom('exams').select(['id', 'title', 'track_id', 'queue', 'origin', 'retired_at', 'updated_at', 'blueprint']).where('id', '=', args.examId).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, title: row.title, trackId: row.track_id, queue: row.queue, origin: row.origin, inUse: row.retired_at === null, updatedAt: row.updated_at, blueprint: examBlueprintSchema.parse(JSON.parse(row.blueprint)) };
}

/**
 * A studio copy of a blueprint to edit. It is not offered to learners (retired_at is set): the
 * exam a track's learners sit is still chosen from content/.
 */
export async function duplicateExam(db: DB, args: { examId: string; actorId: number; now?: Date }): Promise<{ ok: true; examId: string } | StudioRefusal> {
  const at = nowIso(args.now);
  return writeTransaction(db, async (trx) => {
    const source = await getStudioExam(trx, { examId: args.examId });
    if (!source) return refuse(404, 'No such exam.');
    const base = `${source.id.slice(0, 50)}-copy`;
    const taken = new Set((await trx.selectFrom('exams').select('id').where('id', 'like', `${base}%`).execute()).map((r) => r.id));
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    const blueprint: ExamBlueprint = { ...source.blueprint, id, title: `Copy of ${source.title}`.slice(0, 120) };
    await trx
      .insertInto('exams')
      .values({
        id,
        track_id: source.trackId,
        title: blueprint.title,
        queue: source.queue,
        blueprint: toJson(blueprint),
        content_hash: createHash('sha256').update(toJson(blueprint)).digest('hex'),
        retired_at: at,
        updated_at: at,
        origin: 'studio',
      })
      .execute();
    await recordAudit(trx, { actorId: args.actorId, action: 'exam.duplicated', details: { examId: id, from: args.examId }, now: args.now });
    return { ok: true as const, examId: id };
  });
}

/** Saves a checked blueprint over a studio exam (its id, track and queue stay). */
export async function saveStudioExam(db: DB, args: { examId: string; blueprint: ExamBlueprint; actorId: number; now?: Date }): Promise<{ ok: true } | StudioRefusal> {
  const at = nowIso(args.now);
  const result = await writeTransaction(db, async (trx) => {
    const row = await trx.selectFrom('exams').select(['origin', 'track_id', 'queue']).where('id', '=', args.examId).executeTakeFirst();
    if (!row) return refuse(404, 'No such exam.');
    if (row.origin === 'content') return refuse(403, 'Blueprints shipped in content/ are read-only in the studio: duplicate it to edit a copy.');
    const blueprint: ExamBlueprint = { ...args.blueprint, id: args.examId, track: row.track_id, queue: row.queue };
    await trx
      .updateTable('exams')
      .set({ title: blueprint.title, blueprint: toJson(blueprint), content_hash: createHash('sha256').update(toJson(blueprint)).digest('hex'), updated_at: at })
      .where('id', '=', args.examId)
      .execute();
    await recordAudit(trx, { actorId: args.actorId, action: 'exam.blueprint_saved', details: { examId: args.examId }, now: args.now });
    return { ok: true as const };
  });
  // Exams are cached until the content version moves.
  if (result.ok) bumpContentVersion();
  return result;
}

export interface SectionCheck {
  topic: string;
  items: number;
  difficulty: readonly [number, number];
  /** Published scenarios with at least one item for this section (each item must come from a different one). */
  available: number;
  enough: boolean;
}

export interface PoolCheck {
  sections: SectionCheck[];
  /** Whether a whole exam can be drawn (sections compete for scenarios); why not when it cannot. */
  ok: boolean;
  problem: { section: number; message: string } | null;
  publishedScenarios: number;
}

/** Can the published pool satisfy these sections? Counts per section, then a trial draw of the whole exam. */
export async function checkPool(db: Executor, sections: readonly ExamSection[]): Promise<PoolCheck> {
  const pool = await examPool(db);
  const checks = sections.map((section) => {
    const scenarios = new Set(pool.filter((item) => fitsSection(section, item)).map((item) => item.scenarioId));
    return { topic: section.topic, items: section.items, difficulty: section.difficulty, available: scenarios.size, enough: scenarios.size >= section.items };
  });
  const draw = sections.length > 0 ? drawExam({ blueprint: { sections }, pool, seed: 0 }) : null;
  return {
    sections: checks,
    ok: draw?.ok ?? false,
    problem: draw && !draw.ok ? { section: draw.shortSection, message: shortageMessage(sections, draw) } : null,
    publishedScenarios: new Set(pool.map((item) => item.scenarioId)).size,
  };
}
