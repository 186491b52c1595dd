// GET /api/v1/queues/:queue/agents?page=1&perPage=50 — everyone who may take chats on a queue now
// (active, with a certification that is unexpired and not revoked), by email, a page at a time.
// The helpdesk uses it to reconcile its roster. See docs/api.md.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { apiError, apiJson, knownQueues, methodNotAllowed, requireApiKey } from '~/api.server';
import { db } from '~/db.server';
import { grantedAgents } from '~/models/certification.server';

const MAX_PER_PAGE = 200;

function wholeNumber(name: string, max: number) {
  const message = `${name} must be a whole number from 1 to ${max}.`;
  return z.string().regex(/^\d{1,9}$/, message).transform(Number).pipe(z.number().int().min(1, message).max(max, message));
}

const querySchema = z.object({
  page: wholeNumber('page', 1_000_000).default(1),
  perPage: wholeNumber('perPage', MAX_PER_PAGE).default(50),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireApiKey(request);
  const queue = params.queue ?? '';
  if (!(await knownQueues(db())).includes(queue)) return apiError(404, `There is no queue "${queue}".`);
  const url = new URL(request.url);
  const parsed = querySchema.safeParse({
    page: url.searchParams.get('page') ?? undefined,
    perPage: url.searchParams.get('perPage') ?? undefined,
  });
  if (!parsed.success) return apiError(400, parsed.error.issues[0]?.message ?? 'Invalid query.');
  const { page, perPage } = parsed.data;
  const { total, agents } = await grantedAgents(db(), { queue, page, perPage });
  let next: string | null = null;
  if (page * perPage < total) {
    const nextUrl = new URL(url.pathname, url.origin);
    nextUrl.search = new URLSearchParams({ page: String(page + 1), perPage: String(perPage) }).toString();
    next = nextUrl.href;
  }
  return apiJson({ queue, page, perPage, total, agents, next });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireApiKey(request);
  return methodNotAllowed();
}
