// The learner's own certificate, ready to print, with the link anyone can use to verify it, and the
// history of earlier certifications.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import type { RouteHandle } from '~/root';
import { requireRole } from '~/auth.server';
import { appOrigin, findCredential, verificationUrl } from '~/credential.server';
import { db } from '~/db.server';
import { formatDate } from '~/domain/calendar';
import { certificationStatus } from '~/domain/certification';
import { listCertifications, toDates } from '~/models/certification.server';
import { getExam } from '~/models/exam.server';

const day = (iso: string) => formatDate(iso.slice(0, 10));

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, 'learner');
  const now = new Date();
  const origin = appOrigin(request);
  // Only the signed-in learner's rows: the user id comes from the session, never from the URL.
  const certifications = await listCertifications(db(), { userId: user.id });
  const history = await Promise.all(
    certifications.map(async (c) => ({
      credentialId: c.credential_id,
      title: (await getExam(db(), { examId: c.exam_id }))?.title ?? c.queue,
      queue: c.queue,
      issuedOn: day(c.issued_at),
      expiresOn: day(c.expires_at),
      status: certificationStatus(toDates(c), now),
    })),
  );
  // The certificate to show: the newest that is in force, else the newest of all.
  const chosen = history.find((c) => c.status === 'valid') ?? history[0];
  const found = chosen ? await findCredential(db(), { credentialId: chosen.credentialId, appOrigin: origin, now }) : null;
  const current =
    found && chosen
      ? {
          ...chosen,
          holderName: found.holderName,
          trackTitle: found.trackTitle,
          issuedAt: found.certification.issued_at,
          expiresAt: found.certification.expires_at,
          verificationUrl: verificationUrl(origin, chosen.credentialId),
        }
      : null;
  return { current, history };
}

const STATUS = {
  valid: { label: 'Valid', className: 'bg-green-100 text-green-900' },
  expired: { label: 'Expired', className: 'bg-amber-100 text-amber-900' },
  revoked: { label: 'Revoked', className: 'bg-red-100 text-red-900' },
} as const;

function StatusBadge({ status }: { status: keyof typeof STATUS }) {
  const { label, className } = STATUS[status];
  return <span className={`rounded px-2 py-0.5 text-sm font-semibold print:border print:border-current ${className}`}>{label}</span>;
}

// Plain HTML: printing is the browser's own command (see RouteHandle in root.tsx).
export const handle: RouteHandle = { hydrate: false };

export default function CertificatePage() {
  const { current, history } = useLoaderData<typeof loader>();
  if (!current) {
    return (
      <section className="rounded bg-white p-6 shadow">
        <h1 className="mb-2 text-2xl font-bold">Your certificate</h1>
        <p className="mb-4">You have no certification yet. Pass the certification exam to earn one; it appears here, ready to print and share.</p>
        <Link to="/exam" className="font-semibold">
          Go to the certification exam
        </Link>
      </section>
    );
  }
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold print:sr-only">Your certificate</h1>
      <p className="rounded bg-brand-50 p-3 text-sm text-slate-800 print:hidden">
        To print it or save it as a PDF, use your browser&rsquo;s Print command (Ctrl+P, or ⌘P on a Mac). Only the certificate is printed.
      </p>
      <article
        aria-labelledby="certificate-heading"
        className="rounded border-4 border-double border-brand-700 bg-white p-6 text-center shadow sm:p-10 print:border-slate-900 print:shadow-none"
      >
        <p className="text-sm tracking-widest text-slate-700 uppercase">Frontline · Certificate</p>
        <h2 id="certificate-heading" className="mt-4 text-3xl font-bold sm:text-4xl">
          {current.holderName}
        </h2>
        <p className="mt-4 text-lg">is certified to take live chats on the</p>
        <p className="mt-1 text-2xl font-semibold">{current.queue} queue</p>
        <p className="mt-2 text-slate-700">having completed the {current.trackTitle} track and passed its certification exam.</p>
        <dl className="mx-auto mt-8 grid max-w-md grid-cols-[max-content_1fr] gap-x-4 gap-y-2 text-left">
          <dt className="font-semibold text-slate-700">Issued</dt>
          <dd>
            <time dateTime={current.issuedAt}>{current.issuedOn}</time>
          </dd>
          <dt className="font-semibold text-slate-700">Expires</dt>
          <dd>
            <time dateTime={current.expiresAt}>{current.expiresOn}</time>
          </dd>
          <dt className="font-semibold text-slate-700">Status</dt>
          <dd>
            <StatusBadge status={current.status} />
          </dd>
          <dt className="font-semibold text-slate-700">Credential id</dt>
          <dd className="font-mono text-sm break-all">{current.credentialId}</dd>
        </dl>
        <p className="mt-8 text-sm text-slate-700">
          Verify this certificate at{' '}
          <a href={current.verificationUrl} className="break-all">
            {current.verificationUrl}
          </a>
        </p>
      </article>
      {history.length > 1 ? (
        <section aria-labelledby="history-heading" className="rounded bg-white p-6 shadow print:hidden">
          <h2 id="history-heading" className="mb-2 text-xl font-semibold">
            All your certifications
          </h2>
          <ul>
            {history.map((c) => (
              <li key={c.credentialId} className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 py-2 last:border-0">
                <span>
                  <a href={`/verify/${c.credentialId}`}>{c.title}</a>
                  <span className="ml-2 text-sm text-slate-700">
                    {c.issuedOn} – {c.expiresOn}
                  </span>
                </span>
                <StatusBadge status={c.status} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: 'Your certificate · Frontline' }];
