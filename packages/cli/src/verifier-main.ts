/**
 * Entry of the auditor's single-file verifier (`npm run build:verifier` bundles it with esbuild into one
 * JavaScript file for plain `node` >= 20): the offline commands only, no AWS client, no environment.
 */
import { runProgram } from './cli-program.js';
import { offlineCommandEntries } from './offline-commands.js';

const code = await runProgram(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: {},
    ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
  },
  offlineCommandEntries,
);
process.exitCode = code;
