import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createAwsClients, DynamoStore, KmsSigner, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import {
  type CheckpointBody,
  createLedger,
  type LedgerOptions,
  type SignedCheckpoint,
  signedCheckpointBytes,
} from '@evidence-portal/core';
import { freshCheckpointsBucket, freshTable } from '../support/app.js';
import { localStack } from '../support/context.js';

/** The real adapters on a fresh table and checkpoints bucket of the loopback stack, plus the raw clients tamper tests use. */
export async function ledgerOnFreshTable(options: Partial<LedgerOptions> = {}) {
  const info = localStack();
  const [tableName, checkpointsBucket] = await Promise.all([freshTable(), freshCheckpointsBucket()]);
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    kmsEndpoint: info.kmsEndpoint,
    s3Endpoint: info.s3Endpoint,
    credentials: localCredentials,
  });
  const store = new DynamoStore(clients.documents, tableName);
  const signer = new KmsSigner(clients.kms, info.signingKeyArn);
  const blobs = new S3BlobStore(clients.s3, { ...info.buckets, checkpoints: checkpointsBucket });
  const ledger = createLedger({ store, clock: { now: () => new Date() }, signer, blobs, ...options });
  return { ledger, store, signer, blobs, clients, tableName, checkpointsBucket };
}

/** A P-256 key that is not the portal's: what a forger would sign with. */
export function foreignKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const fingerprint = createHash('sha256')
    .update(publicKey.export({ format: 'der', type: 'spki' }))
    .digest('hex');
  return {
    pem,
    fingerprint,
    /**
     * Signs like the portal does (ECDSA over SHA-256 of the JCS body, DER), with the wrong key. By
     * default the body still names the portal's key, as a forger's would; `ownKey` names this one.
     */
    sign(body: CheckpointBody, options: { ownKey?: boolean } = {}): SignedCheckpoint {
      const named: CheckpointBody = options.ownKey ? { ...body, keyId: 'forger', keyFingerprint: fingerprint } : body;
      const signature = sign('sha256', Buffer.from(signedCheckpointBytes(named)), {
        key: privateKey,
        dsaEncoding: 'der',
      });
      return { ...named, signature: signature.toString('base64') };
    },
  };
}

export const actor = (id: string) => ({ type: 'user' as const, id, email: `${id}@example.com` });

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}
