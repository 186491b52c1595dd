// user:create — accounts made from the command line (the first administrator of a fresh install,
// or anyone when the web UI is not at hand).
import { randomInt } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { type Executor, writeTransaction } from '~db/connect';
import { ROLES, type Role } from '~db/schema';
import { passwordProblem } from '~/domain/password-policy';
import { identitySchema } from '~/forms/schemas';
import { isUniqueViolation } from '~/models/instance.server';
import { hashPassword } from '~/models/password.server';
import { sortRoles } from '~db/schema';
import { findUserByEmail, insertUser, isRole, normaliseEmail, recordAudit } from '~/models/user.server';
import { CliError, parseOptions, required, type CliCommand } from './command.server';

const PASSWORD_WORDS = dictionary['diceware-common'].filter((w) => /^[a-z]{4,8}$/.test(w));

/** Three random words and four digits (about 50 bits), e.g. "maple-orbit-lantern-4821". */
export function generatePassword(): string {
  for (;;) {
    const words = Array.from({ length: 3 }, () => PASSWORD_WORDS[randomInt(PASSWORD_WORDS.length)]);
    const password = `${words.join('-')}-${String(randomInt(10_000)).padStart(4, '0')}`;
    if (passwordProblem(password) === null) return password;
  }
}

export function parseRoles(text: string): Role[] {
  const names = text
    .split(',')
    .map((r) => r.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((r) => !isRole(r));
  if (unknown.length > 0) {
    throw new CliError(`Unknown role ${unknown.map((r) => `"${r}"`).join(', ')}: --roles takes a comma-separated list of ${ROLES.join(', ')}.`);
  }
  if (names.length === 0) throw new CliError(`--roles needs at least one of ${ROLES.join(', ')}.`);
  return sortRoles(names.filter(isRole));
}

/** Creates the account and records who made it (nobody signed in: the command line). Run it in a transaction. */
export async function createAccount(
  trx: Executor,
  args: { email: string; name: string; passwordHash: string; roles: readonly Role[]; via: string },
): Promise<number> {
  const userId = await insertUser(trx, args);
  await recordAudit(trx, { actorId: null, action: 'user.created', subjectUserId: userId, details: { roles: args.roles, via: args.via } });
  return userId;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}


export const userCreate: CliCommand = {
  name: 'user:create',
  usage: '--email EMAIL --name NAME --roles ROLE[,ROLE] [--password PASSWORD | --password-stdin]',
  details: [
    '--password-stdin reads the password from standard input (one line), so it stays out of shell history.',
    'Without --password or --password-stdin a strong password is generated and shown once.',
  ],
  async run({ argv, database }) {
    const values = parseOptions(this, argv, {
      email: { type: 'string' },
      name: { type: 'string' },
      roles: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    });
    const parsed = identitySchema.safeParse({ email: required(values.email, '--email', this), name: required(values.name, '--name', this) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(`--${String(issue?.path[0] ?? 'email')}: ${issue?.message ?? 'invalid value'}`);
    }
    const roles = parseRoles(required(values.roles, '--roles', this));
    if (values.password !== undefined && values['password-stdin']) {
      throw new CliError('Give either --password or --password-stdin, not both.');
    }

    let password: string;
    let generated = false;
    if (values['password-stdin']) {
      password = (await readStdin()).replace(/\r?\n$/, '');
      if (password === '') throw new CliError('--password-stdin: standard input was empty.');
    } else if (values.password !== undefined) {
      password = values.password;
    } else {
      password = generatePassword();
      generated = true;
    }
    const problem = passwordProblem(password);
    if (problem) throw new CliError(`Password refused: ${problem}`);

    const { db } = await database();
    const { email, name } = parsed.data;
    const existing = await findUserByEmail(db, { email });
    if (existing) throw new CliError(`A user with the email ${existing.email} already exists (user ${existing.id}).`);
    const passwordHash = await hashPassword(password);
    let userId: number;
    try {
      userId = await writeTransaction(db, (trx) => createAccount(trx, { email, name, passwordHash, roles, via: 'cli' }));
    } catch (error) {
      // Someone else created the same email between the check above and this insert.
      if (isUniqueViolation(error)) throw new CliError(`A user with the email ${normaliseEmail(email)} already exists.`);
      throw error;
    }
    console.log(`Created user ${userId} (${normaliseEmail(email)}) with roles ${roles.join(', ')}.`);
    if (generated) console.log(`Generated password (shown once, pass it on privately): ${password}`);
  },
};
