import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLink, type Journey, signIn, startJourney } from './support/journey.js';

const day = 24 * 3600 * 1000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

async function auditPdf(pages: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    pdf.addPage([595, 842]).drawText(`ISO/IEC 27001 surveillance audit — page ${n}`, { x: 50, y: 780, size: 14, font });
  }
  return Buffer.from(await pdf.save());
}

/** Publisher: upload a new report version (presigned PUT with progress) → validation result → in the catalog. */
describe('publisher journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('uploads a new version of a report, sees it validated, and finds it in the catalog', async () => {
    const { page } = journey;
    await page.goto('/');
    await signIn(page, 'publisher@example.net');
    await consoleLink(page, 'Publishing').click();
    await page.getByTestId('published-reports').waitFor();
    await journey.checkA11y('publishing');
    await journey.screenshot('publishing');
    await page.getByRole('link', { name: 'Upload a new version of ISO/IEC 27001 Certificate' }).click();
    await page.getByRole('heading', { name: 'Upload a new version' }).waitFor();
    await page.getByTestId('publisher-versions').waitFor();
    const before = await page.getByTestId('publisher-versions').locator('tbody tr').count();

    const now = Date.now();
    await page.getByLabel('Period start').fill(isoDay(now - 370 * day));
    await page.getByLabel('Period end').fill(isoDay(now - 5 * day));
    await page.getByLabel('Effective date').fill(isoDay(now - day));
    expect(await page.getByLabel('Terms revision').inputValue()).not.toBe('');
    await page.getByLabel('PDF file').setInputFiles({
      name: 'iso27001-2026.pdf',
      mimeType: 'application/pdf',
      buffer: await auditPdf(3),
    });
    await page.getByRole('button', { name: 'Upload and publish' }).click();

    const result = page.getByTestId('validation-result');
    await result.waitFor({ timeout: 60_000 });
    const text = await result.innerText();
    expect(text).toMatch(/Version \d+ is published\. 3 pages/);
    const version = Number(/Version (\d+)/.exec(text)?.[1]);
    expect(await page.getByLabel('Upload progress').evaluate((p) => (p as HTMLProgressElement).value)).toBe(1);
    await expect.poll(() => page.getByTestId('publisher-versions').locator('tbody tr').count()).toBe(before + 1);
    await journey.checkA11y('publish a version');
    await journey.screenshot('publish-version');

    await page.getByRole('link', { name: 'See it as customers do' }).click();
    await page
      .getByTestId('versions-table')
      .getByRole('row', { name: new RegExp(`^v${version} `) })
      .waitFor();
    await consoleLink(page, 'Reports').click();
    await page.getByLabel('Search', { exact: true }).fill('27001');
    await page.getByRole('button', { name: 'Search' }).click();
    const row = page.getByTestId('reports-table').getByRole('row', { name: /ISO\/IEC 27001 Certificate/ });
    await row.waitFor();
    const periodEnd = new Date(now - 5 * day).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    });
    await expect.poll(() => row.innerText()).toContain(periodEnd);
    journey.assertCleanConsole();
  });

  it('makes another organization a vendor publisher, then revokes the grant', async () => {
    const { page } = journey;
    await consoleLink(page, 'Publishing').click();
    const grants = page.getByTestId('publisher-grants');
    await grants.getByRole('row', { name: /o-portal-operator \(yours\)/ }).waitFor();
    const form = page.getByRole('form', { name: 'Grant publishing' });
    await form.getByLabel('Organization id').fill('o-examplecorp');
    await form.getByLabel('Companies (comma-separated)').fill('Example Corp, Example Corp Health');
    await form.getByRole('button', { name: 'Save grant' }).click();
    await form.getByRole('status').filter({ hasText: 'o-examplecorp may now publish as a vendor' }).waitFor();
    const vendor = grants.getByRole('row', { name: /o-examplecorp/ });
    await expect.poll(() => vendor.innerText()).toContain('Example Corp, Example Corp Health');
    await journey.checkA11y('publisher grants');
    await journey.screenshot('publisher-grants');

    // The grant is what the API holds, not what the screen remembers.
    const listed = await page.evaluate(async () => (await fetch('/api/publishers')).json());
    expect(listed.items).toContainEqual({
      orgId: 'o-examplecorp',
      operator: false,
      companies: ['Example Corp', 'Example Corp Health'],
    });

    await page.getByRole('button', { name: 'Revoke the grant of o-examplecorp' }).click();
    const dialog = page.getByRole('dialog', { name: 'Revoke the publisher grant of o-examplecorp' });
    await dialog.getByRole('button', { name: 'Revoke grant' }).click();
    await dialog.waitFor({ state: 'detached' });
    await vendor.waitFor({ state: 'detached' });
    // The operator cannot revoke its own grant: the screen offers no button for it.
    expect(await grants.getByRole('button', { name: /o-portal-operator/ }).count()).toBe(0);
    journey.assertCleanConsole();
  });
});
