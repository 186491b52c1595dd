// A submitted exam: awaiting review, or the score, pass or fail, the breakdown by topic, critical
// errors, and the answers with feedback when the blueprint lets the learner see them.
import { Link } from '@remix-run/react';
import type { ItemReview as Review } from '~/domain/review';
import { ItemReview } from '~/components/quiz/item-review';

export interface ExamResultData {
  final: boolean;
  awaiting: number;
  percent: number | null;
  passed: boolean | null;
  passMark: number;
  autoSubmitted: boolean;
  topics: { topic: string; label: string; score: number; max: number; pending: number }[];
  critical: { number: number; topic: string }[];
  showAnswers: boolean;
  answersPolicy: 'never' | 'after-passing' | 'always';
  reviews: (Review & { caseTitle: string })[];
  policyLinks: { ref: string; href: string }[];
}

const points = (n: number) => Number(n.toFixed(2));

export function ExamResult({ title, result }: { attemptId: number; title: string; result: ExamResultData }) {
  return (
    <div className="space-y-5">
      <section className="rounded bg-white p-6 shadow" aria-labelledby="result-heading">
        <h1 id="result-heading" className="text-2xl font-bold">
          {!result.final
            ? 'Submitted: awaiting review'
            : result.passed
              ? `Passed with ${result.percent}%`
              : `Not passed: ${result.percent}% (the pass mark is ${result.passMark}%)`}
        </h1>
        <p className="mt-1 text-slate-700">{title}</p>
        {result.autoSubmitted ? <p className="mt-2">Time ran out, so the exam was submitted with the answers you had saved.</p> : null}
        {!result.final ? (
          <p className="mt-2" role="status">
            {result.awaiting} written {result.awaiting === 1 ? 'reply is' : 'replies are'} awaiting review by a trainer. Your result appears here when
            {result.awaiting === 1 ? ' it is' : ' they are'} graded.
          </p>
        ) : null}
        {result.final && result.passed ? (
          <p className="mt-2">
            You are certified for live chats. <Link to="/certificate">See your certificate</Link>
          </p>
        ) : null}
        {result.final && !result.passed ? (
          <p className="mt-2">
            <Link to="/exam">See when you can try again</Link>
          </p>
        ) : null}
      </section>

      {result.critical.length > 0 ? (
        <section className="rounded border-l-4 border-red-700 bg-red-50 p-4 text-red-900" aria-labelledby="critical-heading">
          <h2 id="critical-heading" className="font-semibold">Critical errors</h2>
          <p>A critical question answered unsafely fails the exam whatever the score.</p>
          <ul className="list-disc pl-6">
            {result.critical.map((c) => (
              <li key={c.number}>
                Question {c.number} ({c.topic})
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="rounded bg-white p-4 shadow" aria-labelledby="topics-heading">
        <h2 id="topics-heading" className="text-xl font-semibold">By topic</h2>
        <table className="mt-2 w-full text-left">
          <caption className="sr-only">Points by topic, weakest first</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-1">Topic</th>
              <th scope="col" className="py-1 text-right">Points</th>
              <th scope="col" className="py-1 text-right">Percent</th>
            </tr>
          </thead>
          <tbody>
            {result.topics.map((t) => (
              <tr key={t.topic} className="border-b border-slate-200 last:border-0">
                <th scope="row" className="py-1 font-normal">{t.label}</th>
                <td className="py-1 text-right">
                  {points(t.score)} / {t.max}
                  {t.pending > 0 ? ` (${t.pending} awaiting review)` : ''}
                </td>
                <td className="py-1 text-right">{t.pending > 0 ? '—' : `${t.max ? Math.round((100 * t.score) / t.max) : 0}%`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {result.showAnswers ? (
        <section className="space-y-4" aria-labelledby="answers-heading">
          <h2 id="answers-heading" className="text-xl font-semibold">Your answers</h2>
          {result.reviews.map((review, index) => (
            <ItemReview key={`${index}-${review.id}`} review={review} index={index} policyHref={(ref) => result.policyLinks.find((p) => p.ref === ref)?.href ?? null} />
          ))}
        </section>
      ) : result.final ? (
        <p className="text-slate-700">
          {result.answersPolicy === 'never'
            ? 'The correct answers of the certification exam are not shown, so the exam stays fair for everyone.'
            : 'The correct answers are shown once you have passed.'}
        </p>
      ) : null}
    </div>
  );
}
