// The JSON API for the helpdesk (/api/v1/…): authentication by API key, and the shape of every
// answer. Answers are never cached: access changes the moment a certification is revoked, and a
// shared cache must not hand one caller's answer to another. Documented in docs/api.md.
import type { Executor } from '~db/connect';
import { db } from '~/db.server';
import { authenticateApiKey, type ApiKey } from '~/models/api-key.server';

const NO_STORE = { 'Cache-Control': 'no-store' } as const;

/** A JSON answer that no cache keeps. */
export function apiJson(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return Response.json(body, { status: init.status ?? 200, headers: { ...NO_STORE, ...init.headers } });
}

/** `{"error": message}` with the status: what every refusal of the API looks like. */
export function apiError(status: number, message: string, headers: Record<string, string> = {}): Response {
  return apiJson({ error: message }, { status, headers });
}

/** For the methods a read-only endpoint does not take. */
export function methodNotAllowed(): Response {
  return apiError(405, 'This endpoint only answers GET requests.', { Allow: 'GET, HEAD' });
}

function unauthorized(message: string): Response {
  return apiError(401, message, { 'WWW-Authenticate': 'Bearer' });
}

/**
 * The API key the request carries in `Authorization: Bearer <key>`; throws a 401 JSON response
 * when it is missing, malformed, unknown or revoked.
 */
export async function requireApiKey(request: Request): Promise<ApiKey> {
  const header = request.headers.get('Authorization');
  if (!header) throw unauthorized('Send an API key in the header "Authorization: Bearer <key>".');
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <key>".');
  const key = await authenticateApiKey(db(), match[1]);
  if (!key) throw unauthorized('This API key is not valid: it is unknown or has been revoked.');
  return key;
}

/** The queues the API answers about: every queue of a loaded track. */
export async function knownQueues(executor: Executor): Promise<string[]> {
  const rows = await executor.selectFrom('tracks').select('queue').distinct().orderBy('queue').execute();
  return rows.map((r) => r.queue);
}
