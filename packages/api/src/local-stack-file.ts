import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A running local portal (`npm start`) writes its loopback stack's environment — the `PORTAL_*`
 * variables a deployment would have, with this start's random ports — to `<dataDir>/local-stack.json`,
 * and removes it on stop; `evidence admin …` reads it when no `PORTAL_*` environment is given.
 */
export const localStackFile = (dataDir: string) => join(dataDir, 'local-stack.json');

export function writeLocalStackFile(dataDir: string, environment: Record<string, string>): void {
  writeFileSync(localStackFile(dataDir), `${JSON.stringify({ environment, pid: process.pid }, null, 2)}\n`, {
    mode: 0o600,
  });
}

export function removeLocalStackFile(dataDir: string): void {
  rmSync(localStackFile(dataDir), { force: true });
}

/** The environment of the local portal running on `dataDir`, or undefined when none wrote one. */
export function readLocalStackFile(dataDir: string): Record<string, string> | undefined {
  const path = localStackFile(dataDir);
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { environment?: Record<string, string> };
  return parsed.environment;
}
