import { buildDeps, loadConfig } from '@evidence-portal/api';
import { ConflictError, ValidationError } from '@evidence-portal/core';
import type { CliIo } from '../cli-runner.js';

export const summary =
  'administer a deployment (bootstrap --org NAME --email EMAIL [--name "Admin Name"]; publisher grant|list)';

const usage = `usage: evidence admin bootstrap --org NAME --email EMAIL [--name "Admin Name"]
       evidence admin publisher grant --org ORG_ID (--operator | --company NAME [--company NAME ...])
       evidence admin publisher list

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
  if (command === 'publisher') return publisher(rest, io);
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

/**
 * Publisher grants with the deployment's own credentials (like bootstrap): how a vendor organization
 * becomes a publisher without a console, or how a deployment bootstrapped before grants existed gets
 * its operator. Signed-in operators use PUT /api/publishers/{orgId} instead.
 */
async function publisher(args: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'list') {
    const grants = await buildDeps(loadConfig(io.env)).reports.publishers.listFromDeployment();
    for (const grant of grants) {
      io.stdout(`${grant.orgId}\t${grant.operator ? 'operator' : `vendor: ${grant.companies.join(', ')}`}\n`);
    }
    return 0;
  }
  const orgId = option(rest, '--org');
  const operator = rest.includes('--operator');
  const companies = rest.flatMap((arg, i) => (arg === '--company' && rest[i + 1] ? [String(rest[i + 1])] : []));
  if (command !== 'grant' || !orgId || (!operator && companies.length === 0)) {
    io.stderr(usage);
    return 2;
  }
  const grant = await buildDeps(loadConfig(io.env)).reports.publishers.grantFromDeployment(orgId, {
    operator,
    companies,
  });
  io.stdout(
    `Publisher grant for ${grant.orgId}: ${grant.operator ? 'operator (publishes anything, manages grants)' : `vendor for ${grant.companies.join(', ')}`}\n`,
  );
  return 0;
}
