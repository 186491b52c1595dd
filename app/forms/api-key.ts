// The forms of /admin/api-keys, shared by the browser and the action (and the CLI's apikey:create).
import { z } from 'zod';

export const apiKeyNameSchema = z.object({
  name: z.string().trim().min(3, 'Use at least 3 characters, e.g. "Helpdesk production".').max(80, 'Use at most 80 characters.'),
});

export const apiKeyRevokeSchema = z.object({
  apiKeyId: z.coerce.number().int().positive(),
  confirm: z.literal('yes', { error: 'Tick the box to confirm that the helpdesk will lose access with this key.' }),
});
