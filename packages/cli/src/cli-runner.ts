import { type CliIo, type CommandEntry, runProgram } from './cli-program.js';
import { offlineCommandEntries } from './offline-commands.js';

export { action, type CliIo, type CommandEntry, exitUsage, UsageError } from './cli-program.js';

/** The groups of the full CLI (the offline single-file build lists its own). */
export const commandEntries: CommandEntry[] = [
  {
    name: 'admin',
    summary: 'administer a deployment (bootstrap, organization create, publisher grant|list)',
    load: async () => (await import('./commands/admin.js')).adminCommand,
  },
  ...offlineCommandEntries,
  {
    name: 'ledger',
    summary: 'verify a ledger export or a proof document offline (verify, verify-proof)',
    load: async () => (await import('./commands/ledger.js')).ledgerCommand,
  },
];

/** Names of the full CLI's top-level commands. */
export const commandGroups: string[] = commandEntries.map((entry) => entry.name);

export function runCli(argv: string[], io: CliIo, entries: readonly CommandEntry[] = commandEntries): Promise<number> {
  return runProgram(argv, io, entries);
}
