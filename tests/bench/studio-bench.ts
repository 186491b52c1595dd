// The studio's scenario list with 5,000 scenarios (target: p95 under 150 ms for each filter), in a
// freshly migrated database of its own. A figure for `npm run bench`, not a test assertion.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateToLatest, openDatabase, writeTransaction } from '~db/connect';
import { listScenarios } from '~/models/studio.server';

const SCENARIOS = 5000;

export async function benchStudioList(): Promise<{ scenarios: number; queries: number; p50: number; p95: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-studio-bench-'));
  const { db } = openDatabase(path.join(dir, 'bench.db'));
  try {
    await migrateToLatest(db);
    const at = new Date().toISOString();
    const topics = ['payments', 'privacy-safety', 'returns-window', 'fraud-abuse'];
    const types = ['single', 'multiple', 'branching', 'ordering'];
    for (let batch = 0; batch < SCENARIOS / 500; batch++) {
      const numbers = Array.from({ length: 500 }, (_, k) => batch * 500 + k);
      await writeTransaction(db, async (trx) => {
        await trx
          .insertInto('scenarios')
          .values(numbers.map((n) => ({ id: `bulk-scenario-${n}`, origin: 'studio' as const, title: `Bulk case number ${n}`, topic: topics[n % 4]!, week: 1 + (n % 4), difficulty: 1 + (n % 5), status: n % 7 === 0 ? ('retired' as const) : ('published' as const), current_version_id: null, created_at: at, updated_at: at })))
          .execute();
        const versions = await trx
          .insertInto('scenario_versions')
          .values(numbers.map((n) => ({ scenario_id: `bulk-scenario-${n}`, version: 1, content_hash: `h${n}`, body: '{}', change_note: null, published_at: at, published_by: null })))
          .returning(['id', 'scenario_id'])
          .execute();
        await trx
          .insertInto('scenario_items')
          .values(
            versions.flatMap((v) => {
              const n = Number(v.scenario_id.split('-').pop());
              return [0, 1, 2].map((k) => ({ scenario_version_id: v.id, item_key: `q${k}`, position: k, type: types[(n + k) % 4]!, topic: topics[(n + k) % 4]!, difficulty: 1 + ((n + k) % 5), points: 2, critical: 0 }));
            }),
          )
          .execute();
        for (const v of versions) await trx.updateTable('scenarios').set({ current_version_id: v.id }).where('id', '=', v.scenario_id).execute();
      });
    }
    const filters = [{}, { q: 'number 42' }, { topic: 'payments' }, { status: 'published' as const, topic: 'fraud-abuse' }, { type: 'branching' }, { type: 'ordering', origin: 'studio' as const, page: 40 }];
    const timings: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const filter of filters) {
        const started = performance.now();
        await listScenarios(db, { page: 1, perPage: 25, ...filter });
        timings.push(performance.now() - started);
      }
    }
    timings.sort((a, b) => a - b);
    const at95 = timings[Math.floor(timings.length * 0.95)] ?? 0;
    const at50 = timings[Math.floor(timings.length / 2)] ?? 0;
    return { scenarios: SCENARIOS, queries: timings.length, p50: Math.round(at50 * 10) / 10, p95: Math.round(at95 * 10) / 10 };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
