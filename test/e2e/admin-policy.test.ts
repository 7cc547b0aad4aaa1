import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Journey, signIn, startJourney } from './support/journey.js';

const withTwoMistakes = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadTrail",
      "Effect": "Alow",
      "Action": "portal:ReadLedgr",
      "Resource": "*"
    }
  ]
}`;

/** Admin: a policy with two mistakes → both shown at their lines → fixed → attached → the simulator says Allow. */
describe('admin policy journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('shows each validation error at the line its path points at, then saves the fixed policy', async () => {
    const { page } = journey;
    await page.goto('/org/policies?new=1');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'New policy' }).waitFor();
    await page.getByLabel('Name').fill('LedgerReaders');
    await page.getByLabel('Description').fill('Read and verify the audit trail');
    const editor = page.getByLabel('Policy document (JSON)');
    await editor.fill(withTwoMistakes);
    await page.getByRole('button', { name: 'Save policy' }).click();

    const problems = page.getByTestId('policy-errors');
    await problems.waitFor();
    const marked = await problems.locator('.annotated-line.has-error').evaluateAll((lines) =>
      lines.map((line) => ({
        line: line.querySelector('.line-number')?.textContent,
        paths: [...line.querySelectorAll('[data-path]')].map((e) => e.getAttribute('data-path')),
        text: line.textContent ?? '',
      })),
    );
    expect(marked.map(({ line, paths }) => ({ line, paths }))).toEqual([
      { line: '6', paths: ['Statement[0].Effect'] },
      { line: '7', paths: ['Statement[0].Action'] },
    ]);
    expect(marked[0]?.text).toMatch(/did you mean Allow/);
    expect(marked[1]?.text).toMatch(/did you mean portal:ReadLedger/);
    expect(await editor.getAttribute('aria-invalid')).toBe('true');
    await journey.checkA11y('policy editor with errors');
    await journey.screenshot('policy-errors');

    await problems.getByRole('button', { name: 'Statement[0].Action' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await editor.fill(withTwoMistakes.replace('"Alow"', '"Allow"').replace('ReadLedgr', 'ReadLedger'));
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('heading', { name: 'LedgerReaders', level: 2 }).waitFor();
    expect(new URL(page.url()).searchParams.get('policy')).toMatch(/^p-/);
  });

  it('attaches it to a role, and the simulator answers Allow naming the statement', async () => {
    const { page } = journey;
    await page
      .getByRole('navigation', { name: 'Organization administration' })
      .getByRole('link', { name: 'Attachments' })
      .click();
    await page.getByLabel('To a').selectOption('role');
    await page.getByLabel('Which').selectOption({ label: 'ComplianceOfficer' });
    await page.getByLabel('Policy', { exact: true }).selectOption({ label: 'LedgerReaders' });
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page
      .getByTestId('attachments-table')
      .getByRole('row', { name: /role ComplianceOfficer.*p-/ })
      .first()
      .waitFor();
    await journey.checkA11y('attachments');

    await page
      .getByRole('navigation', { name: 'Organization administration' })
      .getByRole('link', { name: 'Policy simulator' })
      .click();
    await page.getByLabel('User (email or id)').fill('engineer@example.com');
    await page.getByLabel('Action').selectOption('portal:ReadLedger');
    await page.getByLabel('Resource').fill('arn:portal:o-examplecorp::ledger');
    await page.getByLabel('As role (optional)').fill('role-complianceofficer');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const result = page.getByTestId('simulation-result');
    await result.waitFor();
    expect(await result.getByRole('heading').innerText()).toContain('Allow');
    await result.getByRole('row', { name: /LedgerReaders ReadTrail Allow identity policy/ }).waitFor();
    expect(new URL(page.url()).searchParams.get('roleId')).toBe('role-complianceofficer');
    await journey.checkA11y('policy simulator');
    await journey.screenshot('policy-simulator');

    // Without the role, the engineer's own policies do not reach the ledger: the same screen says why not.
    await page.getByLabel('As role (optional)').fill('');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await expect.poll(() => result.getByRole('heading').innerText()).toContain('ImplicitDeny');
    journey.assertCleanConsole();
  });
});
