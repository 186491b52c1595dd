// Puts the parsed content/ into the database. Idempotent: a file whose hash is unchanged is not
// written; a changed lesson is updated in place under the same id, so completions are kept; a lesson
// that disappeared from content/ is retired (hidden), never deleted.
import { type DB, type Executor, writeTransaction } from '~db/connect';
import type { ParsedContent } from '~/content/load.server';
import { renderMarkdown } from '~/content/markdown.server';
import { bumpContentVersion } from './content-version.server';
import { syncContentExams } from './exam.server';
import { syncContentScenarios, type ScenarioSyncSummary } from './scenario.server';
import { toJson } from './sql.server';

export interface SyncSummary {
  /** Lessons */
  created: number;
  updated: number;
  unchanged: number;
  retired: number;
  scenarios: ScenarioSyncSummary;
}

export async function syncContent(db: DB, content: ParsedContent, now = new Date()): Promise<SyncSummary> {
  const at = now.toISOString();
  const summary: SyncSummary = { created: 0, updated: 0, unchanged: 0, retired: 0, scenarios: { created: 0, versioned: 0, unchanged: 0, retired: 0, restored: 0 } };
  await writeTransaction(db, async (trx) => {
    await syncTrack(trx, content, at);
    await syncPolicies(trx, content);
    summary.scenarios = await syncContentScenarios(trx, content, at);
    await syncContentExams(trx, content, at);

    const existing = new Map(
      (await trx.selectFrom('lessons').select(['id', 'content_hash', 'retired_at']).where('track_id', '=', content.track.id).execute()).map(
        (l) => [l.id, l],
      ),
    );
    for (const lesson of content.lessons) {
      const before = existing.get(lesson.id);
      existing.delete(lesson.id);
      if (before && before.content_hash === lesson.contentHash && before.retired_at === null) {
        summary.unchanged++;
        continue;
      }
      const values = {
        track_id: content.track.id,
        module_id: lesson.module,
        title: lesson.title,
        day: lesson.day,
        position: lesson.position,
        minutes: lesson.minutes,
        objectives: toJson(lesson.objectives),
        policy_refs: toJson(lesson.policies),
        prerequisites: toJson(lesson.prerequisites),
        body_html: renderMarkdown(lesson.body),
        source_path: lesson.file,
        content_hash: lesson.contentHash,
        retired_at: null,
        updated_at: at,
      };
      if (before) {
        await trx.updateTable('lessons').set(values).where('id', '=', lesson.id).execute();
        summary.updated++;
      } else {
        await trx.insertInto('lessons').values({ id: lesson.id, ...values }).execute();
        summary.created++;
      }
    }
    const gone = [...existing.values()].filter((l) => l.retired_at === null).map((l) => l.id);
    if (gone.length > 0) {
      await trx.updateTable('lessons').set({ retired_at: at }).where('id', 'in', gone).execute();
      summary.retired = gone.length;
    }
  });
  bumpContentVersion();
  return summary;
}

async function syncTrack(trx: Executor, content: ParsedContent, at: string) {
  const { track } = content;
  const row = await trx.selectFrom('tracks').select('content_hash').where('id', '=', track.id).executeTakeFirst();
  if (row?.content_hash === track.contentHash) return;
  const values = { title: track.title, queue: track.queue, days: track.days, content_hash: track.contentHash, updated_at: at };
  await trx
    .insertInto('tracks')
    .values({ id: track.id, ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values))
    .execute();
  for (const m of track.modules) {
    const moduleValues = {
      track_id: track.id,
      week: m.week,
      title: m.title,
      summary: m.summary,
      first_day: m.days[0],
      last_day: m.days[1],
      content_hash: track.contentHash,
    };
    await trx
      .insertInto('modules')
      .values({ id: m.id, ...moduleValues })
      .onConflict((oc) => oc.column('id').doUpdateSet(moduleValues))
      .execute();
  }
}

async function syncPolicies(trx: Executor, content: ParsedContent) {
  const hashes = new Map(
    (await trx.selectFrom('policy_documents').select(['id', 'content_hash']).execute()).map((d) => [d.id, d.content_hash]),
  );
  for (const policy of content.policies) {
    if (hashes.get(policy.id) === policy.contentHash) continue;
    const values = {
      number: policy.number,
      title: policy.title,
      summary: policy.summary,
      body_html: renderMarkdown(policy.intro),
      content_hash: policy.contentHash,
    };
    await trx
      .insertInto('policy_documents')
      .values({ id: policy.id, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    await trx.deleteFrom('policy_sections').where('document_id', '=', policy.id).execute();
    await trx
      .insertInto('policy_sections')
      .values(
        policy.sections.map((s, i) => ({
          ref: s.ref,
          document_id: policy.id,
          title: s.title,
          anchor: s.anchor,
          position: i + 1,
          body_html: renderMarkdown(s.body),
        })),
      )
      .execute();
  }
}
