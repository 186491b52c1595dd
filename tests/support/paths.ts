import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TMP = path.join(ROOT, 'tests', '.tmp');
/** A migrated database with the shipped content loaded, copied for each integration test file. */
export const BASE_DB = path.join(TMP, 'base.db');
export const CONTENT_DIR = path.join(ROOT, 'content');
