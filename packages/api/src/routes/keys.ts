import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { portalRoute } from '../route-definition.js';
import { json } from '../route-kit.js';

const SigningKeySchema = z
  .object({
    keyId: z.string().openapi({ description: 'The KMS key (ARN) as checkpoints and bundles name it in `keyId`' }),
    fingerprint: z.string().openapi({
      description: 'hex SHA-256 of the DER SubjectPublicKeyInfo: what checkpoints name in `keyFingerprint`',
    }),
    algorithm: z.literal('ECDSA_SHA_256'),
    status: z.enum(['current', 'previous']).openapi({
      description: '`current` signs now; `previous` keys were rotated out and still verify what they signed',
    }),
    publicKeyPem: z.string().openapi({ description: 'SubjectPublicKeyInfo, PEM' }),
  })
  .openapi('SigningKey');

const signingKeysRoute = portalRoute({
  method: 'get',
  path: '/keys/signing',
  tags: ['Keys'],
  summary: 'The public keys that sign ledger checkpoints and evidence bundles, current first, with fingerprints',
  authorization: {
    kind: 'public',
    reason: 'public keys are public: an auditor without an account pins them to verify what the portal signed',
  },
  responses: {
    200: json('The signing keys', z.object({ items: z.array(SigningKeySchema) }).openapi('SigningKeys')),
    503: { description: 'The key service is unavailable' },
  },
});

/**
 * `GET /api/keys/signing`: the keys come from the key service (the configured current and retired key
 * ids), never from the table, so whoever can write to the database cannot add a key of their own.
 * After a rotation old checkpoints and bundles verify with the `previous` key they name.
 */
export function keyRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(signingKeysRoute, async (c) => {
    const keys = await c.get('deps').signer.verificationKeys();
    const items = keys.map((key, i) => ({
      keyId: key.keyId,
      fingerprint: key.fingerprint,
      algorithm: key.algorithm,
      status: i === 0 ? ('current' as const) : ('previous' as const),
      publicKeyPem: key.pem,
    }));
    // Public and stable until the next deployment: let clients and caches keep it briefly.
    return c.json({ items }, 200, { 'Cache-Control': 'public, max-age=300' });
  });
  return app;
}
