import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../../packages/local-stack/src/free-port.js';

export const repoRoot = resolve(import.meta.dirname, '../../..');
/** The local composition root `npm start` runs (the same entry, a fresh data dir). */
const serverEntry = 'packages/local-server/src/main.ts';

export interface LocalPortal {
  baseUrl: string;
  dataDir: string;
  logPath: string;
  stop(): Promise<void>;
}

/**
 * Starts the real local server (loopback stack + demo seed + built console) as `npm start` does, on a free
 * port and a fresh data directory, and waits until it answers /api/health. Its log goes to a file, where
 * the tests find the links the local mailer "sends".
 */
export async function startLocalPortal(options: { readyTimeoutMs?: number } = {}): Promise<LocalPortal> {
  const dataDir = mkdtempSync(join(tmpdir(), 'evidence-portal-e2e-'));
  const port = await freePort('127.0.0.1');
  const baseUrl = `http://localhost:${port}`;
  const logPath = join(dataDir, 'server.log');
  const log = createWriteStream(logPath);
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', serverEntry], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PORT: String(port),
      PORTAL_DATA_DIR: dataDir,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
      }, 15_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 240_000);
  let early: number | null | undefined;
  void exited.then((code) => {
    early = code;
  });
  for (;;) {
    if (early !== undefined) {
      const { readFileSync } = await import('node:fs');
      const tail = readFileSync(logPath, 'utf8').split('\n').slice(-20).join('\n');
      await stop();
      throw new Error(`the local server exited (${early}) before it was ready:\n${tail}`);
    }
    const healthy = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the local server did not become healthy in time (log: ${logPath})`);
    }
    await new Promise((next) => setTimeout(next, 250));
  }
  return { baseUrl, dataDir, logPath, stop };
}
