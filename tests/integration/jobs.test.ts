// The background jobs as the server runs them: one tick submits exam attempts left open past their
// deadline, announces certifications that expired, and delivers the webhook events waiting in the outbox.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '~db/connect';
import { db } from '~/db.server';
import { startJobs } from '~/jobs.server';
import { issueCertification } from '~/models/certification.server';
import { createWebhook } from '~/models/webhook.server';
import { makeEligible } from '../support/eligibility';
import { certificationExam, sitExam } from '../support/exam-fixtures';
import { createUser } from '../support/fixtures';

describe('background jobs', () => {
  it('submit overdue exams, announce expiries and deliver webhooks in one tick', async () => {
    const received: { type: string; body: { type: string; data: { email: string } } }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ type: String(req.headers['frontline-event']), body: JSON.parse(body) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const admin = await createUser({ roles: ['admin'] });
    await createWebhook(db(), {
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
      events: ['certification.granted', 'certification.expired'],
      secret: 'whsec_jobs_test',
      actorId: admin.id,
    });

    const exam = await certificationExam();
    // An exam left open for an hour past its deadline, every answer right.
    const taker = await createUser({ roles: ['learner'] });
    await makeEligible(taker.id);
    const longAgo = new Date(Date.now() - (exam.blueprint.durationMinutes + 60) * 60_000);
    const sat = await sitExam({ userId: taker.id, answer: 'correct', writtenText: null, submit: false, now: longAgo });
    // A certification that expired yesterday.
    const lapsed = await createUser({ roles: ['learner'] });
    await writeTransaction(db(), (trx) =>
      issueCertification(trx, {
        userId: lapsed.id,
        exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
        attemptId: null,
        now: new Date(Date.now() - (exam.blueprint.validityDays + 1) * 86_400_000),
      }),
    );

    const logged: string[] = [];
    const jobs = startJobs(db(), { intervalMs: 3_600_000, log: (m) => logged.push(m) });
    try {
      await jobs.runOnce();
    } finally {
      await jobs.stop();
      receiver.close();
    }

    const attempt = await db().selectFrom('attempts').select(['status', 'auto_submitted', 'passed']).where('id', '=', sat.attemptId).executeTakeFirstOrThrow();
    expect(attempt).toMatchObject({ status: 'submitted', auto_submitted: 1 });
    expect(logged.join('\n')).toMatch(/Submitted \d+ exam attempts? whose time had run out/);
    const expired = received.filter((r) => r.type === 'certification.expired').map((r) => r.body.data.email);
    expect(expired).toContain(lapsed.email);
    // The granted event of the lapsed certification was written long ago but is delivered now too (nothing is lost).
    expect(received.filter((r) => r.type === 'certification.granted').map((r) => r.body.data.email)).toContain(lapsed.email);
    if (attempt.passed === 1) expect(received.map((r) => r.body.data.email)).toContain(taker.email);

    // A second tick announces nothing twice.
    const before = received.length;
    const again = startJobs(db(), { intervalMs: 3_600_000, log: () => undefined });
    await again.runOnce();
    await again.stop();
    expect(received.filter((r) => r.type === 'certification.expired' && r.body.data.email === lapsed.email)).toHaveLength(1);
    expect(received.length).toBeGreaterThanOrEqual(before);
  });
});
