import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { action, type CommandEntry, runCli, UsageError } from './cli-runner.js';

async function cli(args: string[], entries?: CommandEntry[]) {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), env: {} };
  const code = await runCli(args, io, entries);
  return { code, stdout, stderr };
}

const loaded: string[] = [];
const entries: CommandEntry[] = [
  {
    name: 'greet',
    summary: 'say hello',
    load: async () => {
      loaded.push('greet');
      return (io) =>
        new Command('greet')
          .argument('<name>')
          .option('--json')
          .action(
            action((name: string, options: { json?: boolean }) => {
              if (name === 'nobody') throw new UsageError('greet someone');
              if (name === 'fail') throw new Error('it broke');
              io.stdout(options.json ? `${JSON.stringify({ hello: name })}\n` : `hello ${name}\n`);
              return name === 'grumpy' ? 1 : 0;
            }),
          );
    },
  },
  {
    name: 'other',
    summary: 'never loaded here',
    load: async () => {
      loaded.push('other');
      return () => new Command('other');
    },
  },
];

describe('evidence command runner (commander)', () => {
  it('runs the named command only, returning the exit code its action decided', async () => {
    const ok = await cli(['greet', 'ada', '--json'], entries);
    const grumpy = await cli(['greet', 'grumpy'], entries);

    expect(ok).toMatchObject({ code: 0, stdout: '{"hello":"ada"}\n' });
    expect(grumpy.code).toBe(1);
    expect(loaded).not.toContain('other');
  });

  it('answers --help with 0, and usage errors (missing argument, unknown option or command) with 2', async () => {
    const help = await cli(['--help'], entries);
    const commandHelp = await cli(['greet', '--help'], entries);
    const nothing = await cli([], entries);
    const missing = await cli(['greet'], entries);
    const unknownOption = await cli(['greet', 'ada', '--loud'], entries);
    const unknownCommand = await cli(['gret'], entries);
    const refused = await cli(['greet', 'nobody'], entries);

    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/greet +say hello/);
    expect(help.stdout).toMatch(/other +never loaded here/);
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain('Usage: evidence greet [options] <name>');
    expect(nothing.code).toBe(2);
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain("missing required argument 'name'");
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--loud'");
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toContain("unknown command 'gret'");
    expect(refused).toMatchObject({ code: 2 });
    expect(refused.stderr).toContain('greet someone');
  });

  it('reports a failure of the work with exit 1 and its message, never a stack trace', async () => {
    const failed = await cli(['greet', 'fail'], entries);

    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('evidence greet: it broke\n');
  });

  it('lists the real groups', async () => {
    const help = await cli(['--help']);

    expect(help.stdout).toMatch(/admin +administer a deployment/);
    expect(help.stdout).toMatch(/ledger +verify a ledger export/);
  });
});
