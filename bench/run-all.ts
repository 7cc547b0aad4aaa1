/**
 * `npm run bench`: every benchmark in bench/, one after another in its own process (each starts its own
 * loopback stack where it needs one). Each prints its figures and a ratio against a baseline measured in
 * the same run; this runner adds nothing but the order and a summary of exit codes.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const benchDir = import.meta.dirname;
const benches = readdirSync(benchDir)
  .filter((name) => name.endsWith('.ts') && name !== 'run-all.ts')
  .sort();

const results: Array<{ bench: string; code: number | null }> = [];
for (const bench of benches) {
  console.log(`\n=== ${bench} ===`);
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(benchDir, bench)], { stdio: 'inherit' });
    child.on('exit', (exitCode) => done(exitCode));
  });
  results.push({ bench, code });
}
console.log('\n=== summary ===');
for (const { bench, code } of results) console.log(`${bench}: ${code === 0 ? 'ok' : `exit ${code}`}`);
process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
