/**
 * `npm start`: reads the few settings a developer may change (PORT, PORTAL_DATA_DIR, LOG_LEVEL) and
 * runs the local portal until SIGINT/SIGTERM, then stops every child.
 */
import { resolve } from 'node:path';
import { ConfigError } from '@evidence-portal/api';
import { demoAdminTotpSecret } from '@evidence-portal/cli';
import { JavaMissingError } from '@evidence-portal/local-stack';
import { startLocalPortal } from './local-portal.js';

const repoRoot = resolve(import.meta.dirname, '../../..');

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ConfigError([`PORT is invalid: ${process.env.PORT}`]);
  const dataDir = resolve(repoRoot, process.env.PORTAL_DATA_DIR ?? '.data');
  const level = process.env.LOG_LEVEL;
  const portal = await startLocalPortal({
    port,
    dataDir,
    webRoot: resolve(repoRoot, 'web/dist'),
    ...(level === 'debug' || level === 'info' || level === 'warn' || level === 'error' ? { logLevel: level } : {}),
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(JSON.stringify({ level: 'info', msg: 'shutting down', signal }));
    await portal.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'evidence-portal is running',
      url: portal.url,
      apiDocs: `${portal.url}/api/docs`,
      dataDir,
    }),
  );
  // Demo sign-in, as in README (also in <dataDir>/demo-credentials.json). Demo data never runs against AWS.
  console.log(
    JSON.stringify({
      level: 'info',
      msg: 'demo sign-in',
      admin: { email: 'admin@example.com', totpSecret: demoAdminTotpSecret },
      credentialsFile: resolve(dataDir, 'demo-credentials.json'),
    }),
  );
}

main().catch((error: unknown) => {
  if (error instanceof JavaMissingError || error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
