// GET /api/v1/queue-access?email=… — may this person take live chats, queue by queue? Asked by the
// helpdesk when an agent signs in or is routed a chat. An email with no account gets the same answer
// as a person never certified (active: false, every queue not_certified): the helpdesk needs a yes
// or no, and this does not tell a key holder who has an account beyond that. See docs/api.md.
import type { ActionFunctionArgs, LoaderFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { apiError, apiJson, knownQueues, methodNotAllowed, requireApiKey } from '~/api.server';
import { db } from '~/db.server';
import { queueAccessByEmail } from '~/models/certification.server';
import { normaliseEmail } from '~/models/user.server';

const querySchema = z.object({
  email: z
    .string({ error: 'Add the email address to the query: ?email=name@example.com.' })
    .transform(normaliseEmail)
    .pipe(
      z
        .string()
        .min(1, 'The email parameter is empty: ?email=name@example.com.')
        .max(254, 'The email address is too long.')
        .pipe(z.email('The email parameter is not an email address such as name@example.com.')),
    ),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireApiKey(request);
  const url = new URL(request.url);
  const parsed = querySchema.safeParse({ email: url.searchParams.get('email') ?? undefined });
  if (!parsed.success) return apiError(400, parsed.error.issues[0]?.message ?? 'Invalid query.');
  const queues = await knownQueues(db());
  const access = await queueAccessByEmail(db(), { email: parsed.data.email, queues });
  return apiJson({ email: access.email, active: access.active, queues: access.queues });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireApiKey(request);
  return methodNotAllowed();
}
