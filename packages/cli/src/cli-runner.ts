import { AsyncLocalStorage } from 'node:async_hooks';
import { Command, CommanderError } from 'commander';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The environment, passed in: only the composition root (main.ts) reads it. */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * One top-level command of `evidence` (a group such as `ledger`, or a single command such as `verify`).
 * `load` imports its module only when the command runs, so an offline verifier never loads AWS clients;
 * the import path is a literal so the single-file build (esbuild) can follow it.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<(io: CliIo) => Command>;
}

/** Exit codes: 0 success (or --help), 1 the work failed (invalid bundle, refused), 2 usage error. */
export const exitUsage = 2;

const outcome = new AsyncLocalStorage<{ code: number }>();

/**
 * Wraps a command's action: the handler resolves to the exit code. Use it for every `.action(...)` so
 * `runCli` returns what the command decided (commander itself ignores return values).
 */
export function action<A extends unknown[]>(
  handler: (...args: A) => Promise<number> | number,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const code = await handler(...args);
    const state = outcome.getStore();
    if (state) state.code = code;
  };
}

/** A usage error raised by a command after commander's own checks (e.g. a bad option combination). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The groups of the full CLI (the offline single-file build lists its own). */
export const commandEntries: CommandEntry[] = [
  {
    name: 'admin',
    summary: 'administer a deployment (bootstrap, publisher grant|list)',
    load: async () => (await import('./commands/admin.js')).adminCommand,
  },
  {
    name: 'ledger',
    summary: 'verify a ledger export or a proof document offline (verify, verify-proof)',
    load: async () => (await import('./commands/ledger.js')).ledgerCommand,
  },
];

/** Names of the full CLI's top-level commands. */
export const commandGroups: string[] = commandEntries.map((entry) => entry.name);

/**
 * Applied to every command of the tree: output goes to `io`, and commander throws instead of exiting
 * the process (tests and the local server run the CLI in-process).
 */
function configureTree(command: Command, io: CliIo): void {
  command.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).showHelpAfterError(true);
  for (const sub of command.commands) configureTree(sub, io);
}

export async function runCli(argv: string[], io: CliIo, entries: CommandEntry[] = commandEntries): Promise<number> {
  const program = new Command('evidence')
    .description('evidence-portal command line: verify bundles and ledgers offline, administer a deployment')
    .usage('<command> [options]');
  // Only the command being run is loaded; the others are listed by name and summary.
  const wanted = new Set(argv.slice(0, 2));
  for (const entry of entries) {
    program.addCommand(wanted.has(entry.name) ? (await entry.load())(io) : new Command(entry.name), {});
    const added = program.commands.at(-1);
    if (added && !added.description()) added.description(entry.summary);
  }
  configureTree(program, io);
  if (argv.length === 0) {
    io.stderr(program.helpInformation());
    return exitUsage;
  }
  return outcome.run({ code: 0 }, async () => {
    try {
      await program.parseAsync(argv, { from: 'user' });
      return outcome.getStore()?.code ?? 0;
    } catch (error) {
      if (error instanceof CommanderError) {
        // --help, `help <command>` and --version exit 0; every other parse failure is a usage error.
        return error.exitCode === 0 ? 0 : exitUsage;
      }
      const name = argv.find((arg) => !arg.startsWith('-')) ?? 'evidence';
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof UsageError) {
        io.stderr(`evidence ${name}: ${message}\n(run with --help for usage)\n`);
        return exitUsage;
      }
      io.stderr(`evidence ${name}: ${message}\n`);
      return 1;
    }
  });
}
