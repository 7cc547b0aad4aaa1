import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, type Journey, signIn, startJourney } from './support/journey.js';

/**
 * Opens a screen and waits until it has its heading and nothing is loading any more. Within the signed-in app
 * it navigates as a link does (history, no reload), which is how people move between screens.
 */
async function settled(page: Page, path: string, inApp = false): Promise<string> {
  if (inApp) {
    await page.evaluate((to) => {
      window.history.pushState(null, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  } else {
    await page.goto(path);
  }
  await expect.poll(() => new URL(page.url()).pathname + new URL(page.url()).search).toBe(path.split('#')[0]);
  const heading = page.locator('#page-title');
  await heading.waitFor();
  await expect.poll(() => page.locator('.state-loading').count(), { timeout: 20_000 }).toBe(0);
  return heading.innerText();
}

/**
 * Every screen of the console, as the people who use it: each renders (never blank), passes axe with no
 * serious or critical violation, and leaves the console clean. Screenshots land in test-results/e2e.
 */
describe('every screen', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('signed out: sign-in, forgotten password, invitation and reset links', async () => {
    const { page } = journey;
    const screens: Array<[string, string]> = [
      ['/', 'Sign in'],
      ['/forgot-password', 'Forgot your password?'],
      ['/invitation#token=not-a-real-token', 'Accept your invitation'],
      ['/reset-password', 'Reset your password'],
    ];
    for (const [path, title] of screens) {
      expect(await settled(page, path)).toBe(title);
      await journey.checkA11y(path);
    }
    await settled(page, '/invitation#token=not-a-real-token');
    await page.getByLabel('New password', { exact: true }).fill('Juniper-Harbor-Lantern-77');
    await page.getByLabel('Repeat the new password').fill('Juniper-Harbor-Lantern-77');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toMatch(/not shared with your organization|not found|expired/i);
  });

  it('a first sign-in asks for a new password', async () => {
    const { page } = journey;
    await (await apiAs('admin@example.com'))('POST', '/api/org/users', {
      email: 'dana@example.com',
      displayName: 'Dana Newcomer',
      accountId: '222222222222',
      password: 'Initial-Lantern-Quartz-31',
    });
    await settled(page, '/');
    await page.getByLabel('Organization ID').fill('o-examplecorp');
    await page.getByLabel('Email').fill('dana@example.com');
    await page.getByLabel('Password', { exact: true }).fill('Initial-Lantern-Quartz-31');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await journey.checkA11y('first sign-in');
    await journey.screenshot('first-sign-in');
    await page.getByLabel('New password', { exact: true }).fill('Meadow-Copper-Orbit-88');
    await page.getByLabel('Repeat the new password').fill('Meadow-Copper-Orbit-88');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByTestId('whoami').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
  });

  it('as the admin: every screen of the console', async () => {
    const { page } = journey;
    await settled(page, '/');
    await signIn(page, 'admin@example.com');
    const reports = await (await apiAs('admin@example.com'))<{ items: Array<{ id: string; name: string }> }>(
      'GET',
      '/api/reports?q=SOC%202',
    );
    const report = reports.items[0]?.id ?? '';
    const screens: Array<[string, string]> = [
      ['/reports', 'reports'],
      [`/reports/${report}`, 'report-detail'],
      ['/downloads', 'downloads'],
      ['/downloads/trace', 'trace'],
      ['/agreements', 'agreements-list'],
      ['/agreements/agr-breach-notification', 'agreement'],
      ['/coverage', 'coverage'],
      ['/ledger', 'ledger'],
      ['/org', 'org-tree'],
      ['/org/users', 'users'],
      ['/org/groups', 'groups'],
      ['/org/roles', 'roles'],
      ['/org/policies?policy=OrganizationAdmin', 'policies'],
      ['/org/attachments', 'attachments'],
      ['/org/guardrails', 'guardrails'],
      ['/org/credential-report', 'credential-report'],
      ['/org/access-analysis?action=portal:AcceptAgreement&resource=*', 'access-analysis'],
      ['/org/simulator', 'simulator'],
      ['/notifications', 'notifications'],
      ['/notifications/subscriptions', 'subscriptions'],
      ['/notifications/webhooks', 'webhooks'],
      ['/evidence', 'evidence'],
      ['/evidence/new', 'evidence-new'],
      ['/evidence/keys', 'evidence-keys'],
      ['/inquiries', 'inquiries'],
      ['/switch-role', 'switch-role'],
      ['/security', 'security'],
      ['/no-such-screen', 'not-found'],
    ];
    for (const [path, name] of screens) {
      const title = await settled(page, path, true);
      expect(title, path).not.toBe('');
      expect(await page.getByTestId('not-allowed').count(), `${path} is allowed for the admin`).toBe(0);
      await journey.checkA11y(path);
      await journey.screenshot(`screen-${name}`, { fullPage: false });
    }
    await settled(page, '/ledger', true);
    await page.getByRole('button', { name: 'Verify the ledger' }).click();
    await expect.poll(() => page.getByTestId('verify-result').innerText()).toMatch(/Intact\. All \d+ entries/);
    await journey.checkA11y('ledger verified');
    await journey.screenshot('ledger-verified');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
  });

  it('as the auditor: switching to a role shows in who-am-I', async () => {
    const { page } = journey;
    await signIn(page, 'auditor@example.com');
    await settled(page, '/switch-role');
    await page.getByRole('button', { name: 'Switch to ComplianceOfficer' }).click();
    await page.getByTestId('reports-table').waitFor();
    await expect.poll(() => page.getByTestId('whoami-role').innerText()).toBe('ComplianceOfficer');
    await journey.screenshot('role-session');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
  });

  it('as the publisher: the publishing screens', async () => {
    const { page } = journey;
    await signIn(page, 'publisher@example.net');
    await settled(page, '/publishing');
    await journey.checkA11y('publishing');
    const link = page.getByRole('link', { name: /^Upload a new version of/ }).first();
    await link.click();
    await page.getByRole('heading', { name: 'Upload a new version' }).waitFor();
    await expect.poll(() => page.locator('.state-loading').count()).toBe(0);
    await journey.checkA11y('publish report');
    journey.assertCleanConsole();
  });
});
