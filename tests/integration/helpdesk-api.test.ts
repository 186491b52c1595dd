// The helpdesk API (/api/v1/…) and its API keys, through the real route handlers against this file's
// own SQLite database: who gets in, what the helpdesk is told about a person and a queue, and the
// admin page that makes and revokes keys.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '~db/connect';
import { db } from '~/db.server';
import { authenticateApiKey, createApiKey, hashApiKey, revokeApiKey } from '~/models/api-key.server';
import { issueCertification, revokeCertification } from '~/models/certification.server';
import { getExam } from '~/models/exam.server';
import { setUserStatus } from '~/models/user.server';
import { action as apiKeysAction, loader as apiKeysLoader } from '~/routes/admin.api-keys';
import { action as queueAccessAction, loader as queueAccessLoader } from '~/routes/api.v1.queue-access';
import { loader as agentsLoader } from '~/routes/api.v1.queues.$queue.agents';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';

const QUEUE = 'returns-refunds';
const DAY_MS = 86_400_000;

interface QueueView {
  queue: string;
  status: string;
  certifiedAt: string | null;
  expiresAt: string | null;
  credentialId: string | null;
}
interface QueueAccessBody {
  email: string;
  active: boolean;
  queues: QueueView[];
}
interface Agent {
  email: string;
  name: string;
  certifiedAt: string;
  expiresAt: string;
  credentialId: string;
}
interface AgentsBody {
  queue: string;
  page: number;
  perPage: number;
  total: number;
  agents: Agent[];
  next: string | null;
}

let key = '';
let adminId = 0;

beforeAll(async () => {
  adminId = (await createUser({ roles: ['admin'] })).id;
  key = (await createApiKey(db(), { name: 'Helpdesk test', createdBy: adminId })).key;
});

function apiRequest(path: string, options: { authorization?: string | null; method?: string } = {}): Request {
  const headers = new Headers();
  const authorization = options.authorization === undefined ? `Bearer ${key}` : options.authorization;
  if (authorization !== null) headers.set('Authorization', authorization);
  return new Request(`http://localhost${path}`, { method: options.method ?? 'GET', headers });
}

async function queueAccess(email: string, authorization?: string | null) {
  return call(queueAccessLoader, apiRequest(`/api/v1/queue-access?email=${encodeURIComponent(email)}`, { authorization }));
}

async function agents(query: string, queue = QUEUE) {
  return call(agentsLoader, apiRequest(`/api/v1/queues/${queue}/agents${query}`), { queue });
}

async function accessFor(email: string): Promise<QueueAccessBody> {
  const response = await queueAccess(email);
  expect(response.status).toBe(200);
  return (await response.json()) as QueueAccessBody;
}

async function certify(userId: number, now = new Date()) {
  const exam = await getExam(db(), { examId: 'returns-refunds-certification' });
  if (!exam) throw new Error('The shipped exam is not loaded');
  return writeTransaction(db(), (trx) =>
    issueCertification(trx, {
      userId,
      exam: { id: exam.id, trackId: exam.trackId, queue: exam.queue, validityDays: exam.blueprint.validityDays },
      attemptId: null,
      now,
    }),
  );
}

async function expectError(response: Response, status: number, message?: RegExp) {
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toMatch(/application\/json/);
  expect(response.headers.get('Cache-Control')).toBe('no-store');
  const body = (await response.json()) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  if (message) expect(body.error).toMatch(message);
}

