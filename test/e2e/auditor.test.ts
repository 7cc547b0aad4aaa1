import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildVerifier } from '@evidence-portal/cli/build-verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLink, e2e, type Journey, screenshotDir, signIn, startJourney } from './support/journey.js';

/**
 * Auditor: sign in → find the SOC 2 report → accept its terms → download a watermarked copy → my downloads →
 * export an evidence bundle to an RSA key → progress to 100% → the downloaded file verifies with the built CLI.
 */
describe('auditor journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('a deep link opened signed out comes back after sign-in; the session cookie is out of JavaScript’s reach', async () => {
    const { page, context } = journey;
    await page.goto('/reports?category=SOC');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await journey.checkA11y('sign in');
    await journey.screenshot('sign-in');

    await signIn(page, 'auditor@example.com');

    await page.getByTestId('reports-table').waitFor();
    expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe('/reports?category=SOC');
    await expect.poll(() => page.getByLabel('Category').inputValue()).toBe('SOC');
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === '__Host-session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(await page.evaluate(() => document.cookie)).not.toContain('__Host-session');
    await expect.poll(() => page.getByTestId('whoami').innerText()).toContain('Patient Records (333333333333)');
  });

  it('finds SOC 2 by search; filters live in the URL and survive reload and back', async () => {
    const { page } = journey;
    await page.getByLabel('Search', { exact: true }).fill('SOC 2');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('SOC 2');
    const row = page.getByRole('row', { name: /Example Cloud SOC 2 Type II(?! —)/ });
    await row.first().waitFor();
    await journey.checkA11y('reports');
    await journey.screenshot('reports');

    await page.reload();
    await expect.poll(() => page.getByLabel('Search', { exact: true }).inputValue()).toBe('SOC 2');
    await page.getByRole('link', { name: 'Example Cloud SOC 2 Type II', exact: true }).click();
    await page.getByRole('heading', { name: 'Example Cloud SOC 2 Type II', level: 1 }).waitFor();
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('SOC 2');
    await page.goForward();
    await page.getByTestId('versions-table').waitFor();
    await journey.checkA11y('report detail');
    await journey.screenshot('report-detail');
  });

  it('accepts the EXPLICIT terms with the checkbox and downloads a PDF watermarked with the auditor’s email', async () => {
    const { page } = journey;
    const latest = page
      .getByTestId('versions-table')
      .getByRole('button', { name: /^Download v\d+$/ })
      .first();
    const versionLabel = (await latest.innerText()).replace('Download ', '');
    await latest.click();
    const dialog = page.getByRole('dialog', { name: /^Terms for Example Cloud SOC 2 Type II/ });
    await dialog.getByRole('region', { name: 'Terms text' }).waitFor();
    const accept = dialog.getByRole('button', { name: 'Accept and download' });
    expect(await accept.isDisabled()).toBe(true);
    await journey.checkA11y('terms dialog');
    await journey.screenshot('terms-dialog');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);

    await dialog.getByRole('checkbox', { name: /I have read these terms and accept them/ }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), accept.click()]);
    const path = join(screenshotDir, `soc2-${versionLabel}.pdf`);
    await download.saveAs(path);
    await dialog.getByText('Your download has started').waitFor();

    const pdf = readFileSync(path);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
    expect(text).toContain('auditor@example.com');
    expect(text).toContain('333333333333');
    const downloadId = /download (dl-[0-9A-Z]+)/.exec(text)?.[1];
    expect(downloadId).toBeDefined();

    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await consoleLink(page, 'My downloads').click();
    const table = page.getByTestId('downloads-table');
    await table.waitFor();
    const row = table.getByRole('row', { name: new RegExp(`Example Cloud SOC 2 Type II.*${versionLabel}`) });
    await row.waitFor();
    expect(await row.innerText()).toContain(downloadId);
    await journey.checkA11y('my downloads');
    await journey.screenshot('my-downloads');
    journey.assertCleanConsole();
    expect(e2e().baseUrl).toMatch(/^http:\/\/localhost:\d+$/);
  });
  it('exports an evidence bundle to an auditor RSA key; progress reaches 100% and the file verifies with the built CLI', async () => {
    const { page } = journey;
    const dir = mkdtempSync(join(tmpdir(), 'e2e-evidence-'));
    const verifier = join(dir, 'evidence-verify.mjs');
    const building = buildVerifier(verifier);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, 'auditor.pem'), rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }));

    await consoleLink(page, 'Evidence bundles').click();
    await page.getByRole('heading', { name: 'Evidence bundles', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'New evidence bundle' }).click();
    await page
      .getByRole('checkbox', { name: /^Example Cloud SOC 2 Type II \(v\d+\)$/ })
      .first()
      .check();
    await journey.checkA11y('export wizard: reports');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('checkbox', { name: /HIPAA Business Associate Addendum/ }).check();
    await page.getByRole('checkbox', { name: 'Patient Records (333333333333)' }).check();
    await journey.checkA11y('export wizard: agreements');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page
      .getByLabel(/Auditor’s RSA public key/)
      .fill(rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString());
    await page.getByLabel('Purpose or audit name').fill('FY2026 HIPAA audit');
    await journey.checkA11y('export wizard: auditor');
    await journey.screenshot('evidence-wizard');
    await page.getByRole('button', { name: 'Export' }).click();

    await page.getByTestId('bundle-progress').waitFor();
    await expect.poll(() => page.getByTestId('bundle-percent').innerText(), { timeout: 90_000 }).toBe('100%');
    await journey.checkA11y('evidence bundle');
    await journey.screenshot('evidence-bundle');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bundle-download').click()]);
    const bundleFile = join(dir, 'bundle.evb');
    await download.saveAs(bundleFile);
    writeFileSync(join(dir, 'keys.json'), await (await fetch(`${e2e().baseUrl}/api/keys/signing`)).text());

    await consoleLink(page, 'Evidence bundles').click();
    await page
      .getByTestId('bundles-table')
      .getByRole('row', { name: /FY2026 HIPAA audit.*Ready/ })
      .waitFor();
    await journey.checkA11y('evidence history');
    await page.getByRole('link', { name: 'Signing keys' }).click();
    await page.getByTestId('signing-keys').waitFor();
    await journey.checkA11y('signing keys');
    await journey.screenshot('signing-keys');

    await building;
    const verdict = execFileSync(
      process.execPath,
      [verifier, 'verify', 'bundle.evb', '--public-key', 'keys.json', '--decrypt-key', 'auditor.pem'],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(verdict).toMatch(/evidence bundle eb-[0-9a-z]+: VALID/);
    expect(verdict).toMatch(/ok {3}signature +signed by trusted key/);
    journey.assertCleanConsole();
  });
});
