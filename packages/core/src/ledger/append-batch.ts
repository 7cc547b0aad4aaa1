import type { ItemValue, WriteOp } from '../ports/store.js';
import type { LedgerActor, LedgerAppendInput, LedgerEntry } from './ledger-writer.js';

/**
 * Group commit. Appends to one organization from this process queue up while a transaction is in
 * flight, and the next transaction carries as many as fit: one head advance and one check of the
 * entry the head names, then each entry, its token and the act's own writes. With one conditional
 * head per organization, racing writers otherwise retry each other into the ground (measured: 4
 * appends/s with 200 writers); batched, they share each round trip. Writers in other processes still
 * race on the head condition and retry.
 */
export interface PendingAppend {
  input: LedgerAppendInput;
  details: Record<string, ItemValue>;
  /** The actor as the body records it (absent optional members left out). */
  actor: LedgerActor;
  token: string;
  alsoWrite: readonly WriteOp[];
  /** A write carrying this token may already have happened: read the token before writing again. */
  checkToken: boolean;
  resolve(entry: LedgerEntry): void;
  reject(error: unknown): void;
}

/** Operations per transaction (DynamoDB's limit is 100), and a bound on its bytes (limit 4 MB). */
export const maxOpsPerTransaction = 100;
const maxBytesPerTransaction = 2 * 1024 * 1024;
/**
 * The head advance, then either the check of the entry the head names or, for a ledger's first
 * append (no head, nothing to check), the registry put: two either way, so an act keeps 96 writes.
 */
export const sharedOpsPerTransaction = 2;

/** Operations a member adds: its entry, its token, its act's writes. */
export function opsOf(member: PendingAppend): number {
  return 2 + member.alsoWrite.length;
}

/** The items an act writes, as `pk\u0000sk`: DynamoDB refuses a transaction touching one item twice. */
function itemsOf(member: PendingAppend): string[] {
  return member.alsoWrite.map((op) => {
    const key = op.kind === 'put' ? op.item : op.key;
    return `${key.pk}\u0000${key.sk}`;
  });
}

/**
 * The next members to commit together: room for the shared operations, within the byte budget, and
 * no item written twice (the same token, or two acts writing one item, e.g. two acceptances of one
 * agreement). A member that would collide waits for the next transaction, keeping its place.
 */
export function takeBatch(queue: PendingAppend[]): PendingAppend[] {
  const batch: PendingAppend[] = [];
  const items = new Set<string>();
  let ops = sharedOpsPerTransaction;
  let bytes = 0;
  for (let i = 0; i < queue.length; ) {
    const member = queue[i]!;
    const size =
      member.input.subject.length +
      JSON.stringify(member.details).length +
      (member.alsoWrite.length > 0 ? JSON.stringify(member.alsoWrite).length : 0) +
      1024;
    const written = [`token\u0000${member.token}`, ...itemsOf(member)];
    if (written.some((item) => items.has(item))) {
      i++;
      continue;
    }
    if (batch.length > 0 && (ops + opsOf(member) > maxOpsPerTransaction || bytes + size > maxBytesPerTransaction)) {
      break;
    }
    batch.push(member);
    for (const item of written) items.add(item);
    ops += opsOf(member);
    bytes += size;
    queue.splice(i, 1);
  }
  return batch;
}
