// Fields of the cohort forms that admins (/admin/cohorts) and managers (/manage/cohorts) share.
import type { UseFormRegisterReturn } from 'react-hook-form';
import { ErrorList } from '~/components/forms';

/** Checkboxes for the people with the manager role, or a note when there is none yet. */
export function ManagerChoices({ managers, field, errors }: { managers: readonly { id: number; name: string }[]; field: UseFormRegisterReturn; errors?: readonly string[] | null }) {
  return (
    <fieldset className="mb-4">
      <legend className="mb-1 font-medium">Managers</legend>
      {managers.length === 0 ? (
        <p className="text-sm text-slate-700">No one holds the manager role yet; you can add managers later.</p>
      ) : (
        managers.map((m) => (
          <label key={m.id} className="mr-4 inline-flex items-center gap-1">
            <input type="checkbox" value={m.id} {...field} /> {m.name}
          </label>
        ))
      )}
      <ErrorList errors={errors} />
    </fieldset>
  );
}
