import { chromium } from 'playwright-core';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { chromiumArgs, chromiumPath } from './support/chromium.js';
import { repoRoot, startLocalPortal } from './support/local-portal.js';

/**
 * One built console, one real local server (fresh data dir, demo seed) and one Chromium for all journey
 * files; each file opens its own browser context (its own cookies). Stopped on every path.
 */
export default async function setup(project: TestProject) {
  await build({ configFile: `${repoRoot}/web/vite.config.ts`, logLevel: 'warn' });
  const portal = await startLocalPortal();
  let browser: Awaited<ReturnType<typeof chromium.launchServer>> | undefined;
  try {
    browser = await chromium.launchServer({ executablePath: chromiumPath, args: chromiumArgs });
  } catch (error) {
    await portal.stop();
    throw error;
  }
  project.provide('e2e', {
    baseUrl: portal.baseUrl,
    wsEndpoint: browser.wsEndpoint(),
    dataDir: portal.dataDir,
    logPath: portal.logPath,
  });
  return async () => {
    await browser?.close().catch(() => undefined);
    await portal.stop();
  };
}
