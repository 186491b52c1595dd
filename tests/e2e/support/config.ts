import path from 'node:path';

export const E2E_SECRET = 'e2e-session-secret-0123456789abcdef0123';
export const FRESH_PORT = 3311;
export const MAIN_PORT = 3312;
export const FRESH_URL = `http://127.0.0.1:${FRESH_PORT}`;
export const MAIN_DB = path.resolve('tests/.tmp/e2e-main/frontline.db');
export const FRESH_DB = path.resolve('tests/.tmp/e2e-fresh/frontline.db');
