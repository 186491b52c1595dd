// Verifiable certificates: the signed Open Badges credential at /verify/<id>.json checks out against
// the published keys (and nothing forged does), the public page tells valid, expired and revoked
// apart without leaking anything private, and a learner's /certificate shows their own only.
import { randomUUID } from 'node:crypto';
import { base64url, createLocalJWKSet, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Certification } from '~db/schema';
import { writeTransaction } from '~db/connect';
import { verifyCredentialJwt } from '~/credential.server';
import { db } from '~/db.server';
import { issueCertification, revokeCertification } from '~/models/certification.server';
import { getExam } from '~/models/exam.server';
import { defaultTrackId } from '~/models/learning.server';
import { loader as certificateLoader } from '~/routes/certificate';
import { loader as jwksLoader } from '~/routes/[.]well-known.jwks[.]json';
import { loader as credentialLoader } from '~/routes/verify.$credentialId.credential';
import { loader as verifyLoader } from '~/routes/verify.$credentialId';
import { call, cookieFor, createUser, makeRequest } from '../support/fixtures';

const EXAM_ID = 'returns-refunds-certification';
const DAY_MS = 86_400_000;

type VerifyPage = { credentialId: string; holderName: string; trackTitle: string; queue: string; status: string; issuedOn: string; expiresOn: string };
type CredentialJson = { credentialId: string; status: string; jwt: string; credential: Record<string, unknown> };
type CertificatePage = {
  current: null | { credentialId: string; holderName: string; status: string; verificationUrl: string };
  history: { credentialId: string; status: string }[];
};

let trackId = '';
let validityDays = 0;
let managerId = 0;

beforeAll(async () => {
  const exam = await getExam(db(), { examId: EXAM_ID });
  if (!exam) throw new Error(`exam ${EXAM_ID} is not in the test database`);
  validityDays = exam.blueprint.validityDays;
  trackId = (await defaultTrackId(db())) ?? '';
  managerId = (await createUser({ roles: ['admin'] })).id;
});

async function certifiedLearner(args: { name: string; daysAgo?: number }) {
  const email = `cert-${randomUUID().slice(0, 8)}@example.com`;
  const user = await createUser({ roles: ['learner'], email, name: args.name });
  const now = new Date(Date.now() - (args.daysAgo ?? 0) * DAY_MS);
  const certification: Certification = await writeTransaction(db(), (trx) =>
    issueCertification(trx, { userId: user.id, exam: { id: EXAM_ID, trackId, queue: 'returns-refunds', validityDays }, attemptId: null, now }),
  );
  return { ...user, certification };
}

async function verifyPage(credentialId: string) {
  return call(verifyLoader, makeRequest(`/verify/${credentialId}`), { credentialId });
}

async function credentialJson(credentialId: string) {
  return call(credentialLoader, makeRequest(`/verify/${credentialId}/credential`), { credentialId });
}

async function publishedKeys(): Promise<JSONWebKeySet> {
  const response = await call(jwksLoader, makeRequest('/.well-known/jwks.json'));
  expect(response.status).toBe(200);
  expect(response.headers.get('Cache-Control')).toBe('public, max-age=300');
  return (await response.json()) as JSONWebKeySet;
}

/** Verifies as an outside party would: with jose and the published JWKS only. */
async function verifyAsOutsider(jwt: string) {
  return jwtVerify(jwt, createLocalJWKSet(await publishedKeys()), { algorithms: ['EdDSA'] });
}

