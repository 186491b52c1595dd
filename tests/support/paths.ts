import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
// FRONTLINE_TEST_TMP lets two test runs share a checkout without wiping each other's databases.
export const TMP = process.env.FRONTLINE_TEST_TMP ? path.resolve(process.env.FRONTLINE_TEST_TMP) : path.join(ROOT, 'tests', '.tmp');
/** A migrated database with the shipped content loaded, copied for each integration test file. */
export const BASE_DB = path.join(TMP, 'base.db');
export const CONTENT_DIR = path.join(ROOT, 'content');
