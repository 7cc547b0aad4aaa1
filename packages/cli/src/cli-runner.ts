import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The environment, passed in: only the composition root (main.ts) reads it. */
  env: Readonly<Record<string, string | undefined>>;
}

/** A command group module: `src/commands/<group>.ts`. */
export interface CommandGroup {
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const commandsDir = join(import.meta.dirname, 'commands');

/** Groups present on disk (each file in src/commands is one). */
export const commandGroups: string[] = ['admin', 'bundle', 'ledger', 'seed'].filter((name) =>
  existsSync(join(commandsDir, `${name}.ts`)),
);

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [group, ...rest] = argv;
  if (!group || group === '--help' || group === '-h' || group === 'help') {
    const lines = await Promise.all(
      commandGroups.map(async (name) => {
        const module = (await import(join(commandsDir, `${name}.ts`))) as CommandGroup;
        return `  ${name.padEnd(10)} ${module.summary}`;
      }),
    );
    io.stdout(`usage: evidence <group> <command> [options]\n\n${lines.join('\n')}\n`);
    return group ? 0 : 2;
  }
  if (!commandGroups.includes(group)) {
    io.stderr(`evidence: unknown command group '${group}' (try: ${commandGroups.join(', ') || 'none yet'})\n`);
    return 2;
  }
  const module = (await import(join(commandsDir, `${group}.ts`))) as CommandGroup;
  try {
    return await module.run(rest, io);
  } catch (error) {
    io.stderr(`evidence ${group}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
