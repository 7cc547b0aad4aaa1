import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localStack } from './support/context.js';

/** Listening sockets from /proc/net/tcp{,6}: "address:port" in readable form (state 0A = LISTEN). */
function listening(): Array<{ address: string; port: number }> {
  const out: Array<{ address: string; port: number }> = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [hex = '', portHex = '0'] = local.split(':');
      const port = Number.parseInt(portHex, 16);
      if (hex.length === 8) {
        const bytes = (hex.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16)).reverse();
        out.push({ address: bytes.join('.'), port });
      } else {
        // Four little-endian 32-bit words; ::ffff:a.b.c.d and ::1 are what loopback binds show as.
        const words = (hex.match(/.{8}/g) ?? []).map((word) => (word.match(/../g) ?? []).reverse().join(''));
        const full = words.join('').toLowerCase();
        const address =
          full === '0'.repeat(32)
            ? '::'
            : full === `${'0'.repeat(31)}1`
              ? '::1'
              : full.startsWith(`${'0'.repeat(20)}ffff`)
                ? `::ffff:${(full.slice(24).match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16)).join('.')}`
                : full;
        out.push({ address, port });
      }
    }
  }
  return out;
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

describe('local services listen on loopback only (issue 15, item 9)', () => {
  it('DynamoDB Local, the local KMS and the local S3 accept connections on 127.0.0.1 and nowhere else', () => {
    const info = localStack();
    const ports = [info.dynamodbEndpoint, info.kmsEndpoint, info.s3Endpoint].map((endpoint) =>
      Number(new URL(endpoint).port),
    );
    const sockets = listening();

    for (const port of ports) {
      const bound = sockets.filter((socket) => socket.port === port).map((socket) => socket.address);
      expect(bound.length, `something listens on ${port}`).toBeGreaterThan(0);
      expect(
        bound.filter((address) => !loopback.has(address)),
        `non-loopback listeners on ${port}`,
      ).toEqual([]);
    }
  });
});
