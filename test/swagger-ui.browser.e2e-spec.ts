import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import playwright from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { TodoEntity } from '../src/todos/todo.entity.js';
import { freePort } from './support/free-port.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * A person's path through Swagger UI in a real Chromium: open /docs, click
 * Authorize, sign in through the provider's popup, "Try it out" on
 * POST /api/todo-demo, see 200. Debian's chromium only; playwright-core never
 * downloads a browser.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = resolve('test-artifacts');
const CLIENT_ID = 'demo-gpt';
const CLIENT_SECRET = 'browser-test-client-secret';
const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'browser-test-password';

/** Why Chromium cannot run at all on this machine, or undefined when it can. */
function chromiumUnavailable(): string | undefined {
  try {
    execFileSync(CHROMIUM, ['--version'], { stdio: 'pipe', timeout: 30_000 });
    return undefined;
  } catch (error) {
    return `${CHROMIUM} cannot run (${(error as Error).message.split('\n')[0]}); install it with: apt-get install -y chromium`;
  }
}

const unavailable = chromiumUnavailable();

if (unavailable) {
  console.warn(`\n*** SKIPPING the Swagger UI browser test: ${unavailable} ***\n`);
  describe('Swagger UI in Chromium', () => {
    it.skip(`SKIPPED LOUDLY: Chromium cannot run here: ${unavailable}`, () => undefined);
  });
} else {
  describe('Swagger UI in Chromium', () => {
    let t: TestApp;
    let context: BrowserContext;
    let userDataDir: string;
    let shots: string;

    beforeAll(async () => {
      // The app must listen where PUBLIC_URL says: the provider redirects the popup there.
      const port = await freePort();
      t = await startTestApp({
        env: {
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          OAUTH_CLIENT_ID: CLIENT_ID,
          OAUTH_CLIENT_SECRET: CLIENT_SECRET,
          DEMO_USER_EMAIL: DEMO_EMAIL,
          DEMO_USER_PASSWORD: DEMO_PASSWORD,
        },
      });
      shots = join(ARTIFACTS, `swagger-ui-${t.config.database.type}`);
      mkdirSync(shots, { recursive: true });
      userDataDir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
      context = await playwright.chromium.launchPersistentContext(userDataDir, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: 1280, height: 1000 },
      });
    });
    afterAll(async () => {
      await context?.close();
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
      await t?.close();
    });

    async function shot(page: Page, name: string, fullPage = true): Promise<void> {
      await page.screenshot({ path: join(shots, `${name}.png`), fullPage });
    }

    it('signs in through the Authorize popup, then "Try it out" on POST /api/todo-demo answers 200', async () => {
      const page = context.pages()[0] ?? (await context.newPage());
      try {
        await signInAndTryItOut(page);
      } catch (error) {
        // The state the browser was in when it failed is the first thing to look at.
        await shot(page, 'failure').catch(() => undefined);
        throw error;
      }
    });

    it('switches to the document for people from the definition menu, admin API included', async () => {
      const page = await context.newPage();
      await page.goto(`${t.url}/docs`);
      await page.locator('#operations-todos-createTodoDemo').waitFor();
      await expect(page.locator('[id^="operations-admin-"]').count()).resolves.toBe(0);
      await page.locator('.topbar select').selectOption({ label: 'Todo API and operator API' });
      await page.locator('[id^="operations-admin-"]').first().waitFor();
      await expect(page.locator('.topbar select').inputValue()).resolves.toBe('/openapi-full.json');
      await shot(page, '6-full-document');
      await page.close();
    });

    async function signInAndTryItOut(page: Page): Promise<void> {
      const outside: string[] = [];
      // A CSP violation or a script error shows up here before it shows up as a broken page.
      const consoleErrors: string[] = [];
      context.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${message.page()?.url()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`${page.url()}: ${error.message}`));
      // Everything the page loads comes from the app itself: no CDN, no validator badge.
      context.on('request', (req) => {
        if (!req.url().startsWith(t.url) && !req.url().startsWith('data:')) outside.push(req.url());
      });

      await page.goto(`${t.url}/docs`);
      await page.locator('#operations-todos-createTodoDemo').waitFor();
      await shot(page, '1-docs');

      await page.locator('.auth-wrapper .btn.authorize').click();
      const dialog = page.locator('.dialog-ux .modal-ux');
      await dialog.waitFor();
      // Preset from initOAuth: the client id is filled in; the secret never is, it is typed by the person.
      await expect(dialog.locator('[data-name="clientId"]').inputValue()).resolves.toBe(CLIENT_ID);
      await expect(dialog.locator('[data-name="clientSecret"]').inputValue()).resolves.toBe('');
      await dialog.locator('[data-name="clientSecret"]').fill(CLIENT_SECRET);
      await shot(page, '2-authorize-dialog');

      const [popup] = await Promise.all([context.waitForEvent('page'), dialog.locator('button.authorize').first().click()]);
      await popup.waitForLoadState();
      const authorizeUrl = new URL(popup.url());
      expect(authorizeUrl.pathname).toBe('/api/oauth2/authorize');
      expect(authorizeUrl.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(`${t.url}/docs/oauth2-redirect.html`);
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      await popup.locator('#signin-email').fill(DEMO_EMAIL);
      await popup.locator('#signin-password').fill(DEMO_PASSWORD);
      await popup.screenshot({ path: join(shots, '3-sign-in-popup.png'), fullPage: true });

      const tokenResponse = page.waitForResponse((res) => res.url() === `${t.url}/api/oauth2/token`);
      await Promise.all([popup.waitForEvent('close'), popup.locator('button[type="submit"]').first().click()]);
      expect((await tokenResponse).status()).toBe(200);
      // Swagger UI swaps its Authorize button for Logout once it holds a token.
      await dialog.locator('button', { hasText: 'Logout' }).waitFor();
      await expect(dialog.locator('h6', { hasText: 'Authorized' }).count()).resolves.toBe(1);
      await shot(page, '4-authorized');
      await dialog.locator('button.btn-done').first().click();

      const operation = page.locator('#operations-todos-createTodoDemo');
      await operation.locator('.opblock-summary').first().click();
      await operation.locator('button.try-out__btn').click();
      const title = `Written from Swagger UI ${Date.now()}`;
      await operation
        .locator('textarea.body-param__text')
        .fill(JSON.stringify({ title, description: 'typed in a real browser', status: 'pending' }));
      const apiResponse = page.waitForResponse((res) => res.url() === `${t.url}/api/todo-demo`);
      await operation.locator('button.execute').click();
      const response = await apiResponse;
      expect(response.status()).toBe(200);
      expect(response.request().headers().authorization).toMatch(/^Bearer \S+$/);
      // What the person sees: the live response row of the operation, status 200.
      const shownStatus = operation.locator('.live-responses-table tbody td.response-col_status').first();
      await shownStatus.waitFor();
      await expect(shownStatus.innerText()).resolves.toMatch(/^200\b/);
      await operation.locator('.live-responses-table').scrollIntoViewIfNeeded();
      await shot(page, '5-try-it-out-200', false);

      // The todo really exists, owned by the demo user who signed in.
      const body = (await response.json()) as { id: string; title: string; userId: string };
      expect(body.title).toBe(title);
      const stored = await t.dataSource.getRepository(TodoEntity).findOneBy({ id: body.id });
      expect(stored).toMatchObject({ title, userId: body.userId });
      expect(outside).toEqual([]);
      expect(consoleErrors).toEqual([]);
    }
  });
}
