// The server half of the set-password form: the same schema as the browser, plus the common-password list.
import { passwordProblem } from '~/domain/password-policy';
import { parseForm } from '~/forms/parse';
import { setPasswordSchema } from '~/forms/schemas';

export function parseNewPassword(formData: FormData): { password: string } | { errors: Partial<Record<string, string[]>> } {
  const parsed = parseForm(setPasswordSchema, formData);
  if (!parsed.success) return { errors: parsed.errors };
  const problem = passwordProblem(parsed.data.password);
  if (problem) return { errors: { password: [problem] } };
  return { password: parsed.data.password };
}
