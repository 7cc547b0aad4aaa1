import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { freePort } from './free-port.js';

export interface S3Local {
  endpoint: string;
  stop(): Promise<void>;
}

/** s3rver on a free loopback port; objects under `dataDir`, or a temporary directory removed on stop. */
export async function startS3Local(options: { dataDir?: string; host?: string } = {}): Promise<S3Local> {
  const host = options.host ?? '127.0.0.1';
  const port = await freePort(host);
  const temporary = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'evidence-portal-s3-'));
  const directory = options.dataDir ? resolve(options.dataDir) : (temporary as string);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({ address: host, port, directory, silent: true, vhostBuckets: false });
  await server.run();
  return {
    endpoint: `http://${host}:${port}`,
    async stop() {
      await server.close();
      if (temporary) rmSync(temporary, { recursive: true, force: true });
    },
  };
}
