import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { totpCode } from '@evidence-portal/core';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { repoRoot } from './local-portal.js';

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: { baseUrl: string; wsEndpoint: string; dataDir: string; logPath: string };
  }
}

export const e2e = () => inject('e2e');
export const screenshotDir = join(repoRoot, 'test-results', 'e2e');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The demo sign-ins, as `npm start` writes them to <data dir>/demo-credentials.json. */
export function demoUser(email: string): {
  email: string;
  password: string;
  organizationId: string;
  totpSecret?: string;
} {
  const file = JSON.parse(readFileSync(join(e2e().dataDir, 'demo-credentials.json'), 'utf8')) as {
    users: Array<{ email: string; password: string; organizationId: string; totpSecret?: string }>;
  };
  const user = file.users.find((u) => u.email === email);
  if (!user) throw new Error(`${email} is not in demo-credentials.json`);
  return user;
}

/**
 * A TOTP code no earlier sign-in of this run has used: the portal refuses a code of a step already used
 * (replay), and accepts one step ahead. Steps used are kept in the data dir, shared by the journey files.
 */
export async function freshTotp(secret: string): Promise<string> {
  const ledger = join(e2e().dataDir, 'e2e-totp-steps.json');
  const used = existsSync(ledger) ? (JSON.parse(readFileSync(ledger, 'utf8')) as Record<string, number>) : {};
  const step = () => Math.floor(Date.now() / 30_000);
  const wanted = Math.max(step(), (used[secret] ?? -1) + 1);
  // One step ahead is accepted; further ahead, wait for the clock to reach the step before it.
  while (wanted > step() + 1) await new Promise((next) => setTimeout(next, 500));
  used[secret] = wanted;
  writeFileSync(ledger, JSON.stringify(used));
  return totpCode(secret, new Date(wanted * 30_000 + 1_000));
}

/** Links the local mailer wrote to the local-only outbox (invitations, resets) for an address, newest last. */
export function mailedLinks(to: string): string[] {
  const outbox = join(e2e().dataDir, 'mail-outbox.jsonl');
  if (!existsSync(outbox)) return [];
  return readFileSync(outbox, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { to?: string; text?: string })
    .filter((entry) => entry.to === to)
    .flatMap((entry) => /https?:\/\/\S+/.exec(entry.text ?? '') ?? []);
}

let browser: Browser | undefined;
async function sharedBrowser(): Promise<Browser> {
  browser ??= await chromium.connect(e2e().wsEndpoint);
  return browser;
}

export interface Journey {
  page: Page;
  context: BrowserContext;
  /** axe-core on what is on screen now: no serious or critical violation. */
  checkA11y(screen: string): Promise<void>;
  screenshot(name: string, options?: { fullPage?: boolean }): Promise<void>;
  /** No uncaught error, no failed asset, no CSP violation, no console error but the API refusals provoked. */
  assertCleanConsole(): void;
  close(): Promise<void>;
}

export async function startJourney(): Promise<Journey> {
  const { baseUrl } = e2e();
  const context = await (await sharedBrowser()).newContext({
    baseURL: baseUrl,
    acceptDownloads: true,
    viewport: { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(20_000);
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const isApi = (url: string) => url.startsWith(`${baseUrl}/api/`);
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const url = message.location().url ?? '';
    // Chromium logs every refused API call ("Failed to load resource: 401"); those are answers the UI shows.
    if (message.text().startsWith('Failed to load resource') && isApi(url)) return;
    problems.push(`console error: ${message.text()} (${url})`);
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? '';
    // A download navigation ends the request on the page's side (the browser saves the file).
    if (isApi(request.url()) && failure === 'net::ERR_ABORTED') return;
    // The next page.goto cancels a favicon fetch still in flight on a loaded machine: nothing failed.
    if (new URL(request.url()).pathname === '/favicon.svg' && failure === 'net::ERR_ABORTED') return;
    problems.push(`failed request: ${request.url()} ${failure}`);
  });
  page.on('response', (response) => {
    if (!isApi(response.url()) && response.status() >= 400) {
      problems.push(`asset ${response.url()} answered ${response.status()}`);
    }
  });
  return {
    page,
    context,
    async checkA11y(screen) {
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<AxeResults> } })
          .axe;
        type AxeResults = {
          violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
        };
        const results = await axe.run(document, { resultTypes: ['violations'] });
        return results.violations
          .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
          .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      });
      expect(violations, `axe on ${screen}`).toEqual([]);
    },
    async screenshot(name, options = {}) {
      mkdirSync(screenshotDir, { recursive: true });
      // A modal dialog covers the viewport, so the viewport is the picture; otherwise the whole screen.
      const dialogOpen = (await page.locator('dialog[open]').count()) > 0;
      await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: options.fullPage ?? !dialogOpen });
    },
    assertCleanConsole() {
      expect(problems.join('\n'), 'browser console').toBe('');
    },
    async close() {
      const violations = await page
        .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
        .catch(() => []);
      await context.close();
      expect(violations, 'CSP violations').toEqual([]);
      expect(problems.join('\n'), 'browser console').toBe('');
    },
  };
}

/** Signs in through the sign-in page (password, then the TOTP step when the user has MFA). */
export async function signIn(page: Page, email: string, options: { expectTotp?: boolean } = {}): Promise<void> {
  const user = demoUser(email);
  await page.getByLabel('Organization ID').fill(user.organizationId);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (user.totpSecret || options.expectTotp) {
    const code = page.getByLabel('Authenticator code');
    await code.waitFor();
    await code.fill(await freshTotp(user.totpSecret ?? ''));
    await page.getByRole('button', { name: 'Sign in' }).click();
  }
  await page.getByTestId('whoami').waitFor();
}

/** A link of the console's navigation (not a same-named link in the page). */
export function consoleLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name, exact: true });
}

/** One bearer session per user and file: each TOTP sign-in spends a step of the user's codes. */
const apiTokens = new Map<string, string>();

async function apiSignIn(user: {
  email: string;
  password: string;
  organizationId: string;
  totpSecret?: string;
}): Promise<string> {
  const signedIn = await fetch(`${e2e().baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      organization: user.organizationId,
      email: user.email,
      password: user.password,
      ...(user.totpSecret ? { totp: await freshTotp(user.totpSecret) } : {}),
    }),
  });
  if (!signedIn.ok) throw new Error(`sign-in of ${user.email} failed: ${signedIn.status} ${await signedIn.text()}`);
  return ((await signedIn.json()) as { token: string }).token;
}

/** A JSON call to the API as a script would make it (bearer token): for setting the stage, never for what is tested. */
export async function apiAs(email: string) {
  const token = apiTokens.get(email) ?? (await apiSignIn(demoUser(email)));
  apiTokens.set(email, token);
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${e2e().baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
}
