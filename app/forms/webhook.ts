// Forms of the webhook admin pages; the browser validates with these too.
import { z } from 'zod';
import { WEBHOOK_EVENTS } from '~/domain/webhook-events';

export const WEBHOOK_EVENT_CHOICES = WEBHOOK_EVENTS;

export const WEBHOOK_EVENT_DESCRIPTIONS: Record<(typeof WEBHOOK_EVENT_CHOICES)[number], string> = {
  'certification.granted': 'An agent passed the exam and is certified for a queue.',
  'certification.revoked': 'A manager revoked a certification: access ends now.',
  'certification.expired': 'A certification reached its expiry date.',
  'certification.reinstated': 'A manager withdrew a revocation.',
};

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a URL cannot receive webhooks, or null. Plain http only to this machine: the body is signed, not encrypted. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter the full URL, such as https://helpdesk.example.com/hooks/frontline.';
  }
  if (url.username || url.password) return 'Leave the user name and password out of the URL: requests are signed instead.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)) return null;
  return 'Use an https:// URL (plain http:// is allowed only for localhost and 127.0.0.1).';
}

export const createWebhookSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, 'Enter the URL that should receive the events.')
    .max(2000, 'Use at most 2000 characters.')
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  events: z.array(z.enum(WEBHOOK_EVENT_CHOICES, 'Choose events from the list.')).min(1, 'Choose at least one event.'),
  secret: z
    .string()
    .trim()
    .max(200, 'Use at most 200 characters.')
    .refine((v) => v === '' || v.length >= 16, 'Use at least 16 characters, or leave it blank to have one generated.')
    .optional()
    .transform((v) => v || undefined),
});

export const toggleWebhookSchema = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('disable'),
    webhookId: z.coerce.number().int().positive(),
    confirm: z.literal('yes', 'Tick the box to confirm.'),
  }),
  z.object({ intent: z.literal('enable'), webhookId: z.coerce.number().int().positive() }),
]);

export const redeliverSchema = z.object({
  intent: z.literal('redeliver'),
  deliveryId: z.coerce.number().int().positive(),
});
