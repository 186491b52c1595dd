// apikey:create — a key for the helpdesk, made from the command line (e.g. when provisioning). The
// key is printed once and never stored; revoke it at /admin/api-keys.
import { apiKeyNameSchema } from '~/forms/api-key';
import { createApiKey } from '~/models/api-key.server';
import { CliError, parseOptions, required, type CliCommand } from './command.server';

export const apiKeyCreate: CliCommand = {
  name: 'apikey:create',
  usage: '--name NAME',
  details: [
    '--name says who uses the key (3 to 80 characters), e.g. "Helpdesk production".',
    'The key is printed once and cannot be shown again: only its hash is stored. Revoke keys at /admin/api-keys.',
  ],
  async run({ argv, database }) {
    const values = parseOptions(this, argv, { name: { type: 'string' } });
    const parsed = apiKeyNameSchema.safeParse({ name: required(values.name, '--name', this) });
    if (!parsed.success) throw new CliError(`--name "${values.name}": ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
    const { db } = await database();
    const { id, key, prefix } = await createApiKey(db, { name: parsed.data.name, createdBy: null });
    console.log(`Created API key ${id} "${parsed.data.name}" (starts with ${prefix}).`);
    console.log(key);
    console.log('This key will not be shown again: copy it now into the helpdesk settings.');
  },
};
