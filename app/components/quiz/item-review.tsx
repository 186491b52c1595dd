// Feedback on one submitted item: the learner's answer, the right one, why, and where it is written.
import type { ItemReview as Review } from '~/domain/review';

function Score({ review }: { review: Review }) {
  if (review.score === null) return <span className="text-sm text-slate-700">Not scored: compare your reply with the model reply.</span>;
  const full = review.score >= review.points;
  return (
    <span className={`text-sm font-semibold ${full ? 'text-green-800' : 'text-amber-800'}`}>
      {Number(review.score.toFixed(2))} of {review.points} {review.points === 1 ? 'point' : 'points'}
    </span>
  );
}

function Mark({ ok }: { ok: boolean }) {
  return <span aria-hidden="true" className={ok ? 'text-green-800' : 'text-red-800'}>{ok ? '✓' : '✗'}</span>;
}

export function ItemReview({ review, index, policyHref }: { review: Review; index: number; policyHref: (ref: string) => string | null }) {
  return (
    <article className="rounded bg-white p-4 shadow" aria-labelledby={`review-${review.id}`}>
      <h3 id={`review-${review.id}`} className="font-semibold">
        <span className="mr-1 text-slate-600">Q{index + 1}.</span>
        {review.prompt}
      </h3>
      <p className="mb-2"><Score review={review} /></p>
      {review.criticalFailure ? (
        <p className="mb-2 rounded border-l-4 border-red-700 bg-red-50 p-2 font-semibold text-red-900" role="alert">
          Critical error: in a certification exam this answer fails the exam whatever the score.
        </p>
      ) : null}
      {review.type === 'single' || review.type === 'multiple' ? (
        <ul className="space-y-2">
          {review.options.map((o) => (
            <li key={o.text} className={`rounded border p-2 ${o.correct ? 'border-green-700' : o.chosen ? 'border-red-700' : 'border-slate-200'}`}>
              <p>
                {o.chosen ? <Mark ok={o.correct} /> : null} {o.text}
                <span className="ml-2 text-sm text-slate-700">
                  {o.chosen ? '(your choice) ' : ''}
                  {o.correct ? '(correct)' : ''}
                  {o.unsafe ? '(unsafe)' : ''}
                </span>
              </p>
              <p className="text-sm text-slate-700">{o.feedback}</p>
            </li>
          ))}
        </ul>
      ) : null}
      {review.type === 'ordering' ? (
        <div className="grid gap-4 md:grid-cols-2">
          <div>
            <h4 className="font-medium">Your order</h4>
            {review.yourOrder ? <ol className="list-decimal pl-6">{review.yourOrder.map((s) => <li key={s}>{s}</li>)}</ol> : <p>Not answered.</p>}
          </div>
          <div>
            <h4 className="font-medium">The right order</h4>
            <ol className="list-decimal pl-6">{review.correctOrder.map((s) => <li key={s}>{s}</li>)}</ol>
          </div>
        </div>
      ) : null}
      {review.type === 'matching' ? (
        <ul className="space-y-2">
          {review.pairs.map((p) => (
            <li key={p.evidence} className="rounded border border-slate-200 p-2">
              <p>{p.evidence}</p>
              <p className="text-sm">
                <Mark ok={p.yourConclusion === p.conclusion} /> Your match: {p.yourConclusion ?? 'none'}
                {p.yourConclusion !== p.conclusion ? <span className="block">Shows: {p.conclusion}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {review.type === 'written' ? (
        <div className="space-y-2">
          <div>
            <h4 className="font-medium">Your reply</h4>
            <p className="whitespace-pre-wrap rounded bg-slate-100 p-2">{review.yourReply || '(empty)'}</p>
          </div>
          <div>
            <h4 className="font-medium">A model reply</h4>
            <p className="rounded bg-green-50 p-2">{review.modelReply}</p>
          </div>
          <div>
            <h4 className="font-medium">Check yourself against the rubric</h4>
            <ul className="list-disc pl-6 text-sm">
              {review.rubric.map((r) => (
                <li key={r.criterion}>
                  {r.criterion}: {r.levels.map((l) => `${l.points} — ${l.description}`).join('; ')}
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      {review.type === 'branching' ? (
        <ol className="space-y-2">
          {review.path.map((step, i) => (
            <li key={i} className="rounded border border-slate-200 p-2">
              <p className="text-sm text-slate-700">{step.prompt}</p>
              <p>
                <Mark ok={step.points === step.best} /> You: {step.choice}{' '}
                <span className="text-sm text-slate-700">({step.points} of {step.best} possible here{step.unsafe ? ', unsafe' : ''})</span>
              </p>
              <p className="text-sm text-slate-700">{step.feedback}</p>
            </li>
          ))}
        </ol>
      ) : null}
      <p className="mt-3 rounded bg-brand-50 p-2 text-sm">
        <strong>Why: </strong>
        {review.explanation}{' '}
        {review.policies.map((ref) => {
          const href = policyHref(ref);
          return href ? (
            <a key={ref} href={href} className="mr-1">§{ref}</a>
          ) : null;
        })}
      </p>
    </article>
  );
}
