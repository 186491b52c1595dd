import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX, PASSWORD_MIN, isCommonPassword, passwordProblem } from '~/domain/password-policy';

const PASSPHRASE = 'lantern orbit pickle meadow';

describe('passwordProblem: length', () => {
  it('has bounds of 12 and 128 characters', () => {
    expect(PASSWORD_MIN).toBe(12);
    expect(PASSWORD_MAX).toBe(128);
  });

  it('refuses 11 characters and accepts 12', () => {
    expect(passwordProblem('Vq7#mLp2xR9')).toBe('Use at least 12 characters.');
    expect(passwordProblem('Vq7#mLp2xR9w')).toBeNull();
  });

  it('refuses an empty password', () => {
    expect(passwordProblem('')).toBe('Use at least 12 characters.');
  });

  it('accepts 128 characters and refuses 129', () => {
    const long = `${PASSPHRASE} `.repeat(10).slice(0, 128);
    expect(long).toHaveLength(128);
    expect(passwordProblem(long)).toBeNull();
    expect(passwordProblem(`${long}x`)).toBe('Use at most 128 characters.');
    expect(passwordProblem('x'.repeat(10_000))).toBe('Use at most 128 characters.');
  });
});

describe('passwordProblem: common passwords', () => {
  it.each(['qwerty123456', 'password1234', '123456789012', 'aaaaaaaaaaaa'])('refuses %s', (password) => {
    expect(passwordProblem(password)).toMatch(/too common/);
  });

  it('ignores case', () => {
    expect(passwordProblem('QWERTY123456')).toMatch(/too common/);
    expect(passwordProblem('PassWord1234')).toMatch(/too common/);
  });

  it('refuses a common password padded with digits or symbols to reach the length', () => {
    expect(passwordProblem('letmein2026!!')).toMatch(/too common/);
    expect(passwordProblem('!!!iloveyou!!!')).toMatch(/too common/);
    expect(passwordProblem('2026trustno1')).toMatch(/too common/);
  });

  it('refuses a character or a pair of characters repeated', () => {
    expect(isCommonPassword('zzzzzzzzzzzzzzzz')).toBe(true);
    expect(isCommonPassword('abababababab')).toBe(true);
    expect(isCommonPassword('!!!!!!!!!!!!')).toBe(true);
    expect(passwordProblem('x9x9x9x9x9x9')).toMatch(/too common/);
  });

  it('checks length before commonness, so a short common password gets the length message', () => {
    expect(passwordProblem('password')).toBe('Use at least 12 characters.');
  });
});

describe('passwordProblem: good passwords', () => {
  it.each([PASSPHRASE, 'Correct-Stapler-Harbour-42', 'my cat eats 3 olives at noon', 'Vq7#mLp2xR9w', 'ünïcødé pässwörd 🙂'])('accepts %j', (password) => {
    expect(passwordProblem(password)).toBeNull();
    expect(isCommonPassword(password)).toBe(false);
  });

  it('accepts a passphrase that merely contains a common word', () => {
    expect(passwordProblem('password for the staff kitchen')).toBeNull();
    expect(passwordProblem('qwerty keyboards are noisy')).toBeNull();
  });
});
