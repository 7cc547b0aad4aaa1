import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleLink, type Journey, signIn, startJourney } from './support/journey.js';

const baa = 'agr-hipaa-baa';
const accountWithOwnBaa = '333333333333';

/** Account id -> how the BAA column of the coverage matrix reads (`organization`, `account` or `none`). */
async function baaColumn(page: Page): Promise<Record<string, string>> {
  const matrix = page.getByTestId('coverage-matrix');
  await matrix.waitFor();
  return matrix.evaluate((table, agreementId) => {
    const cells: Record<string, string> = {};
    for (const row of table.querySelectorAll('tbody tr')) {
      const cell = row.querySelector(`td[data-agreement="${agreementId}"] [data-coverage]`);
      cells[row.getAttribute('data-account') ?? '?'] = cell?.getAttribute('data-coverage') ?? 'missing';
    }
    return cells;
  }, baa);
}

/** Admin: TOTP sign-in → accept the BAA org-wide → coverage via the org → terminate → coverage gone, but not back then. */
describe('admin agreements journey', () => {
  let journey: Journey;
  let acceptedAt = '';
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('signs in with the TOTP step and accepts the BAA for the whole organization, confirming revision and SHA-256', async () => {
    const { page } = journey;
    await page.goto('/');
    await signIn(page, 'admin@example.com');
    await expect.poll(() => page.getByTestId('whoami-mfa').innerText()).toBe('this session passed MFA');

    await consoleLink(page, 'Agreements').click();
    await page.getByTestId('agreements-table').waitFor();
    await journey.checkA11y('agreements');
    await journey.screenshot('agreements');
    await page.getByRole('link', { name: 'HIPAA Business Associate Addendum' }).click();
    await page.getByTestId('acceptance-history').waitFor();
    await page.getByRole('region', { name: 'Agreement text' }).waitFor();
    await journey.checkA11y('agreement detail');

    await page.getByRole('button', { name: 'Accept…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept HIPAA Business Associate Addendum' });
    const confirmation = dialog.getByTestId('accept-confirmation');
    await confirmation.waitFor();
    const revisionId = await page.locator('.facts code').first().innerText();
    const sha256 = await page.locator('.facts .hash').first().innerText();
    expect(await confirmation.innerText()).toContain(revisionId);
    expect(await confirmation.innerText()).toContain(sha256);
    expect(await dialog.getByRole('radio', { name: /The whole organization/ }).isChecked()).toBe(true);
    const submit = dialog.getByRole('button', { name: 'Accept agreement' });
    expect(await submit.isDisabled()).toBe(true);
    await journey.checkA11y('accept dialog');
    await journey.screenshot('accept-dialog');

    await dialog.getByRole('checkbox', { name: new RegExp(`I have read revision ${revisionId}`) }).check();
    await submit.click();
    await dialog.getByTestId('accept-done').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    const orgRow = page.getByTestId('acceptance-history').getByRole('row', { name: /Whole organization.*active/ });
    await orgRow.waitFor();
    acceptedAt = (await orgRow.locator('[data-accepted-at]').getAttribute('data-accepted-at')) ?? '';
    expect(acceptedAt).toMatch(/^\d{4}-/);
  });

  it("tags the agreement with the organization's own labels, then removes one", async () => {
    const { page } = journey;
    await page.goto(`/agreements/${baa}`);
    const tags = page.getByTestId('resource-tags');
    await tags.getByText('No tags yet.').waitFor();
    await tags.getByLabel('Tag key').fill('owner');
    await tags.getByLabel('Tag value').fill('privacy office');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await tags.getByRole('row', { name: /owner.*privacy office/ }).waitFor();
    await tags.getByLabel('Tag key').fill('review');
    await tags.getByLabel('Tag value').fill('2027-Q1');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await tags.getByRole('row', { name: /review.*2027-Q1/ }).waitFor();
    // A reserved key is refused by the API, and the field says why.
    await tags.getByLabel('Tag key').fill('aws:team');
    await tags.getByRole('button', { name: 'Add tag' }).click();
    await tags.getByText(/reserved/).waitFor();
    await journey.checkA11y('agreement tags');
    await journey.screenshot('agreement-tags');

    await tags.getByRole('button', { name: 'Remove tag owner' }).click();
    await expect.poll(() => tags.getByRole('row', { name: /owner/ }).count()).toBe(0);
    await page.reload();
    await tags.getByRole('row', { name: /review.*2027-Q1/ }).waitFor();
    expect(await tags.getByRole('row', { name: /owner/ }).count()).toBe(0);
  });

  it('the coverage matrix shows every account covered, through the organization unless it has its own acceptance', async () => {
    const { page } = journey;
    await consoleLink(page, 'Coverage').click();
    const column = await baaColumn(page);
    expect(Object.keys(column).length).toBeGreaterThanOrEqual(5);
    for (const [account, via] of Object.entries(column)) {
      expect(`${account}: ${via}`).toBe(`${account}: ${account === accountWithOwnBaa ? 'account' : 'organization'}`);
    }
    await journey.checkA11y('coverage matrix');
    await journey.screenshot('coverage-matrix');
  });

  it('terminating says which accounts lose coverage; afterwards only the own acceptance covers, and the earlier instant still shows coverage', async () => {
    const { page } = journey;
    await page.goto(`/agreements/${baa}`);
    await page.getByRole('button', { name: 'Terminate…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Terminate HIPAA Business Associate Addendum' });
    await dialog.getByRole('radio', { name: /The organization-wide acceptance/ }).check();
    const consequences = dialog.getByTestId('terminate-consequences');
    await expect.poll(() => consequences.innerText()).toMatch(/accounts lose coverage at once/);
    const text = await consequences.innerText();
    for (const account of ['111111111111', '222222222222', '444444444444', '555555555555'])
      expect(text).toContain(account);
    expect(text).toMatch(/Keep coverage through their own acceptance:.*333333333333/s);
    await journey.checkA11y('terminate dialog');
    await journey.screenshot('terminate-dialog');
    await dialog.getByRole('checkbox', { name: /I understand/ }).check();
    await dialog.getByRole('button', { name: 'Terminate' }).click();
    await dialog.getByTestId('terminate-done').waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();

    await consoleLink(page, 'Coverage').click();
    await expect
      .poll(async () => Object.entries(await baaColumn(page)).filter(([, via]) => via !== 'none'))
      .toEqual([[accountWithOwnBaa, 'account']]);

    // The second after the acceptance (the picker has seconds): covered then, through the organization.
    const instant = new Date(Math.ceil((Date.parse(acceptedAt) + 1) / 1000) * 1000).toISOString().slice(0, 19);
    await page.getByLabel('As of (UTC)').fill(instant);
    await page.getByRole('button', { name: 'Show coverage' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('at')).toBe(`${instant}.000Z`);
    await expect
      .poll(async () => Object.values(await baaColumn(page)).filter((via) => via === 'organization').length)
      .toBe(4);
    await page.reload();
    await expect.poll(() => page.getByLabel('As of (UTC)').inputValue()).toBe(instant);
    await journey.screenshot('coverage-point-in-time');
    journey.assertCleanConsole();
  });
});
