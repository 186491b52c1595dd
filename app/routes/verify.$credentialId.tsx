// Public certificate verification: anyone with the link (an employer, a helpdesk lead) sees whether a
// certificate is genuine and still stands. Only what a verifier needs: the holder's name, the track,
// the queue, the dates and the status; never an email, a score or a revocation reason.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from '@remix-run/react';
import type { RouteHandle } from '~/root';
import { appOrigin, findCredential } from '~/credential.server';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';

const NOT_FOUND = 'No certificate with this id';

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Public: the credential id is random and unguessable; the page shows nothing private.
  const found = await findCredential(db(), { credentialId: params.credentialId, appOrigin: appOrigin(request) });
  if (!found) throw new Response(NOT_FOUND, { status: 404 });
  const { certification } = found;
  return {
    credentialId: certification.credential_id,
    holderName: found.holderName,
    trackTitle: found.trackTitle,
    queue: certification.queue,
    issuedAt: certification.issued_at,
    issuedOn: formatDate(certification.issued_at.slice(0, 10)),
    expiresAt: certification.expires_at,
    expiresOn: formatDate(certification.expires_at.slice(0, 10)),
    status: found.status,
  };
}

const STATUS = {
  valid: { label: 'Valid', className: 'border-green-700 bg-green-50 text-green-900', says: 'This certificate is genuine and in force.' },
  expired: { label: 'Expired', className: 'border-amber-700 bg-amber-50 text-amber-900', says: 'This certificate was genuine but has expired.' },
  revoked: { label: 'Revoked', className: 'border-red-700 bg-red-50 text-red-900', says: 'This certificate has been revoked and no longer stands.' },
} as const;

// Plain HTML: nothing here needs JavaScript (see RouteHandle in root.tsx).
export const handle: RouteHandle = { hydrate: false };

export default function VerifyCertificate() {
  const certificate = useLoaderData<typeof loader>();
  const status = STATUS[certificate.status];
  return (
    <article className="mx-auto max-w-2xl space-y-6" aria-labelledby="verify-heading">
      <header>
        <p className="text-sm text-slate-700">Certificate verification</p>
        <h1 id="verify-heading" className="text-3xl font-bold">
          {certificate.holderName}
        </h1>
      </header>
      <div role="status" className={`rounded border-l-4 p-4 ${status.className}`}>
        <p className="text-xl font-bold">Status: {status.label}</p>
        <p>{status.says}</p>
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded bg-white p-6 shadow sm:grid-cols-[max-content_1fr]">
        <dt className="font-semibold text-slate-700">Holder</dt>
        <dd>{certificate.holderName}</dd>
        <dt className="font-semibold text-slate-700">Track</dt>
        <dd>{certificate.trackTitle}</dd>
        <dt className="font-semibold text-slate-700">Live queue</dt>
        <dd>{certificate.queue}</dd>
        <dt className="font-semibold text-slate-700">Issued</dt>
        <dd>
          <time dateTime={certificate.issuedAt}>{certificate.issuedOn}</time>
        </dd>
        <dt className="font-semibold text-slate-700">{certificate.status === 'expired' ? 'Expired' : 'Expires'}</dt>
        <dd>
          <time dateTime={certificate.expiresAt}>{certificate.expiresOn}</time>
        </dd>
        <dt className="font-semibold text-slate-700">Credential id</dt>
        <dd className="font-mono text-sm break-all">{certificate.credentialId}</dd>
      </dl>
      <p className="text-sm text-slate-700">
        For software: the{' '}
        <a href={`/verify/${certificate.credentialId}.json`}>signed credential (Open Badges 3.0, JSON)</a>, verifiable with the
        keys at <a href="/.well-known/jwks.json">/.well-known/jwks.json</a>.
      </p>
    </article>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Certificate of ${data.holderName} · Frontline` : `${NOT_FOUND} · Frontline` },
  // A holder shares the link; search engines need not list people's names.
  { name: 'robots', content: 'noindex' },
];

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <section className="mx-auto max-w-2xl py-6">
      <h1 className="mb-4 text-2xl font-bold">{notFound ? NOT_FOUND : 'Something went wrong'}</h1>
      <p className="mb-6">
        {notFound
          ? 'Check the link you were given: the id must match exactly. A certificate cannot be verified without it.'
          : 'The certificate could not be checked just now. Try again in a minute.'}
      </p>
      <Link to="/">Go to the start page</Link>
    </section>
  );
}
