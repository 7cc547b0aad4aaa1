/**
 * The console's first load and its landing screen, on the local demo stack in Chromium:
 *  - first-load JS: gzip bytes of the entry script and the modules index.html preloads (budget 250 KB);
 *  - navigation -> reports table painted: from the navigation's start (performance.timeOrigin) to the first
 *    frame after the table's rows are in the DOM, signed in, cold (empty cache) and warm (budget 1 s).
 * Baseline from the same run: the API's GET /api/reports alone, from the same machine.
 * `npx tsx bench/console-load.ts` (builds the console, starts its own server and data dir).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { chromiumArgs, chromiumPath } from '../test/e2e/support/chromium.js';
import { repoRoot, startLocalPortal } from '../test/e2e/support/local-portal.js';

const runs = 7;
const dist = join(repoRoot, 'web/dist');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

await build({ configFile: join(repoRoot, 'web/vite.config.ts'), logLevel: 'warn' });
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const firstLoad = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((match) => match[1] as string);
const gzipBytes = firstLoad.map((path) => gzipSync(readFileSync(join(dist, path)), { level: 9 }).length);
const totalKb = gzipBytes.reduce((a, b) => a + b, 0) / 1024;

const portal = await startLocalPortal();
const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
try {
  const credentials = JSON.parse(readFileSync(join(portal.dataDir, 'demo-credentials.json'), 'utf8')) as {
    users: Array<{ email: string; password: string }>;
  };
  const auditor = credentials.users.find((user) => user.email === 'auditor@example.com');
  const session = await fetch(`${portal.baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: auditor?.email, password: auditor?.password }),
  });
  const { token } = (await session.json()) as { token: string };

  const apiTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await (
      await fetch(`${portal.baseUrl}/api/reports?limit=25`, { headers: { authorization: `Bearer ${token}` } })
    ).json();
    apiTimes.push(performance.now() - started);
  }

  const measure = async (warm: boolean): Promise<number[]> => {
    const context = await browser.newContext({ baseURL: portal.baseUrl });
    // A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
    await context.addInitScript({
      content: `window.__painted = new Promise((resolve) => {
        const check = () => {
          if (!document.querySelector('[data-testid="reports-table"] tbody tr')) return false;
          requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now())));
          return true;
        };
        document.addEventListener('DOMContentLoaded', () => {
          if (check()) return;
          const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
          observer.observe(document.body, { childList: true, subtree: true });
        });
      });`,
    });
    const times: number[] = [];
    const page = await context.newPage();
    // Signed in the way a person is (the session cookie is HttpOnly: a script cannot set it).
    await page.goto('/');
    await page.getByLabel('Email').fill(auditor?.email ?? '');
    await page.getByLabel('Password', { exact: true }).fill(auditor?.password ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('reports-table').waitFor();
    const cdp = await context.newCDPSession(page);
    for (let i = 0; i < runs; i++) {
      if (!warm) await cdp.send('Network.clearBrowserCache');
      await page.goto('/reports');
      times.push(await page.evaluate(() => (window as unknown as { __painted: Promise<number> }).__painted));
    }
    await context.close();
    return times;
  };
  const cold = await measure(false);
  const warm = await measure(true);
  const api = median(apiTimes);
  console.log(
    `first-load JS: ${firstLoad.length} files, ${totalKb.toFixed(1)} KB gzip (budget 250 KB: ${((totalKb / 250) * 100).toFixed(0)}%)`,
  );
  for (const [path, bytes] of firstLoad.map((p, i) => [p, gzipBytes[i] ?? 0] as const)) {
    console.log(`  ${path}: ${(bytes / 1024).toFixed(1)} KB gzip`);
  }
  console.log(`GET /api/reports (baseline): median ${api.toFixed(1)} ms over ${runs}`);
  console.log(
    `navigation -> reports table painted, cold cache: median ${median(cold).toFixed(0)} ms (${(median(cold) / api).toFixed(1)}x the API call; budget 1000 ms)`,
  );
  console.log(
    `navigation -> reports table painted, warm cache: median ${median(warm).toFixed(0)} ms (${(median(warm) / api).toFixed(1)}x the API call; budget 1000 ms)`,
  );
} finally {
  await browser.close();
  await portal.stop();
}
