/**
 * `evidence <group> <command> [args]`: each command group lives in src/commands/<group>.ts and exports
 * `run(args, io)`; groups are loaded on demand so an offline verifier never loads AWS clients.
 */
import { runCli } from './cli-runner.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
});
process.exitCode = code;
