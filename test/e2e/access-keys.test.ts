import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeSha256 } from '../../packages/api/src/artifact/sigv4-verification.js';
import { e2e, type Journey, signIn, startJourney } from './support/journey.js';

/** A ListReports call signed with the key, as any AWS SDK would sign it. */
async function listReports(
  accessKeyId: string,
  secretAccessKey: string,
): Promise<{ status: number; type: string | null }> {
  const url = new URL(`${e2e().baseUrl}/artifact/v1/report/list`);
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey },
    region: 'us-east-1',
    service: 'artifact',
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign({
    method: 'GET',
    protocol: 'http:',
    hostname: url.host,
    path: url.pathname,
    query: { maxResults: String(1 + Math.floor(Math.random() * 200)) },
    headers: { host: url.host },
  });
  const query = new URLSearchParams(signed.query as Record<string, string>).toString();
  const response = await fetch(`${url.origin}${url.pathname}?${query}`, {
    headers: signed.headers as Record<string, string>,
  });
  return { status: response.status, type: response.headers.get('x-amzn-errortype') };
}

/** Admin: create an access key on the security page → secret once + boto3 snippet → it signs → deactivate → refused → delete. */
describe('access keys journey', () => {
  let journey: Journey;
  beforeAll(async () => {
    journey = await startJourney();
    await journey.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e().baseUrl });
  });
  afterAll(async () => {
    await journey?.close();
  });

  it('creates a key whose secret is shown once, uses it, deactivates and deletes it', async () => {
    const { page } = journey;
    await page.goto('/security');
    await signIn(page, 'admin@example.com');
    await page.getByRole('heading', { name: 'Access keys' }).waitFor();
    await page.getByRole('button', { name: 'Create access key' }).click();
    const accessKeyId = (await page.getByTestId('new-access-key-id').textContent()) ?? '';
    const secret = (await page.getByTestId('new-access-key-secret').textContent()) ?? '';
    await page.getByRole('button', { name: 'Copy secret' }).click();
    await page.getByText('Copied the secret.').waitFor();
    const snippet = (await page.getByTestId('boto3-snippet').textContent()) ?? '';
    await journey.checkA11y('new access key');
    await journey.screenshot('access-key-created');

    expect(accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(secret).toHaveLength(40);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    expect(snippet).toContain(`endpoint_url="${e2e().baseUrl}/artifact"`);
    expect(snippet).toContain(`aws_secret_access_key="${secret}"`);
    expect(await listReports(accessKeyId, secret)).toEqual({ status: 200, type: null });

    await page.getByRole('button', { name: 'I have saved the secret' }).click();
    await expect.poll(() => page.getByTestId('new-access-key-secret').count()).toBe(0);
    await page.reload();
    const row = page.getByRole('row', { name: new RegExp(accessKeyId) });
    await row.getByText('(artifact)').waitFor();
    expect(await page.content()).not.toContain(secret);

    await row.getByRole('button', { name: `Deactivate ${accessKeyId}` }).click();
    await row.getByText('Inactive').waitFor();
    expect(await listReports(accessKeyId, secret)).toEqual({ status: 403, type: 'UnrecognizedClientException' });

    await row.getByRole('button', { name: `Delete ${accessKeyId}` }).click();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(accessKeyId) }).count()).toBe(0);
    await journey.checkA11y('access keys');
    journey.assertCleanConsole();
  });
});
