// Importing a 1,000-question GIFT file (target: under 5 s): parse, map and write every draft, the
// way the CLI and the studio page do, into a freshly migrated database of its own. A figure, not a
// test assertion (timings flake in tests): `npm run bench` reports it; run alone with
// `npx tsx tests/bench/import-bench.ts`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { migrateToLatest, openDatabase } from '~db/connect';
import { parseGift } from '~/domain/import/gift';
import { importQuestions } from '~/models/import.server';

const QUESTIONS = 1000;

/** A bank of `count` questions cycling through the types GIFT has, categories, feedback and escapes. */
export function giftBank(count: number): string {
  const categories = ['$course$/top/Refund release', '$course$/top/Payments', '$course$/top/Logistics and delivery', '$course$/top/Archive'];
  const blocks: string[] = [];
  for (let i = 1; i <= count; i++) {
    if (i % 50 === 1) blocks.push(`$CATEGORY: ${categories[(i / 50) % categories.length | 0]}`);
    const name = `::Bank question ${i}\\: case ${i}::`;
    switch (i % 6) {
      case 0:
        blocks.push(`// single choice\n${name}The refund of order ML-7302-${String(100000 + i)} bounced. What next? {\n  =Escalate to Tier 2 Payments#Right\\: bounced refunds go there.\n  ~Refund it again#No\\: never twice.\n  ~Ask for a new card#Never.\n  ####Handbook §9.1.\n}`);
        break;
      case 1:
        blocks.push(`${name}Which are refund channels? {\n  ~%50%Card#Yes\n  ~%50%Wallet#Yes\n  ~%-100%Cash#No\n}`);
        break;
      case 2:
        blocks.push(`${name}A bank-app refund takes 1 to 3 business days.{T#Check §2.5.#Right.}`);
        break;
      case 3:
        blocks.push(`${name}Match each channel to its time. {\n  =Card -> 10 business days\n  =Bank app -> 1 to 3 business days\n  = -> Same day\n}`);
        break;
      case 4:
        blocks.push(`${name}How many days is the return window? {=7 =seven#Yes =%50%a week#Say the days}`);
        break;
      default:
        blocks.push(`${name}Write your reply to a buyer whose parcel is stuck at the hub {}`);
    }
  }
  return blocks.join('\n\n');
}

export async function benchImport(): Promise<{ questions: number; ms: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontline-import-bench-'));
  const { db } = openDatabase(path.join(dir, 'bench.db'));
  try {
    await migrateToLatest(db);
    const text = giftBank(QUESTIONS);
    const started = performance.now();
    const result = parseGift(text);
    const summary = await importQuestions(db, { result, createdBy: null, format: 'gift', fileName: 'bench.gift' });
    const ms = performance.now() - started;
    if (summary.imported !== QUESTIONS || result.skipped.length > 0) throw new Error(`imported ${summary.imported} of ${QUESTIONS}; skipped ${result.skipped.length}`);
    return { questions: summary.imported, ms: Math.round(ms) };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { questions, ms } = await benchImport();
  console.log(`Imported a ${questions}-question GIFT file in ${ms} ms (target: under 5000 ms).`);
}