// First in the file: the agents list counts every agent granted the queue in this database, so it
// runs before the other tests certify anyone.
describe('GET /api/v1/queues/:queue/agents', () => {
  it('lists the agents granted the queue now, by email, a page at a time', async () => {
    const granted = new Map<string, string>();
    for (const name of ['dora', 'ana', 'eli', 'carl', 'ben']) {
      const user = await createUser({ roles: ['learner'], email: `agent-${name}@example.com`, name: `Agent ${name}` });
      if (name === 'carl') await certify(user.id, new Date(Date.now() - 100 * DAY_MS)); // an older one too: listed once
      granted.set(user.email, (await certify(user.id)).credential_id);
    }
    const expired = await createUser({ roles: ['learner'], email: 'agent-aaron-expired@example.com' });
    await certify(expired.id, new Date(Date.now() - 200 * DAY_MS));
    const revoked = await createUser({ roles: ['learner'], email: 'agent-abe-revoked@example.com' });
    await revokeCertification(db(), { certificationId: (await certify(revoked.id)).id, actorId: adminId, reason: 'Shared customer data' });
    const disabled = await createUser({ roles: ['learner'], email: 'agent-adam-disabled@example.com' });
    await certify(disabled.id);
    await setUserStatus(db(), { actorId: adminId, userId: disabled.id, status: 'disabled' });

    const pages: AgentsBody[] = [];
    let url: string | null = `?page=1&perPage=2`;
    while (url) {
      const response = await agents(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('Cache-Control')).toBe('no-store');
      const body = (await response.json()) as AgentsBody;
      pages.push(body);
      url = body.next ? new URL(body.next).search : null;
      expect(pages.length).toBeLessThan(5);
    }
    expect(pages.map((p) => [p.page, p.perPage, p.total, p.agents.length])).toEqual([
      [1, 2, 5, 2],
      [2, 2, 5, 2],
      [3, 2, 5, 1],
    ]);
    expect(pages[0]?.queue).toBe(QUEUE);
    expect(pages[0]?.next).toBe('http://localhost/api/v1/queues/returns-refunds/agents?page=2&perPage=2');
    expect(pages[2]?.next).toBeNull();
    const listed = pages.flatMap((p) => p.agents);
    expect(listed.map((a) => a.email)).toEqual([...granted.keys()].sort());
    for (const agent of listed) {
      expect(agent.credentialId).toBe(granted.get(agent.email));
      expect(Date.parse(agent.expiresAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(agent.certifiedAt)).toBeLessThanOrEqual(Date.now());
    }
    expect(listed.find((a) => a.email === 'agent-ana@example.com')?.name).toBe('Agent ana');

    const defaults = (await (await agents('')).json()) as AgentsBody;
    expect([defaults.page, defaults.perPage, defaults.total, defaults.agents.length, defaults.next]).toEqual([1, 50, 5, 5, null]);
    const beyond = (await (await agents('?page=4&perPage=2')).json()) as AgentsBody;
    expect([beyond.total, beyond.agents, beyond.next]).toEqual([5, [], null]);
  });

  it('answers 404 for an unknown queue and 400 for bad page parameters', async () => {
    await expectError(await agents('', 'no-such-queue'), 404, /no-such-queue/);
    for (const query of ['?page=0', '?page=abc', '?page=1.5', '?page=-1', '?perPage=0', '?perPage=201', '?perPage=', '?page=']) {
      await expectError(await agents(query), 400, /page|perPage/);
    }
    expect((await agents('?perPage=200')).status).toBe(200);
  });
});

describe('authentication', () => {
  it('refuses a request without a key, with a wrong or malformed one, and with a revoked one', async () => {
    const wrongKey = `fl_live_${randomBytes(32).toString('base64url')}`;
    const revoked = await createApiKey(db(), { name: 'Old helpdesk', createdBy: adminId });
    expect((await queueAccess('ana@example.com', `Bearer ${revoked.key}`)).status).toBe(200);
    await revokeApiKey(db(), { apiKeyId: revoked.id, actorId: adminId });

    for (const authorization of [null, `Basic ${key}`, 'Bearer', `Bearer ${wrongKey}`, `Bearer ${key}x`, `Bearer ${revoked.key}`]) {
      for (const response of [await queueAccess('ana@example.com', authorization), await call(agentsLoader, apiRequest(`/api/v1/queues/${QUEUE}/agents`, { authorization }), { queue: QUEUE })]) {
        await expectError(response, 401);
        expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
      }
    }
    // The scheme is case-insensitive (RFC 9110).
    expect((await queueAccess('ana@example.com', `bearer ${key}`)).status).toBe(200);
  });

  it('stores only a hash of the key, audits its creation and revocation, and records its last use at most once a minute', async () => {
    const made = await createApiKey(db(), { name: 'Hash check', createdBy: adminId });
    expect(made.key).toMatch(/^fl_live_[A-Za-z0-9_-]{43}$/);
    const row = await db().selectFrom('api_keys').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
    expect(Object.values(row).some((value) => String(value).includes(made.key))).toBe(false);
    expect(row.key_hash).toBe(hashApiKey(made.key));
    expect(row.prefix).toBe(made.key.slice(0, 12));
    expect(row.last_used_at).toBeNull();

    const response = await queueAccess('ana@example.com', `Bearer ${made.key}`);
    expect(response.status).toBe(200);
    const used = await db().selectFrom('api_keys').select('last_used_at').where('id', '=', made.id).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    const firstUse = new Date(used.last_used_at ?? '');

    const lastUsed = async () => (await db().selectFrom('api_keys').select('last_used_at').where('id', '=', made.id).executeTakeFirstOrThrow()).last_used_at;
    await authenticateApiKey(db(), made.key, new Date(firstUse.getTime() + 30_000));
    expect(await lastUsed()).toBe(firstUse.toISOString());
    const later = new Date(firstUse.getTime() + 61_000);
    expect(await authenticateApiKey(db(), made.key, later)).not.toBeNull();
    expect(await lastUsed()).toBe(later.toISOString());

    await revokeApiKey(db(), { apiKeyId: made.id, actorId: adminId });
    expect(await authenticateApiKey(db(), made.key)).toBeNull();
    const audit = await db().selectFrom('audit_events').select(['action', 'actor_id', 'details']).where('action', 'like', 'apikey.%').where('details', 'like', `%"apiKeyId":${made.id},%`).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['apikey.created', adminId],
      ['apikey.revoked', adminId],
    ]);
  });
});

