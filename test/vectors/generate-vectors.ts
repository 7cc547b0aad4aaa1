// Regenerates the committed test vectors of docs/evidence-bundle-format.md (run once per format
// version: `npx tsx test/vectors/generate-vectors.ts`). The keys are test-only and new each run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testAuditorKey, testBundle, testSigningKey } from '../evidence/bundle-kit.js';

const dir = import.meta.dirname;
const key = testSigningKey();
const auditor = testAuditorKey();
const { plaintext, ciphertext } = await testBundle({ key, auditor, bundleId: 'eb-example', orgId: 'o-example' });
writeFileSync(join(dir, 'example.bundle'), ciphertext);
writeFileSync(join(dir, 'example.tar'), plaintext);
writeFileSync(join(dir, 'auditor-private.pem'), auditor.privateKeyPem);
writeFileSync(join(dir, 'signing-public.pem'), key.key.pem);
process.stdout.write(`signing key ${key.key.fingerprint}\nauditor key ${auditor.fingerprint}\n`);
