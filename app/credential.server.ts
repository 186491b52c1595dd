// A certification as a verifiable credential: an Open Badges 3.0 OpenBadgeCredential, signed as a
// VC-JWT (VC-JOSE-COSE: the credential is the JWT's payload) with the key in signing-key.server.ts.
//
// The credential carries the holder's name and never their email. Expiry is in validUntil, not in a
// JWT `exp`: an expired certificate still has a genuine signature, and a verifier should learn
// "expired" from the credential, not "bad token". Revocation is not in the signed document at all; the
// public page and the JSON's `status` say whether it still stands.
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { Executor } from '~db/connect';
import type { Certification } from '~db/schema';
import { certificationStatus, type CertificationStatus } from '~/domain/certification';
import { env } from '~/env.server';
import { findByCredentialId, toDates } from '~/models/certification.server';
import { getSigningKey, SIGNING_ALGORITHM, verificationKeys } from '~/models/signing-key.server';

export const CREDENTIAL_JWT_TYPE = 'vc+jwt';
export const ISSUER_NAME = 'Frontline';

export interface OpenBadgeCredential {
  '@context': string[];
  id: string;
  type: ['VerifiableCredential', 'OpenBadgeCredential'];
  issuer: { id: string; type: ['Profile']; name: string };
  validFrom: string;
  validUntil: string;
  name: string;
  credentialSubject: {
    type: ['AchievementSubject'];
    name: string;
    // Open Badges asks for the subject's id or an identifier; a plain name is all we share.
    identifier: { type: 'IdentityObject'; identityType: 'name'; hashed: false; identityHash: string }[];
    achievement: {
      id: string;
      type: ['Achievement'];
      name: string;
      description: string;
      criteria: { narrative: string };
    };
  };
}

/** The site's public origin: APP_ORIGIN when set (it should be in production), else the request's. */
export function appOrigin(request: Request): string {
  return env().APP_ORIGIN?.replace(/\/+$/, '') ?? new URL(request.url).origin;
}

export const verificationUrl = (origin: string, credentialId: string) => `${origin}/verify/${credentialId}`;

export function buildOpenBadgeCredential(args: {
  certification: Pick<Certification, 'credential_id' | 'exam_id' | 'queue' | 'issued_at' | 'expires_at'>;
  holderName: string;
  trackTitle: string;
  examTitle: string;
  appOrigin: string;
}): OpenBadgeCredential {
  const { certification, appOrigin: origin } = args;
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'],
    id: verificationUrl(origin, certification.credential_id),
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    issuer: { id: origin, type: ['Profile'], name: ISSUER_NAME },
    validFrom: certification.issued_at,
    validUntil: certification.expires_at,
    name: args.examTitle,
    credentialSubject: {
      type: ['AchievementSubject'],
      name: args.holderName,
      identifier: [{ type: 'IdentityObject', identityType: 'name', hashed: false, identityHash: args.holderName }],
      achievement: {
        id: `${origin}/achievements/${certification.exam_id}`,
        type: ['Achievement'],
        name: args.examTitle,
        description: `Certified to take live chats on the ${certification.queue} support queue, after completing the ${args.trackTitle} track.`,
        criteria: {
          narrative: `Completed every module of the ${args.trackTitle} track and passed the timed certification exam on real-world cases for the ${certification.queue} live queue. Valid for a limited period; recertification renews it.`,
        },
      },
    },
  };
}

/** Credential ids are UUIDs; anything far from that shape is not looked up. */
export const CREDENTIAL_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/** A certification by its public id, with its status now and its credential; null when unknown. */
export async function findCredential(db: Executor, args: { credentialId: string | undefined; appOrigin: string; now?: Date }) {
  const credentialId = args.credentialId ?? '';
  if (!CREDENTIAL_ID_PATTERN.test(credentialId)) return null;
  const row = await findByCredentialId(db, { credentialId });
  if (!row) return null;
  const trackTitle = row.track_title ?? row.track_id;
  const examTitle = row.exam_title ?? `${trackTitle} certification`;
  const status: CertificationStatus = certificationStatus(toDates(row), args.now ?? new Date());
  const credential = buildOpenBadgeCredential({ certification: row, holderName: row.holder_name, trackTitle, examTitle, appOrigin: args.appOrigin });
  return { certification: row, holderName: row.holder_name, trackTitle, examTitle, status, credential };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The credential as a compact VC-JWT signed with the current key. */
export async function signCredential(db: Executor, credential: OpenBadgeCredential): Promise<string> {
  const key = await getSigningKey(db);
  return new SignJWT({ ...credential } as unknown as JWTPayload)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: key.kid, typ: CREDENTIAL_JWT_TYPE })
    .setIssuer(credential.issuer.id)
    .setJti(credential.id)
    .setIssuedAt(seconds(credential.validFrom))
    .setNotBefore(seconds(credential.validFrom))
    .sign(key.privateKey);
}

export type CredentialVerification = { ok: true; payload: JWTPayload & Partial<OpenBadgeCredential> } | { ok: false; reason: string };

/** Checks a VC-JWT against our published keys. Expiry is the credential's validUntil, not checked here. */
export async function verifyCredentialJwt(db: Executor, jwt: string): Promise<CredentialVerification> {
  try {
    const { payload } = await jwtVerify<Partial<OpenBadgeCredential>>(jwt, await verificationKeys(db), {
      algorithms: [SIGNING_ALGORITHM],
      typ: CREDENTIAL_JWT_TYPE,
    });
    return { ok: true, payload };
  } catch (error) {
    if (error instanceof errors.JOSEError) return { ok: false, reason: `${error.code}: ${error.message}` };
    throw error;
  }
}
