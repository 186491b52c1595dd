// Background jobs, run in exactly one process (the single server process, or the primary of a
// cluster): submitting exam attempts left open past their deadline, announcing certifications that
// expired, and delivering webhooks from the outbox. Each job is idempotent and its state is in the
// database, so a restart simply carries on.
import type { DB } from '~db/connect';
import { announceExpiries } from '~/models/certification.server';
import { submitOverdueExamAttempts } from '~/models/exam.server';
import { deliverDueWebhooks } from '~/webhook-worker.server';

export interface JobRunner {
  /** Runs every job once now (tests, and the first tick). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

export function startJobs(db: DB, options: { intervalMs?: number; log?: (message: string) => void } = {}): JobRunner {
  const log = options.log ?? ((message: string) => console.log(`[frontline] ${message}`));
  let running: Promise<void> | null = null;
  let stopped = false;

  const work = async () => {
    const now = new Date();
    const submitted = await submitOverdueExamAttempts(db, now);
    if (submitted > 0) log(`Submitted ${submitted} exam ${submitted === 1 ? 'attempt' : 'attempts'} whose time had run out.`);
    await announceExpiries(db, now);
    await deliverDueWebhooks(db, { now });
  };

  const tick = () => {
    if (stopped || running) return;
    running = work()
      .catch((error: unknown) => log(`A background job failed (it will run again): ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 5_000);
  timer.unref();
  tick();
  return {
    // After the tick in progress, if any: two runs at once would only compete for the same rows.
    async runOnce() {
      await running;
      await work();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
