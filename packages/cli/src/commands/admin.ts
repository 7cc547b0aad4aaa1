import { buildDeps, loadConfig } from '@evidence-portal/api';
import { ConflictError, ValidationError } from '@evidence-portal/core';
import type { CliIo } from '../cli-runner.js';

export const summary = 'administer a deployment (bootstrap --org NAME --email EMAIL [--name "Admin Name"])';

const usage = `usage: evidence admin bootstrap --org NAME --email EMAIL [--name "Admin Name"]

Creates the first organization, its management account and its administrator in an empty
deployment (the one the PORTAL_* environment points at: local stack or an AWS stage), and prints a
one-time password. The first sign-in must replace it and enrol MFA. Refuses to run twice.
`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'bootstrap') {
    io.stderr(usage);
    return 2;
  }
  const orgName = option(rest, '--org');
  const email = option(rest, '--email');
  const adminName = option(rest, '--name');
  if (!orgName || !email) {
    io.stderr(usage);
    return 2;
  }
  const deps = buildDeps(loadConfig(io.env));
  try {
    const result = await deps.bootstrap({
      orgName,
      adminEmail: email,
      ...(adminName ? { adminName } : {}),
    });
    io.stdout(
      [
        `Organization:        ${result.organization.name} (${result.organization.orgId})`,
        `Management account:  ${result.organization.managementAccountId}`,
        `Administrator:       ${result.adminEmail} (${result.adminUserId})`,
        `One-time password:   ${result.oneTimePassword}`,
        '',
        'Sign in with it once (POST /api/session with "newPassword"); then enrol MFA (POST /api/me/mfa).',
        'It is shown only now.',
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof ConflictError) {
      io.stderr('evidence admin bootstrap: this deployment is already bootstrapped; nothing was changed.\n');
      return 1;
    }
    if (error instanceof ValidationError) {
      io.stderr(`evidence admin bootstrap: ${error.errors.map((e) => `${e.path} ${e.message}`).join('; ')}\n`);
      return 2;
    }
    throw error;
  }
}
