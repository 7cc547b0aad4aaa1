import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createAwsClients, DynamoStore, KmsSigner, localCredentials, S3BlobStore } from '@evidence-portal/aws';
import {
  type CheckpointBody,
  canonicalJson,
  checkpointBody,
  createLedger,
  type LedgerOptions,
  type SignedCheckpoint,
} from '@evidence-portal/core';
import { freshTable } from '../support/app.js';
import { localStack } from '../support/context.js';

/** The real adapters on a fresh table of the loopback stack, plus the raw clients tamper tests use. */
export async function ledgerOnFreshTable(options: Partial<LedgerOptions> = {}) {
  const info = localStack();
  const tableName = await freshTable();
  const clients = createAwsClients({
    region: info.region,
    dynamodbEndpoint: info.dynamodbEndpoint,
    kmsEndpoint: info.kmsEndpoint,
    s3Endpoint: info.s3Endpoint,
    credentials: localCredentials,
  });
  const store = new DynamoStore(clients.documents, tableName);
  const signer = new KmsSigner(clients.kms, info.signingKeyArn);
  const blobs = new S3BlobStore(clients.s3, info.buckets);
  const ledger = createLedger({ store, clock: { now: () => new Date() }, signer, blobs, ...options });
  return { ledger, store, signer, blobs, clients, tableName };
}

/** A P-256 key that is not the portal's: what a forger would sign with. */
export function foreignKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    pem,
    /** Signs like the portal does (ECDSA over SHA-256 of the JCS body, DER), just with the wrong key. */
    sign(body: CheckpointBody): SignedCheckpoint {
      const signature = sign('sha256', Buffer.from(canonicalJson(checkpointBody(body))), {
        key: privateKey,
        dsaEncoding: 'der',
      });
      return {
        ...checkpointBody(body),
        signature: signature.toString('base64'),
        keyId: 'forger',
        keyFingerprint: createHash('sha256').update(der).digest('hex'),
      };
    },
  };
}

export const actor = (id: string) => ({ type: 'user' as const, id, email: `${id}@example.com` });

export async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}
