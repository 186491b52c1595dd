// What the HTTP layer promises on every page: security headers, refusal of cross-site writes,
// and a health check.
import { createUser, expect, signInAs, test } from './support/fixtures';

test('pages carry a nonce-based CSP and the other security headers', async ({ page }) => {
  const response = await page.goto('/login');
  const headers = response?.headers() ?? {};
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  // Remix's scripts run under the nonce: the page hydrates.
  await expect(page.locator('html[data-hydrated="true"]')).toHaveCount(1);
});

test('a cross-site form post is refused', async ({ request }) => {
  const response = await request.post('/login', {
    headers: { Origin: 'https://evil.example' },
    form: { email: 'a@b.c', password: 'x' },
  });
  expect(response.status()).toBe(403);
});

test('a signed-in learner cannot open the admin pages', async ({ page, context }) => {
  const learner = await createUser(['learner']);
  await signInAs(context, learner.id);
  const response = await page.goto('/admin/users');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
});

test('GET /healthz reports the database is reachable', async ({ request }) => {
  const response = await request.get('/healthz');
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});
