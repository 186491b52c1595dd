// Which passwords we accept: 12 to 128 characters and not a commonly used password (checked
// against the 49,000-entry list that zxcvbn-ts ships, also with digits or symbols stripped from
// the ends, so "password1234" is refused too). Server-only: the list is too large for the browser.
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const common = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (common.has(lower)) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  if (core.length >= 4 && core !== lower && common.has(core)) return true;
  // a single character or a two-character pattern repeated ("aaaaaaaaaaaa", "abababababab")
  return /^(.{1,2})\1+$/.test(lower);
}

/** A reason the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  if (isCommonPassword(password)) return 'This password is too common. Choose something less guessable, such as a few unrelated words.';
  return null;
}