describe('GET /api/v1/queue-access', () => {
  it('answers 400 for a missing or invalid email, and 405 for another method', async () => {
    await expectError(await call(queueAccessLoader, apiRequest('/api/v1/queue-access')), 400, /email/);
    await expectError(await queueAccess(''), 400, /email/);
    await expectError(await queueAccess('not-an-email'), 400, /email/);
    await expectError(await queueAccess(`${'a'.repeat(250)}@example.com`), 400, /email/);
    const post = await call(queueAccessAction, apiRequest('/api/v1/queue-access?email=ana@example.com', { method: 'POST' }));
    await expectError(post, 405);
    expect(post.headers.get('Allow')).toContain('GET');
  });

  it('says granted, expired, revoked or not_certified per queue', async () => {
    const granted = await createUser({ roles: ['learner'], email: 'granted@example.com' });
    const grantedCertification = await certify(granted.id);
    const expired = await createUser({ roles: ['learner'], email: 'expired@example.com' });
    const expiredCertification = await certify(expired.id, new Date(Date.now() - 200 * DAY_MS));
    const revoked = await createUser({ roles: ['learner'], email: 'revoked@example.com' });
    const revokedCertification = await certify(revoked.id);
    expect((await accessFor('revoked@example.com')).queues[0]?.status).toBe('granted');
    await revokeCertification(db(), { certificationId: revokedCertification.id, actorId: adminId, reason: 'Refunded outside policy' });
    await createUser({ roles: ['learner'], email: 'uncertified@example.com' });

    // The email is matched however it is typed.
    const grantedView = await accessFor('  Granted@Example.COM ');
    expect(grantedView).toEqual({
      email: 'granted@example.com',
      active: true,
      queues: [{ queue: QUEUE, status: 'granted', certifiedAt: grantedCertification.issued_at, expiresAt: grantedCertification.expires_at, credentialId: grantedCertification.credential_id }],
    });
    const expiredView = await accessFor('expired@example.com');
    expect(expiredView.active).toBe(true);
    expect(expiredView.queues).toEqual([
      { queue: QUEUE, status: 'expired', certifiedAt: expiredCertification.issued_at, expiresAt: expiredCertification.expires_at, credentialId: expiredCertification.credential_id },
    ]);
    expect((await accessFor('revoked@example.com')).queues.map((q) => [q.queue, q.status, q.credentialId])).toEqual([[QUEUE, 'revoked', revokedCertification.credential_id]]);
    expect(await accessFor('uncertified@example.com')).toEqual({
      email: 'uncertified@example.com',
      active: true,
      queues: [{ queue: QUEUE, status: 'not_certified', certifiedAt: null, expiresAt: null, credentialId: null }],
    });
    // No account: the same answer as someone never certified, but not active.
    expect(await accessFor('nobody@example.com')).toEqual({
      email: 'nobody@example.com',
      active: false,
      queues: [{ queue: QUEUE, status: 'not_certified', certifiedAt: null, expiresAt: null, credentialId: null }],
    });
  });

  it('reports a disabled account as inactive and grants it no queue, though its certification is valid', async () => {
    const user = await createUser({ roles: ['learner'], email: 'disabled-agent@example.com' });
    await certify(user.id);
    expect((await accessFor(user.email)).queues[0]?.status).toBe('granted');
    await setUserStatus(db(), { actorId: adminId, userId: user.id, status: 'disabled' });
    const view = await accessFor(user.email);
    expect(view.active).toBe(false);
    expect(view.queues).toHaveLength(1);
    expect(view.queues.every((q) => q.status !== 'granted')).toBe(true);
  });
});

