import { describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/cli-runner.js';
import { freshTable, localEnvironment } from '../support/app.js';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env } };
}

describe('evidence admin bootstrap', () => {
  it('creates the first organization and admin once, printing a one-time password; a second run changes nothing', async () => {
    const env = localEnvironment({ PORTAL_TABLE_NAME: await freshTable(), LOG_LEVEL: 'error' });
    const first = io(env);
    const second = io(env);

    const firstCode = await runCli(
      ['admin', 'bootstrap', '--org', 'First Corp', '--email', 'root@first.example'],
      first.io,
    );
    const secondCode = await runCli(
      ['admin', 'bootstrap', '--org', 'Again', '--email', 'again@first.example'],
      second.io,
    );

    expect(firstCode).toBe(0);
    expect(first.out.join('')).toMatch(/One-time password: +[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}/);
    expect(first.out.join('')).toMatch(/Management account: +\d{12}/);
    expect(secondCode).toBe(1);
    expect(second.err.join('')).toMatch(/already bootstrapped/);
  });

  it('explains its usage when arguments are missing', async () => {
    const run = io({});

    const code = await runCli(['admin', 'bootstrap', '--org', 'Only'], run.io);

    expect(code).toBe(2);
    expect(run.err.join('')).toMatch(/usage: evidence admin bootstrap/i);
  });
});
