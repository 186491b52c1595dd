// Environment, read once and checked. Only values in publicEnv() may reach the browser.
import { z } from 'zod';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const booleanish = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.string().min(1).default('file:./data/frontline.db'),
  SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
  CONTENT_DIR: z.string().min(1).default('./content'),
  DEFAULT_TIME_ZONE: z.string().refine(isTimeZone, 'not a known IANA time zone').default('Asia/Shanghai'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(8 * 60),
  SESSION_MAX_DAYS: z.coerce.number().int().positive().default(7),
  /** Set when behind a reverse proxy, so the client address and HTTPS come from X-Forwarded-* headers. */
  TRUST_PROXY: booleanish,
  /** The public origin (e.g. https://frontline.example.com); requests whose Origin differs are refused. */
  APP_ORIGIN: z.url().optional(),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forget the cached environment (the start-up script sets SESSION_SECRET, tests change values). */
export function resetEnvCache(): void {
  cached = undefined;
}