describe('/admin/api-keys', () => {
  it('shows a new key once, lists it by prefix, and revokes it only after confirmation', async () => {
    const cookie = await cookieFor(adminId);
    const tooShort = await call(apiKeysAction, makeRequest('/admin/api-keys', { cookie, form: { intent: 'create', name: 'HD' } }));
    expect(tooShort.status).toBe(400);
    expect(await tooShort.json()).toMatchObject({ errors: { name: [expect.stringMatching(/at least 3/)] }, values: { name: 'HD' } });

    const created = await call(apiKeysAction, makeRequest('/admin/api-keys', { cookie, form: { intent: 'create', name: 'Helpdesk production' } }));
    expect(created.status).toBe(200);
    expect(created.headers.get('Cache-Control')).toBe('no-store');
    const newKey = ((await created.json()) as { created: { key: string } }).created.key;
    expect((await queueAccess('ana@example.com', `Bearer ${newKey}`)).status).toBe(200);

    const listing = await call(apiKeysLoader, makeRequest('/admin/api-keys', { cookie }));
    const listingText = await listing.text();
    expect(listingText).not.toContain(newKey);
    const { keys } = JSON.parse(listingText) as { keys: { id: number; name: string; prefix: string; lastUsedLabel: string; createdByName: string | null; revokedAt: string | null }[] };
    const listed = keys.find((k) => k.name === 'Helpdesk production');
    expect(listed).toMatchObject({ prefix: newKey.slice(0, 12), createdByName: expect.any(String), revokedAt: null });
    expect(listed?.lastUsedLabel).not.toBe('never');
    expect(keys.find((k) => k.name === 'Hash check')?.revokedAt).not.toBeNull();

    const unconfirmed = await call(apiKeysAction, makeRequest('/admin/api-keys', { cookie, form: { intent: 'revoke', apiKeyId: String(listed?.id) } }));
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.json()).toMatchObject({ revokeError: { apiKeyId: listed?.id, message: expect.stringMatching(/Tick the box/) } });
    expect((await queueAccess('ana@example.com', `Bearer ${newKey}`)).status).toBe(200);

    const confirmed = await call(apiKeysAction, makeRequest('/admin/api-keys', { cookie, form: { intent: 'revoke', apiKeyId: String(listed?.id), confirm: 'yes' } }));
    expect(await confirmed.json()).toEqual({ revoked: 'Helpdesk production' });
    await expectError(await queueAccess('ana@example.com', `Bearer ${newKey}`), 401);
    const again = await call(apiKeysAction, makeRequest('/admin/api-keys', { cookie, form: { intent: 'revoke', apiKeyId: String(listed?.id), confirm: 'yes' } }));
    expect(again.status).toBe(400);
  });
});
