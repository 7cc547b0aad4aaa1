import type { CommandEntry } from './cli-program.js';

/** The commands an auditor runs with no deployment (the single-file verifier holds only these). */
export const offlineCommandEntries: CommandEntry[] = [
  {
    name: 'verify',
    summary: 'verify an evidence bundle offline (decrypt, digests, signature, ledger proofs, expiry)',
    load: async () => (await import('./commands/bundle.js')).verifyCommand,
  },
  {
    name: 'decrypt',
    summary: 'decrypt an evidence bundle offline with your RSA private key',
    load: async () => (await import('./commands/bundle.js')).decryptCommand,
  },
  {
    name: 'inspect',
    summary: 'show what an evidence bundle holds, for whom, until when',
    load: async () => (await import('./commands/bundle.js')).inspectCommand,
  },
];
