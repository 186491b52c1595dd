// Browser tests against production builds of Frontline (npm run test:e2e builds first).
// Two servers: "fresh" starts with an empty database, for the first-run story; "main" is shared
// by the other tests, which create their users and sessions directly in its database.
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { E2E_SECRET, FRESH_DB, FRESH_PORT, MAIN_DB, MAIN_PORT } from './tests/e2e/support/config';

// The test process signs session cookies for the main server, so it needs the same secret.
process.env.SESSION_SECRET = E2E_SECRET;

function server(port: number, dbFile: string) {
  return {
    command: `rm -rf ${path.dirname(dbFile)} && node_modules/.bin/tsx app/start.server.ts`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${dbFile}`,
      SESSION_SECRET: E2E_SECRET,
      FRONTLINE_SKIP_BUILD: '1',
      NODE_ENV: 'production',
    },
  };
}

export default defineConfig({
  testDir: 'tests/e2e',
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${MAIN_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } },
  ],
  webServer: [server(FRESH_PORT, FRESH_DB), server(MAIN_PORT, MAIN_DB)],
});
