import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KeyStore } from './key-store.js';
import type { KmsErrorType } from './kms-error.js';
import { KmsError } from './kms-error.js';
import { operations } from './operations.js';
import type { RequestBody } from './request-fields.js';

/**
 * The project's local KMS server: a DEV/TEST TOOL speaking the AWS KMS JSON 1.1 wire protocol on loopback
 * (POST /, `X-Amz-Target: TrentService.<Op>`), enough for `@aws-sdk/client-kms` and the AWS Encryption SDK's
 * KmsKeyringNode. SigV4 is not checked. Key material is kept in plain form (see key-store.ts).
 */

export interface KmsServerOptions {
  /** 0 (default) = a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Absent = in-memory; present = keys and aliases persisted in `<dataDir>/kms-keys.json`. */
  dataDir?: string;
  /** Default us-east-1. */
  region?: string;
  /** Default 000000000000. */
  accountId?: string;
}

export interface KmsServer {
  /** e.g. http://127.0.0.1:PORT */
  endpoint: string;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const TARGET_PREFIX = 'TrentService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

type Reply = { status: number; body: object; errorType?: string };

function errorReply(type: KmsErrorType | 'KMSInternalException', message: string, status = 400): Reply {
  return { status, body: { __type: type, message }, errorType: type };
}

function send(res: ServerResponse, reply: Reply, close = false): void {
  const payload = JSON.stringify(reply.body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(payload),
    'x-amzn-requestid': randomUUID(),
  };
  if (reply.errorType !== undefined) headers['x-amzn-errortype'] = reply.errorType;
  if (close) headers.connection = 'close';
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Reads the body up to MAX_BODY_BYTES; resolves undefined when it is larger. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      resolve(undefined);
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!tooLarge) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

async function handle(store: KeyStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    send(res, errorReply('UnsupportedOperationException', `Method ${String(req.method)} is not supported`));
    return;
  }
  const raw = await readBody(req);
  if (raw === undefined) {
    send(res, errorReply('ValidationException', `Request body exceeds ${MAX_BODY_BYTES} bytes`), true);
    return;
  }
  const target = req.headers['x-amz-target'];
  const name = typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
  const operation = operations.get(name);
  if (operation === undefined) {
    send(res, errorReply('UnsupportedOperationException', `Unsupported operation: ${String(target)}`));
    return;
  }
  let body: unknown;
  try {
    body = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
  } catch {
    send(res, errorReply('SerializationException', 'The request body is not valid JSON'));
    return;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    send(res, errorReply('SerializationException', 'The request body must be a JSON object'));
    return;
  }
  try {
    send(res, { status: 200, body: await operation(store, body as RequestBody) });
  } catch (error) {
    if (error instanceof KmsError) {
      send(res, errorReply(error.type, error.message));
      return;
    }
    console.error(`local KMS: ${name} failed`, error);
    send(res, errorReply('KMSInternalException', 'Internal error in the local KMS server', 500));
  }
}

export async function startKmsServer(options: KmsServerOptions = {}): Promise<KmsServer> {
  const store = await KeyStore.open({
    region: options.region ?? 'us-east-1',
    accountId: options.accountId ?? '000000000000',
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
  });
  const server = createServer((req, res) => {
    handle(store, req, res).catch((error: unknown) => {
      console.error('local KMS: request failed', error);
      if (!res.headersSent) send(res, errorReply('KMSInternalException', 'Internal error', 500), true);
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://${urlHost}:${port}`,
    stop() {
      stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => store.flush());
      return stopped;
    },
  };
}