describe('signed credential', () => {
  it('is an OpenBadgeCredential naming the holder, not their email, that verifies against the published keys', async () => {
    const holder = await certifiedLearner({ name: 'Ada Okafor' });
    const response = await credentialJson(holder.certification.credential_id);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toContain('application/json');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const body = (await response.json()) as CredentialJson;
    expect(body.status).toBe('valid');
    expect(body.credentialId).toBe(holder.certification.credential_id);

    const { payload, protectedHeader } = await verifyAsOutsider(body.jwt);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'vc+jwt' });
    expect(payload.type).toEqual(['VerifiableCredential', 'OpenBadgeCredential']);
    expect(payload['@context']).toContain('https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json');
    expect(payload.id).toBe(`http://localhost/verify/${holder.certification.credential_id}`);
    expect(payload.validFrom).toBe(holder.certification.issued_at);
    expect(payload.validUntil).toBe(holder.certification.expires_at);
    expect(payload).toMatchObject({
      issuer: { id: 'http://localhost', name: 'Frontline' },
      credentialSubject: { type: ['AchievementSubject'], name: 'Ada Okafor', achievement: { id: `http://localhost/achievements/${EXAM_ID}` } },
    });
    // The credential is in force until validUntil: no JWT expiry that would make it look forged later.
    expect(payload.exp).toBeUndefined();
    expect(JSON.stringify(payload)).not.toContain(holder.email);
    expect(JSON.stringify(body)).not.toContain(holder.email);
    expect(body.credential).toEqual(Object.fromEntries(Object.entries(payload).filter(([k]) => !['iss', 'jti', 'iat', 'nbf'].includes(k))));
  });

  it('signs every credential with the one stored key, published once', async () => {
    const [a, b] = [await certifiedLearner({ name: 'Key One' }), await certifiedLearner({ name: 'Key Two' })];
    const jwtA = ((await (await credentialJson(a.certification.credential_id)).json()) as CredentialJson).jwt;
    const jwtB = ((await (await credentialJson(b.certification.credential_id)).json()) as CredentialJson).jwt;
    const keys = await publishedKeys();
    expect(keys.keys).toHaveLength(1);
    expect(keys.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(keys.keys[0]).not.toHaveProperty('d');
    expect(decodeProtectedHeader(jwtA).kid).toBe(keys.keys[0]?.kid);
    expect(decodeProtectedHeader(jwtB).kid).toBe(keys.keys[0]?.kid);
    expect(await db().selectFrom('signing_keys').select('kid').execute()).toEqual([{ kid: keys.keys[0]?.kid }]);
  });

  it('refuses a tampered credential and one signed by another key', async () => {
    const holder = await certifiedLearner({ name: 'Real Holder' });
    const { jwt } = (await (await credentialJson(holder.certification.credential_id)).json()) as CredentialJson;
    const [header, payload, signature] = jwt.split('.') as [string, string, string];

    // The name swapped for another, re-encoded, with the original signature.
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload))) as { credentialSubject: { name: string } };
    claims.credentialSubject.name = 'Mallory Impostor';
    const forgedName = `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
    await expect(verifyAsOutsider(forgedName)).rejects.toThrow(/signature verification failed/);
    expect(await verifyCredentialJwt(db(), forgedName)).toMatchObject({ ok: false });

    // One character of the payload changed.
    const flipped = payload.at(10) === 'A' ? 'B' : 'A';
    const oneChar = `${header}.${payload.slice(0, 10)}${flipped}${payload.slice(11)}.${signature}`;
    await expect(verifyAsOutsider(oneChar)).rejects.toThrow();
    expect(await verifyCredentialJwt(db(), oneChar)).toMatchObject({ ok: false });

    // The same claims signed by a key that is not ours, even when it claims our key's id.
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    const ourKid = decodeProtectedHeader(jwt).kid ?? '';
    for (const kid of [ourKid, 'someone-elses-key']) {
      const foreign = await new SignJWT(claims as unknown as Record<string, unknown>).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'vc+jwt' }).sign(privateKey);
      await expect(verifyAsOutsider(foreign)).rejects.toThrow();
      expect(await verifyCredentialJwt(db(), foreign)).toMatchObject({ ok: false });
    }

    // The untouched one still passes our own check too.
    expect(await verifyCredentialJwt(db(), jwt)).toMatchObject({ ok: true, payload: { credentialSubject: { name: 'Real Holder' } } });
  });
});

describe('public verification page', () => {
  it('shows a valid certificate, then revoked once revoked, without email or reason', async () => {
    const holder = await certifiedLearner({ name: 'Grace Mbeki' });
    const id = holder.certification.credential_id;
    const before = await verifyPage(id);
    expect(before.status).toBe(200);
    const page = (await before.json()) as VerifyPage;
    expect(page).toMatchObject({ holderName: 'Grace Mbeki', queue: 'returns-refunds', status: 'valid', credentialId: id });
    expect(page.trackTitle).toMatch(/Returns & Refunds/);

    const reason = 'Shared customer card numbers in a chat';
    expect(await revokeCertification(db(), { certificationId: holder.certification.id, actorId: managerId, reason })).toEqual({ ok: true });
    const after = await verifyPage(id);
    const revoked = (await after.json()) as VerifyPage;
    expect(revoked.status).toBe('revoked');
    const shown = JSON.stringify(revoked);
    expect(shown).not.toContain(holder.email);
    expect(shown).not.toContain(reason);

    // The JSON says so too, while the signature itself stays genuine.
    const json = (await (await credentialJson(id)).json()) as CredentialJson;
    expect(json.status).toBe('revoked');
    expect(JSON.stringify(json)).not.toContain(reason);
    await expect(verifyAsOutsider(json.jwt)).resolves.toBeTruthy();
  });

  it('shows an expired certificate as expired, its signature still genuine', async () => {
    const holder = await certifiedLearner({ name: 'Old Timer', daysAgo: validityDays + 20 });
    const page = (await (await verifyPage(holder.certification.credential_id)).json()) as VerifyPage;
    expect(page.status).toBe('expired');
    const json = (await (await credentialJson(holder.certification.credential_id)).json()) as CredentialJson;
    expect(json.status).toBe('expired');
    const { payload } = await verifyAsOutsider(json.jwt);
    expect(Date.parse(String(payload.validUntil))).toBeLessThan(Date.now());
  });

  it('answers 404 for an id that does not exist or is malformed', async () => {
    for (const id of [randomUUID(), 'x', '../../etc/passwd']) {
      const page = await verifyPage(id);
      expect(page.status).toBe(404);
      expect(await page.text()).toBe('No certificate with this id');
      const json = await credentialJson(id);
      expect(json.status).toBe(404);
      expect(json.headers.get('Content-Type')).toContain('application/json');
      expect(await json.json()).toEqual({ error: 'No certificate with this id.' });
    }
  });
});

describe('/certificate', () => {
  it("shows the learner's own certification only, with its verification link", async () => {
    const mine = await certifiedLearner({ name: 'Mine Holder' });
    const theirs = await certifiedLearner({ name: 'Their Holder' });
    const response = await call(certificateLoader, makeRequest('/certificate', { cookie: await cookieFor(mine.id) }));
    expect(response.status).toBe(200);
    const page = (await response.json()) as CertificatePage;
    expect(page.current).toMatchObject({
      credentialId: mine.certification.credential_id,
      holderName: 'Mine Holder',
      status: 'valid',
      verificationUrl: `http://localhost/verify/${mine.certification.credential_id}`,
    });
    expect(page.history.map((c) => c.credentialId)).toEqual([mine.certification.credential_id]);
    expect(JSON.stringify(page)).not.toContain(theirs.certification.credential_id);
  });

  it('prefers the certification in force over a newer revoked one', async () => {
    const learner = await certifiedLearner({ name: 'Twice Certified', daysAgo: 10 });
    const newer = await writeTransaction(db(), (trx) =>
      issueCertification(trx, { userId: learner.id, exam: { id: EXAM_ID, trackId, queue: 'returns-refunds', validityDays }, attemptId: null, now: new Date() }),
    );
    await revokeCertification(db(), { certificationId: newer.id, actorId: managerId, reason: 'Issued twice by mistake' });
    const page = (await (await call(certificateLoader, makeRequest('/certificate', { cookie: await cookieFor(learner.id) }))).json()) as CertificatePage;
    expect(page.current?.credentialId).toBe(learner.certification.credential_id);
    expect(page.history.map((c) => [c.credentialId, c.status])).toEqual([
      [newer.credential_id, 'revoked'],
      [learner.certification.credential_id, 'valid'],
    ]);
  });

  it('has nothing to show a learner who is not certified', async () => {
    const learner = await createUser({ roles: ['learner'] });
    const page = (await (await call(certificateLoader, makeRequest('/certificate', { cookie: await cookieFor(learner.id) }))).json()) as CertificatePage;
    expect(page).toEqual({ current: null, history: [] });
  });
});
