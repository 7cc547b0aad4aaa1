import { totpCode } from '@evidence-portal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, consoleLink, e2e, type Journey, mailedLinks, signIn, startJourney } from './support/journey.js';

const carol = { email: 'carol@example.com', password: 'Harbor-Quilt-Ember-2026', account: '444444444444' };

/**
 * A new compliance officer: invited by the admin → accepts the invitation → sets up MFA (QR code, recovery
 * codes) → in a session opened before MFA existed, accepts the DPA for her account: the API asks for MFA, the
 * step-up dialog takes a code, and the acceptance goes through on the retry.
 */
describe('new user: invitation, MFA enrolment and the step-up', () => {
  let admin: Journey;
  let first: Journey;
  let earlier: Journey;
  beforeAll(async () => {
    [admin, first, earlier] = await Promise.all([startJourney(), startJourney(), startJourney()]);
  });
  afterAll(async () => {
    await Promise.all([admin?.close(), first?.close(), earlier?.close()]);
  });

  it('the admin invites her from the Users screen', async () => {
    const { page } = admin;
    await page.goto('/org/users');
    await signIn(page, 'admin@example.com');
    await page.getByTestId('users-table').waitFor();
    await page.getByRole('button', { name: 'Invite user' }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite a user' });
    await dialog.getByLabel('Email').fill(carol.email);
    await dialog.getByLabel('Display name').fill('Carol Compliance');
    await dialog.getByLabel('Account').selectOption(carol.account);
    await admin.checkA11y('invite dialog');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await dialog.getByText(`${carol.email} is invited`).waitFor();
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page
      .getByTestId('users-table')
      .getByRole('row', { name: /Carol Compliance.*invited/ })
      .waitFor();
    admin.assertCleanConsole();
    // Her duties: accept and terminate agreements (set up as a script would; the screens are tested elsewhere).
    const asAdmin = await apiAs('admin@example.com');
    const users = await asAdmin<{ items: Array<{ userId: string; email: string }> }>('GET', '/api/org/users');
    const userId = users.items.find((u) => u.email === carol.email)?.userId;
    await asAdmin('POST', '/api/org/attachments', {
      targetType: 'user',
      targetId: userId,
      policy: 'AgreementsFullAccess',
    });
  });

  it('she accepts the invitation from the emailed link and signs in', async () => {
    const link = mailedLinks(carol.email).at(-1);
    expect(link).toMatch(/\/invitation#token=/);
    const { page } = first;
    await page.goto(new URL(link ?? '', e2e().baseUrl).pathname + new URL(link ?? '').hash);
    await page.getByRole('heading', { name: 'Accept your invitation' }).waitFor();
    await first.checkA11y('invitation');
    await first.screenshot('invitation');
    await page.getByLabel('New password', { exact: true }).fill('password123');
    await page.getByLabel('Repeat the new password').fill('password123');
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.locator('.field-errors').first().waitFor();
    expect(await page.locator('.field-errors').first().innerText()).not.toBe('');
    await page.getByLabel('New password', { exact: true }).fill(carol.password);
    await page.getByLabel('Repeat the new password').fill(carol.password);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set. Sign in with it.').waitFor();

    // A second session, opened now, before MFA exists: it will lack MFA.
    for (const journey of [first, earlier]) {
      if (journey === earlier) await journey.page.goto('/');
      // The link's page carried the organization to the sign-in form; the other tab names it by hand.
      if (journey === first)
        expect(await journey.page.getByLabel('Organization ID').inputValue()).toBe('o-examplecorp');
      else await journey.page.getByLabel('Organization ID').fill('o-examplecorp');
      await journey.page.getByLabel('Email').fill(carol.email);
      await journey.page.getByLabel('Password', { exact: true }).fill(carol.password);
      await journey.page.getByRole('button', { name: 'Sign in' }).click();
      await journey.page.getByTestId('whoami').waitFor();
    }
  });

  let secret = '';
  it('she sets up MFA with the QR code and is shown her recovery codes once', async () => {
    const { page } = first;
    await page.getByRole('link', { name: 'Security' }).click();
    // Enrolment asks for the current password first: a wrong one is refused at its field.
    await page.getByLabel('Your current password').fill('not-my-password');
    await page.getByRole('button', { name: 'Set up MFA' }).click();
    await page.locator('.field-errors').first().waitFor();
    await page.getByLabel('Your current password').fill(carol.password);
    await page.getByRole('button', { name: 'Set up MFA' }).click();
    await page.getByRole('img', { name: 'MFA setup QR code' }).waitFor();
    secret = await page.getByTestId('mfa-secret').innerText();
    await first.checkA11y('MFA enrolment');
    await first.screenshot('mfa-enrolment');
    await page.getByLabel('Code from the app').fill(totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'Turn on MFA' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' });
    await codes.waitFor();
    expect(await codes.getByRole('listitem').count()).toBe(10);
    await expect.poll(() => page.getByTestId('whoami-mfa').innerText()).toBe('this session passed MFA');
    first.assertCleanConsole();
  });

  it('in the earlier session, accepting the DPA asks for MFA, takes a code and goes through', async () => {
    const { page } = earlier;
    await page.reload();
    await expect.poll(() => page.getByTestId('whoami-mfa').innerText()).toBe('not yet in this session');
    await consoleLink(page, 'Agreements').click();
    await page.getByRole('link', { name: 'GDPR Data Processing Addendum' }).click();
    await page.getByText('Step 1 of 2: non-disclosure.').waitFor();
    await earlier.checkA11y('NDA step');
    await page.getByRole('checkbox', { name: /I accept this non-disclosure agreement/ }).check();
    await page.getByRole('button', { name: 'Accept NDA and show the text' }).click();
    await page.getByRole('region', { name: 'Agreement text' }).waitFor();

    await page.getByRole('button', { name: 'Accept…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Accept GDPR Data Processing Addendum' });
    await dialog.getByRole('radio', { name: 'One account' }).check();
    expect(await dialog.getByLabel('Account', { exact: true }).inputValue()).toBe(carol.account);
    await dialog.getByRole('checkbox', { name: /I have read revision/ }).check();
    await dialog.getByRole('button', { name: 'Accept agreement' }).click();

    const stepUp = page.getByRole('dialog', { name: 'Confirm with your MFA code' });
    await stepUp.waitFor();
    expect(await stepUp.innerText()).toMatch(/needs a session that passed MFA/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('totp');
    await earlier.checkA11y('MFA step-up dialog');
    await earlier.screenshot('mfa-step-up');
    // The enrolment used this step's code; the portal accepts the next one.
    await stepUp.getByLabel('Authenticator code').fill(totpCode(secret, new Date(Date.now() + 30_000)));
    await stepUp.getByRole('button', { name: 'Confirm and continue' }).click();

    await dialog.getByTestId('accept-done').waitFor();
    expect(await dialog.innerText()).toContain(`Accepted for account ${carol.account}`);
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page
      .getByTestId('acceptance-history')
      .getByRole('row', { name: new RegExp(`Account ${carol.account}.*active`) })
      .waitFor();
    await expect.poll(() => page.getByTestId('whoami-mfa').innerText()).toBe('this session passed MFA');
    earlier.assertCleanConsole();
  });
});
