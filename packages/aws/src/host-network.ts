import { promises as dns } from 'node:dns';
import { networkInterfaces } from 'node:os';
import type { HostAddresses, HostResolver } from '@evidence-portal/core';

/**
 * The machine's own addresses (every interface that is not loopback), read at each check: a Lambda's or a
 * laptop's interfaces can change while it runs. The webhook SSRF guard refuses them like private ones.
 */
export const systemHostAddresses: HostAddresses = {
  own: () =>
    Object.values(networkInterfaces())
      .flatMap((list) => list ?? [])
      .filter((entry) => !entry.internal)
      .map((entry) => entry.address),
};

/** The system resolver with a ceiling: a name that does not resolve in time answers no address. */
export function systemHostResolver(timeoutMs = 3000): HostResolver {
  return {
    async resolve(hostname) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<readonly string[]>((resolve) => {
        timer = setTimeout(() => resolve([]), timeoutMs);
      });
      const lookup = dns
        .lookup(hostname, { all: true, verbatim: true })
        .then((found) => found.map((entry) => entry.address))
        .catch(() => [] as string[]);
      try {
        return await Promise.race([lookup, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
