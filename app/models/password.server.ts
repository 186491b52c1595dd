// argon2id with the OWASP-recommended minimum: 19 MiB of memory, 2 iterations, parallelism 1.
import { hash, verify } from '@node-rs/argon2';

// algorithm 2 is Algorithm.Argon2id (a const enum, which isolatedModules cannot import)
const OPTIONS = { algorithm: 2, memoryCost: 19 * 1024, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the email is unknown, so the response takes as long as for a real account.
let decoyHash: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoyHash ??= hash('decoy-password-for-timing', OPTIONS);
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
