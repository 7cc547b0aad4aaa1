// `npm run build:verifier [outfile]`: the auditor's single-file verifier (default dist/evidence-verify.mjs).
import { resolve } from 'node:path';
import { buildVerifier } from './build-verifier.js';

const outfile = resolve(process.argv[2] ?? 'dist/evidence-verify.mjs');
await buildVerifier(outfile);
process.stdout.write(`built ${outfile}\n`);
