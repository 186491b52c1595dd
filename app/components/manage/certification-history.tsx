// Every certification the learner holds or held, with revocations, and the acts on them.
import { Link } from '@remix-run/react';
import { formatDateTime } from '~/domain/calendar';
import type { LearnerExamSituation } from '~/models/manage.server';
import { ActForm, sectionClass, type Acts } from './act-form';

const statusLabel = { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' } as const;

export function CertificationHistory({ certifications, learnerName, acts, timeZone }: { certifications: LearnerExamSituation['certifications']; learnerName: string; acts: Acts; timeZone: string }) {
  const when = (iso: string) => formatDateTime(iso, timeZone);
  return (
    <section aria-labelledby="certifications-heading" className={sectionClass}>
      <h2 id="certifications-heading" className="mb-2 text-xl font-semibold">Certifications</h2>
      {certifications.length === 0 ? (
        <p className="text-slate-700">Not certified yet.</p>
      ) : (
        <ul className="space-y-4">
          {certifications.map((c) => {
            const target = { certificationId: String(c.id) };
            return (
              <li key={c.id} className="rounded border border-slate-300 p-3">
                <p className="font-semibold">{c.queue} queue: {statusLabel[c.status]}</p>
                <p className="text-sm break-words text-slate-700">
                  Issued {when(c.issued_at)} · Expires {when(c.expires_at)} · Credential{' '}
                  <Link to={`/verify/${c.credential_id}`} className="font-mono">{c.credential_id}</Link>
                </p>
                {c.revoked_at ? <p className="text-sm">Revoked {when(c.revoked_at)}: {c.revoke_reason}</p> : null}
                {c.status === 'valid' ? (
                  <ActForm key={`revoke-${c.id}-${acts.formKey}`} intent="revoke" title="Revoke…" collapsed actionData={acts.mine('revoke', target)} button="Revoke the certification" danger
                    hidden={{ certificationId: c.id }} confirm={`Yes: ${learnerName} loses access to the ${c.queue} queue at once.`} />
                ) : c.status === 'revoked' ? (
                  <ActForm key={`reinstate-${c.id}-${acts.formKey}`} intent="reinstate" title="Reinstate…" collapsed actionData={acts.mine('reinstate', target)} button="Reinstate the certification"
                    hidden={{ certificationId: c.id }} />
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
