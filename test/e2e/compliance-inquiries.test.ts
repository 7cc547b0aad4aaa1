import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLink, type Journey, signIn, startJourney } from './support/journey.js';

/**
 * Compliance inquiries (engineer: ReportsReadOnly): ask one question → an answer from the report catalog with its
 * source → rate it → export a PDF; upload a CSV questionnaire (a chosen column) → one answer per row, an honest
 * "no report" for the odd one; an unsupported file is refused naming the supported types; a questionnaire sent for
 * human review is answered by the portal operator's publisher, and the engineer sees the reviewed answer.
 */
describe('compliance inquiries journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('asks a question, reads the cited answer, rates it and exports the PDF', async () => {
    const { page } = journey;
    await page.goto('/reports');
    await signIn(page, 'engineer@example.com');
    await consoleLink(page, 'Inquiries').click();
    await page.getByRole('heading', { name: 'Compliance inquiries', level: 1 }).waitFor();
    await journey.checkA11y('inquiries');

    await page.getByLabel('Title').fill('Vendor security review');
    await page.getByLabel('Question', { exact: true }).fill('Do you have a current SOC 2 Type II report?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByRole('heading', { name: 'Compliance inquiry', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/inquiries\/compliance-inquiry-[A-Za-z0-9]{16}$/);
    await expect
      .poll(() => page.getByTestId('inquiry-status').innerText())
      .toBe('Compliance inquiry processing is complete.');
    const answer = page.getByTestId('inquiry-query').first();
    await expect.poll(() => answer.innerText()).toContain('Found in the report catalog (not AI)');
    const sources = answer.getByTestId('citations');
    expect(await sources.innerText()).toContain('Example Cloud SOC 2 Type II');
    await journey.checkA11y('inquiry');
    await journey.screenshot('inquiry-answer');

    const helpful = answer.getByRole('button', { name: 'Helpful', exact: true });
    await helpful.click();
    await expect.poll(() => helpful.getAttribute('aria-pressed')).toBe('true');

    await page.getByRole('button', { name: 'Export as PDF' }).click();
    const link = page.getByTestId('inquiry-export-link');
    await link.waitFor();
    const pdf = await fetch((await link.getAttribute('href')) ?? '');
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    // The source links to the report itself.
    await sources.getByRole('link').first().click();
    await page.getByTestId('versions-table').waitFor();
  });

  it('uploads a CSV questionnaire, answers each row, and refuses a file it cannot read', async () => {
    const { page } = journey;
    await consoleLink(page, 'Inquiries').click();
    await page.getByLabel('Title').fill('Questionnaire 2026');
    await page.getByLabel('A questionnaire file (CSV or plain text)').check();
    const csv = [
      'ID,Question,Owner',
      '1,Do you hold an ISO 27001 certificate?,security',
      '2,"Is there a PCI DSS attestation of compliance, and for which version?",security',
      '3,What colour are the office carpets?,facilities',
    ].join('\n');
    await page
      .getByLabel('Questionnaire', { exact: true })
      .setInputFiles({ name: 'questionnaire.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByLabel('Columns or sections (optional)').fill('Question');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByRole('heading', { name: 'Compliance inquiry', level: 1 }).waitFor();
    const answers = page.getByTestId('inquiry-query');
    await expect.poll(() => answers.count()).toBe(3);
    expect(await answers.nth(0).innerText()).toContain('ISO/IEC 27001');
    expect(await answers.nth(1).innerText()).toContain('PCI DSS');
    expect(await answers.nth(2).innerText()).toContain('No published report you can access addresses this question');
    await journey.checkA11y('questionnaire answers');
    await journey.screenshot('inquiry-questionnaire');

    await consoleLink(page, 'Inquiries').click();
    await page.getByTestId('inquiries-table').getByRole('link', { name: 'Questionnaire 2026' }).waitFor();
    await page.getByLabel('Title').fill('A spreadsheet');
    await page.getByLabel('A questionnaire file (CSV or plain text)').check();
    await page
      .getByLabel('Questionnaire', { exact: true })
      .setInputFiles({ name: 'questions.xlsx', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004zip') });
    await page.getByRole('button', { name: 'Ask' }).click();
    const problem = page.getByRole('alert');
    await expect.poll(() => problem.innerText()).toContain('Supported questionnaire files: CSV');
    await journey.checkA11y('inquiry refused');
    expect(await page.getByTestId('inquiries-table').getByRole('row').count()).toBe(3);
  });

  it('human review: the operator answers a questionnaire sent for review, and the asker sees the reviewed answer', async () => {
    const { page } = journey;
    await consoleLink(page, 'Inquiries').click();
    await page.getByLabel('Title').fill('Backups questionnaire');
    await page.getByLabel('A questionnaire file (CSV or plain text)').check();
    await page.getByLabel('Questionnaire', { exact: true }).setInputFiles({
      name: 'backups.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('Do you encrypt backups at rest?\n'),
    });
    await page.getByLabel('Ask for human review by the portal operator (answers come later)').check();
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByRole('heading', { name: 'Compliance inquiry', level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId('inquiry-status').innerText()).toBe('Human review is in progress.');
    expect(await page.getByTestId('inquiry-query').innerText()).toContain('Query is pending human review.');
    const inquiryPath = new URL(page.url()).pathname;
    expect(
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Human review' }).count(),
    ).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await signIn(page, 'publisher@example.net');
    await consoleLink(page, 'Human review').click();
    await page.getByTestId('review-queue').getByRole('link', { name: 'Backups questionnaire' }).click();
    await page.getByRole('heading', { name: 'Review an inquiry', level: 1 }).waitFor();
    await journey.checkA11y('human review');
    await page.getByLabel('Answer to question 1').fill('Yes: every backup is encrypted with AES-256 under KMS keys.');
    await page.getByRole('button', { name: 'Answer', exact: true }).click();
    await page.getByText('Saved as revision 1.').waitFor();
    await expect
      .poll(() => page.getByTestId('review-status').innerText())
      .toBe('Compliance inquiry processing is complete.');
    await journey.screenshot('inquiry-human-review');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You are signed out.').waitFor();
    await signIn(page, 'engineer@example.com');
    await page.goto(inquiryPath);
    await expect
      .poll(() => page.getByTestId('inquiry-status').innerText())
      .toBe('Compliance inquiry processing is complete.');
    const reviewed = page.getByTestId('inquiry-query').first();
    expect(await reviewed.innerText()).toContain('Answered by the portal operator (revision 1)');
    expect(await reviewed.innerText()).toContain('encrypted with AES-256 under KMS keys');
  });
});
