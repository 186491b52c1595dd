// One act of a manager on a learner (/manage/learners/:userId): a plain form with a reason (kept in
// the audit trail), the act's own fields, and a ticked confirmation for destructive acts. Works
// without JavaScript; after an error it opens again with what was typed and the messages beside the fields.
import { Form } from '@remix-run/react';
import type { ReactNode } from 'react';
import { ErrorList, Field, SubmitButton } from '~/components/forms';
import type { ManageIntent } from '~/forms/manage';

export type ActionData = { intent: ManageIntent | null; errors: Partial<Record<string, string[]>>; values: Record<string, string> };

/** What every act form needs from the page: the last action's answer and a key that empties forms after a success. */
export interface Acts {
  /** The action's answer if it was for this form (same intent, same target). */
  mine: (intent: ManageIntent, target?: Record<string, string>) => ActionData | undefined;
  /** Changes after each act, so the forms start empty again. */
  formKey: string;
}

export function actsFor(actionData: ActionData | undefined, formKey: string): Acts {
  return {
    formKey,
    mine: (intent, target) =>
      actionData?.intent === intent && Object.entries(target ?? {}).every(([name, value]) => actionData.values[name] === value) ? actionData : undefined,
  };
}

export const sectionClass = 'rounded bg-white p-5 shadow';
const dangerButton = 'rounded bg-red-800 px-3 py-2 font-semibold text-white hover:bg-red-900 disabled:opacity-70';
const plainButton = 'rounded bg-brand-700 px-3 py-2 font-semibold text-white hover:bg-brand-800 disabled:opacity-70';

export function ActForm(props: {
  intent: ManageIntent;
  title: string;
  button: string;
  actionData: ActionData | undefined;
  hidden?: Record<string, number | string>;
  /** The sentence beside the confirmation checkbox of a destructive act. */
  confirm?: string;
  danger?: boolean;
  /** Shown as a disclosure (for acts listed next to each item). */
  collapsed?: boolean;
  description?: ReactNode;
  children?: ReactNode;
}) {
  const { intent, actionData } = props;
  const errors = actionData?.errors;
  const confirmErrorId = ['act', intent, ...Object.values(props.hidden ?? {}), 'confirm-error'].join('-');
  const body = (
    <Form method="post" className={`rounded border p-3 ${props.danger ? 'border-red-300 bg-red-50' : 'border-slate-300'}`}>
      {props.collapsed ? null : <h3 className="mb-2 font-semibold">{props.title}</h3>}
      {props.description ? <div className="mb-3 text-sm text-slate-700">{props.description}</div> : null}
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      <Field label="Reason (kept in the audit trail)" name="reason" required minLength={5} maxLength={500} defaultValue={actionData?.values.reason ?? ''} errors={errors?.reason} />
      {props.confirm ? (
        <div className="mb-4">
          <label className="inline-flex items-start gap-2">
            <input
              type="checkbox"
              name="confirm"
              required
              defaultChecked={actionData?.values.confirm === 'on'}
              aria-invalid={errors?.confirm ? true : undefined}
              aria-describedby={errors?.confirm ? confirmErrorId : undefined}
              className="mt-1"
            />
            <span>{props.confirm}</span>
          </label>
          <ErrorList id={confirmErrorId} errors={errors?.confirm} />
        </div>
      ) : null}
      <SubmitButton name="intent" value={intent} className={props.danger ? dangerButton : plainButton}>
        {props.button}
      </SubmitButton>
    </Form>
  );
  if (!props.collapsed) return body;
  return (
    <details className="mt-2" open={actionData !== undefined}>
      <summary className={`cursor-pointer font-semibold ${props.danger ? 'text-red-800' : 'text-brand-700'}`}>{props.title}</summary>
      <div className="mt-2">{body}</div>
    </details>
  );
}

/** A percentage of a score, or a dash while there is none. */
export function percent(score: number | null, max: number | null): string {
  return score !== null && max ? `${Math.round((100 * score) / max)}%` : '—';
}
