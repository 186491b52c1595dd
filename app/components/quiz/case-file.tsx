// The case file: what an agent sees on taking the chat. Contains nothing about the answers.
import type { PublicCaseFile } from '~/domain/presentation';

const yuan = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY', currencyDisplay: 'symbol' });
const money = (amount: number) => yuan.format(amount).replace('CN¥', '¥');

const speaker = { customer: 'Customer', bot: 'Mira (bot)', agent: 'Agent' } as const;

export function CaseFile({ caseFile, policyLinks }: { caseFile: PublicCaseFile; policyLinks: { ref: string; title: string; href: string }[] }) {
  const { handoff, customer, order, timeline, chat } = caseFile;
  return (
    <div className="space-y-4">
      <section aria-labelledby="handoff-heading" className="rounded border-l-4 border-amber-500 bg-amber-50 p-4">
        <h3 id="handoff-heading" className="font-semibold">Hand-off note from Mira</h3>
        <p className="mt-1 text-sm text-slate-700">
          Intent: <code>{handoff.intent}</code> · Sentiment: {handoff.sentiment} · Verified: {handoff.verified ? 'yes' : 'no'} · {handoff.language}
        </p>
        <p className="mt-2">{handoff.note}</p>
      </section>
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-labelledby="customer-heading" className="rounded bg-white p-4 shadow">
          <h3 id="customer-heading" className="font-semibold">Customer</h3>
          <p>
            {customer.name} ({customer.role})
          </p>
          <p className="text-sm text-slate-700">{customer.mood}</p>
        </section>
        <section aria-labelledby="order-heading" className="rounded bg-white p-4 shadow">
          <h3 id="order-heading" className="font-semibold">
            Order {order.id} · {order.type === 'fbm' ? 'Fulfilled by Marketlane' : order.type === 'presale' ? 'Pre-sale' : 'Standard'}
          </h3>
          <p className="text-sm">{order.item}</p>
          <table className="mt-2 w-full text-sm">
            <caption className="sr-only">Order lines and payments</caption>
            <tbody>
              {order.lines.map((line) => (
                <tr key={line.label} className="border-t border-slate-200">
                  <th scope="row" className="py-1 text-left font-normal">{line.label}</th>
                  <td className="py-1 text-right tabular-nums">{money(line.amount)}</td>
                </tr>
              ))}
              {order.payments.map((payment) => (
                <tr key={payment.method} className="border-t border-slate-200 text-slate-700">
                  <th scope="row" className="py-1 text-left font-normal">
                    Paid: {payment.method}
                    {payment.status ? ` (${payment.status})` : ''}
                  </th>
                  <td className="py-1 text-right tabular-nums">{money(payment.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </div>
      <section aria-labelledby="timeline-heading" className="rounded bg-white p-4 shadow">
        <h3 id="timeline-heading" className="font-semibold">Timeline</h3>
        <ol className="mt-2 space-y-1 text-sm">
          {timeline.map((event) => (
            <li key={`${event.at}-${event.event}`} className="grid grid-cols-[8.5rem_1fr] gap-2">
              <time className="tabular-nums text-slate-700">{event.at}</time>
              <span>
                {event.event}
                {event.detail ? <span className="block text-slate-700">{event.detail}</span> : null}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section aria-labelledby="chat-heading" className="rounded bg-white p-4 shadow">
        <h3 id="chat-heading" className="font-semibold">The chat so far</h3>
        <ul className="mt-2 space-y-2">
          {chat.map((line, i) => (
            <li key={i} className={`rounded p-2 ${line.from === 'customer' ? 'bg-slate-100' : 'bg-brand-50'}`}>
              <span className="text-sm font-semibold">
                {speaker[line.from]}
                {line.at ? ` · ${line.at}` : ''}
              </span>
              <p>{line.text}</p>
            </li>
          ))}
        </ul>
      </section>
      {policyLinks.length > 0 ? (
        <p className="text-sm">
          Handbook:{' '}
          {policyLinks.map((p, i) => (
            <span key={p.ref}>
              {i > 0 ? ', ' : ''}
              <a href={p.href} target="_blank" rel="noreferrer">§{p.ref} {p.title}</a>
            </span>
          ))}
        </p>
      ) : null}
    </div>
  );
}
