import { resolve } from 'node:path';
import { buildDeps, loadConfig, readLocalStackFile } from '@evidence-portal/api';
import { ConflictError, systemCaller, ValidationError } from '@evidence-portal/core';
import { Command } from 'commander';
import { action, type CliIo, exitUsage } from '../cli-runner.js';

const bootstrapHelp = `
Creates the first organization, its management account and its administrator in an empty
deployment (the one the PORTAL_* environment points at: local stack or an AWS stage), and prints a
one-time password. The first sign-in must replace it and enrol MFA. Refuses to run twice.`;

/** Input the use case refused is a usage error (exit 2) naming each field; anything else is not this command's to answer. */
function usageOnInvalid(io: CliIo, command: string, error: unknown): number {
  if (!(error instanceof ValidationError)) throw error;
  io.stderr(`evidence admin ${command}: ${error.errors.map((e) => `${e.path} ${e.message}`).join('; ')}\n`);
  return exitUsage;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The deployment a command talks to: the `PORTAL_*` environment when given (an AWS stage, or any
 * stack), else the local portal running on `PORTAL_DATA_DIR` (default `.data`), whose `npm start`
 * wrote its stack's endpoints there (the ports change every start).
 */
export function deploymentEnvironment(env: CliIo['env']): CliIo['env'] {
  if (env.PORTAL_TABLE_NAME !== undefined) return env;
  const dataDir = resolve(env.PORTAL_DATA_DIR ?? '.data');
  const local = readLocalStackFile(dataDir);
  if (!local) {
    throw new Error(
      `no deployment to talk to: set the PORTAL_* environment of a stage, or start the local portal (npm start) on ${dataDir}`,
    );
  }
  return { ...local, ...env };
}

const deploymentDeps = (io: CliIo) => buildDeps(loadConfig(deploymentEnvironment(io.env)));

export function adminCommand(io: CliIo): Command {
  const admin = new Command('admin').description(
    'administer a deployment (bootstrap, organization create, publisher grant|list, report-aliases)',
  );

  admin
    .command('bootstrap')
    .description('create the first organization and its administrator (once per deployment)')
    .requiredOption('--org <name>', 'organization name')
    .requiredOption('--email <email>', "the administrator's email")
    .option('--name <name>', "the administrator's display name")
    .option('--json', 'print the result as JSON')
    .addHelpText('after', bootstrapHelp)
    .action(
      action(async (options: { org: string; email: string; name?: string; json?: boolean }) => {
        const deps = deploymentDeps(io);
        try {
          const result = await deps.bootstrap({
            orgName: options.org,
            adminEmail: options.email,
            ...(options.name ? { adminName: options.name } : {}),
          });
          if (options.json) {
            io.stdout(
              `${JSON.stringify({
                orgId: result.organization.orgId,
                orgName: result.organization.name,
                managementAccountId: result.organization.managementAccountId,
                adminEmail: result.adminEmail,
                adminUserId: result.adminUserId,
                oneTimePassword: result.oneTimePassword,
              })}\n`,
            );
            return 0;
          }
          io.stdout(
            [
              `Organization:        ${result.organization.name} (${result.organization.orgId})`,
              `Management account:  ${result.organization.managementAccountId}`,
              `Administrator:       ${result.adminEmail} (${result.adminUserId})`,
              `One-time password:   ${result.oneTimePassword}`,
              '',
              `Sign in to organization ${result.organization.orgId} with it once (POST /api/session with "newPassword"); then enrol MFA (POST /api/me/mfa).`,
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
          return usageOnInvalid(io, 'bootstrap', error);
        }
      }),
    );

  // Onboarding with the deployment's own credentials; signed-in operators use POST /api/organizations.
  const organization = admin.command('organization').description('onboard customer organizations');
  organization
    .command('create')
    .description('create another customer organization and its administrator (prints a one-time password)')
    .requiredOption('--name <name>', 'organization name')
    .requiredOption('--email <email>', "its administrator's email")
    .option('--admin-name <name>', "the administrator's display name")
    .option('--json', 'print the result as JSON')
    .action(
      action(async (options: { name: string; email: string; adminName?: string; json?: boolean }) => {
        const deps = deploymentDeps(io);
        try {
          const result = await deps.onboardOrganization(
            systemCaller('deployment', 'evidence admin organization create'),
            {
              name: options.name,
              adminEmail: options.email,
              ...(options.adminName ? { adminName: options.adminName } : {}),
            },
          );
          io.stdout(
            options.json
              ? `${JSON.stringify({
                  orgId: result.organization.orgId,
                  orgName: result.organization.name,
                  managementAccountId: result.organization.managementAccountId,
                  adminEmail: result.adminEmail,
                  adminUserId: result.adminUserId,
                  oneTimePassword: result.oneTimePassword,
                })}\n`
              : [
                  `Organization:        ${result.organization.name} (${result.organization.orgId})`,
                  `Management account:  ${result.organization.managementAccountId}`,
                  `Administrator:       ${result.adminEmail} (${result.adminUserId})`,
                  `One-time password:   ${result.oneTimePassword}`,
                  '',
                  `Sign in to organization ${result.organization.orgId} with it once, setting a new password; then enrol MFA.`,
                  'It is shown only now.',
                  '',
                ].join('\n'),
          );
          return 0;
        } catch (error) {
          return usageOnInvalid(io, 'organization create', error);
        }
      }),
    );

  // Publisher grants with the deployment's own credentials (like bootstrap): how a vendor organization
  // becomes a publisher without a console, or how a deployment bootstrapped before grants existed gets
  // its operator. Signed-in operators use PUT /api/publishers/{orgId} instead.
  const publisher = admin.command('publisher').description('grant or list report publishers');
  publisher
    .command('grant')
    .description('make an organization a publisher: the operator, or a vendor for its companies')
    .requiredOption('--org <orgId>', 'the organization id')
    .option('--operator', 'the portal operator (publishes anything, manages grants)')
    .option('--company <name>', 'a company whose reports it may publish (repeatable)', collect)
    .option('--json', 'print the grant as JSON')
    .action(
      action(async (options: { org: string; operator?: boolean; company?: string[]; json?: boolean }) => {
        const companies = options.company ?? [];
        if (!options.operator && companies.length === 0) {
          io.stderr('evidence admin publisher grant: give --operator or at least one --company\n');
          io.stderr(publisher.commands[0]?.helpInformation() ?? '');
          return exitUsage;
        }
        const grant = await deploymentDeps(io).reports.publishers.grantFromDeployment(options.org, {
          operator: options.operator === true,
          companies,
        });
        io.stdout(
          options.json
            ? `${JSON.stringify({ orgId: grant.orgId, operator: grant.operator, companies: grant.companies })}\n`
            : `Publisher grant for ${grant.orgId}: ${grant.operator ? 'operator (publishes anything, manages grants)' : `vendor for ${grant.companies.join(', ')}`}\n`,
        );
        return 0;
      }),
    );
  publisher
    .command('list')
    .description('list publisher grants')
    .option('--json', 'print the grants as JSON Lines')
    .action(
      action(async (options: { json?: boolean }) => {
        const grants = await deploymentDeps(io).reports.publishers.listFromDeployment();
        for (const grant of grants) {
          io.stdout(
            options.json
              ? `${JSON.stringify({ orgId: grant.orgId, operator: grant.operator, companies: grant.companies })}\n`
              : `${grant.orgId}\t${grant.operator ? 'operator' : `vendor: ${grant.companies.join(', ')}`}\n`,
          );
        }
        return 0;
      }),
    );
  // Reports created before their Artifact alias items existed (docs/artifact-api.md, Ids): one-off, idempotent.
  admin
    .command('report-aliases')
    .description('write the Artifact API alias items of reports created before they were stored (idempotent)')
    .action(
      action(async () => {
        const written = await deploymentDeps(io).reports.backfillAliases();
        io.stdout(`Report alias items written: ${written}\n`);
        return 0;
      }),
    );
  return admin;
}
