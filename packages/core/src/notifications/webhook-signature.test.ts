import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateWebhookSecret, signWebhookBody, verifyWebhookSignature } from './webhook-signature.js';

describe('webhook signatures', () => {
  const secret = generateWebhookSecret();
  const body = '{"id":"evt_1","type":"report.published"}';

  it('follows the documented scheme: t=<unix>,v1=hex(HMAC-SHA256(secret, "<t>.<body>"))', () => {
    const header = signWebhookBody(secret, 1_770_000_000, body);
    const expected = createHmac('sha256', secret).update(`1770000000.${body}`).digest('hex');
    expect(header).toBe(`t=1770000000,v1=${expected}`);
    expect(verifyWebhookSignature(header, body, secret, 1_770_000_010)).toBe(true);
  });

  it('rejects a changed body, another secret, a changed timestamp and a stale one', () => {
    const header = signWebhookBody(secret, 1_770_000_000, body);
    expect(verifyWebhookSignature(header, `${body} `, secret, 1_770_000_000)).toBe(false);
    expect(verifyWebhookSignature(header, body, generateWebhookSecret(), 1_770_000_000)).toBe(false);
    expect(verifyWebhookSignature(header.replace('t=1770000000', 't=1770000001'), body, secret, 1_770_000_000)).toBe(
      false,
    );
    expect(verifyWebhookSignature(header, body, secret, 1_770_000_000 + 301)).toBe(false);
    expect(verifyWebhookSignature('garbage', body, secret, 1_770_000_000)).toBe(false);
  });

  it('generates distinct, prefixed secrets', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(generateWebhookSecret());
  });
});
