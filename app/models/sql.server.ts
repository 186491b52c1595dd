import { sql } from 'kysely';

// Small helpers shared by the models, so conversions live in one place.

export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function parseJsonArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

/** Booleans are stored as 0/1 integers (portable to PostgreSQL smallint). */
export const toFlag = (value: boolean): 0 | 1 => (value ? 1 : 0);
export const fromFlag = (value: number | null | undefined): boolean => value === 1;

/** Escape %, _ and \ so user input is matched literally in a LIKE pattern (with ESCAPE '\'). */
function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Case-insensitive "column contains term", portable across SQLite and PostgreSQL. */
export function containsText(column: string, term: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${likePattern(term.toLowerCase())} escape '\\'`;
}
