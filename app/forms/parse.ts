// Parsing submitted forms with the same zod schema the browser validates with.
import type { z } from 'zod';

export type FormResult<T> =
  | { success: true; data: T }
  | { success: false; errors: Partial<Record<string, string[]>>; formErrors: string[] };

/** FormData → object; repeated names (checkbox groups) become arrays when the schema wants one. */
export function formDataToObject(formData: FormData, arrayFields: readonly string[] = []): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    const values = formData.getAll(key).filter((v): v is string => typeof v === 'string');
    result[key] = arrayFields.includes(key) ? values : values[0];
  }
  for (const key of arrayFields) result[key] ??= [];
  return result;
}

export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
  arrayFields: readonly string[] = [],
): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(formDataToObject(formData, arrayFields));
  if (parsed.success) return { success: true, data: parsed.data };
  const errors: Partial<Record<string, string[]>> = {};
  const formErrors: string[] = [];
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!key) formErrors.push(issue.message);
    else (errors[key] ??= []).push(issue.message);
  }
  return { success: false, errors, formErrors };
}

/** The values to put back into a rejected form: everything typed except secrets. */
export function keptValues(formData: FormData, secrets: readonly string[] = ['password', 'confirmPassword']) {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === 'string' && !secrets.includes(key) && key !== 'intent') values[key] = value;
  }
  return values;
}
