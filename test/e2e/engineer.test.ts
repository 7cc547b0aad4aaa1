import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Journey, signIn, startJourney } from './support/journey.js';

/** Engineer (reports only): an admin page is a clear "not allowed" page, never a crash or a blank screen. */
describe('engineer journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('sees no administration in the navigation, and a deep link to it explains the refusal', async () => {
    const { page } = journey;
    await page.goto('/org/users');
    await signIn(page, 'engineer@example.com');

    const refusal = page.getByTestId('not-allowed');
    await refusal.first().waitFor();
    // While a lazy screen loads, React keeps the previous one hidden for a moment; then exactly one remains.
    await expect.poll(() => refusal.count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/org/users');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Not allowed');
    expect(await refusal.innerText()).toContain('Your access does not include the organization administration.');
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link', { name: 'Reports' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Organization' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
    await journey.checkA11y('not allowed');
    await journey.screenshot('not-allowed');

    await page.goto('/ledger');
    await expect.poll(() => page.getByTestId('not-allowed').count()).toBe(1);
    await refusal.getByRole('link', { name: 'the reports' }).click();
    await page.getByTestId('reports-table').waitFor();
    journey.assertCleanConsole();
  });
});
