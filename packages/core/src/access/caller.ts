import type { LedgerActor } from '../ledger/ledger-writer.js';
import { systemActor } from '../organization/directory-deps.js';
import type { Logger } from '../ports/runtime.js';
import { actorOf } from './actor.js';
import type { Principal } from './principal.js';

/** Where a request came from, recorded with the acts that keep it (acceptances). */
export interface RequestOrigin {
  sourceIp?: string;
  userAgent?: string;
}

/**
 * Who calls a use case. Every use case takes one as its first argument and asks `authorize` about
 * it for the exact resource it touches:
 *
 * - `principal`: a signed-in user or assumed-role session (the API builds one per request);
 * - `system`: trusted code of the deployment acting for an organization (demo seed, bootstrap,
 *   jobs). It is never built from a request, and authorization does not apply to it.
 *
 * One caller per request is also where a per-request authorization context (the caller's policy set,
 * loaded once) belongs.
 */
export type Caller = PrincipalCaller | SystemCaller;

export interface PrincipalCaller {
  kind: 'principal';
  principal: Principal;
  origin: RequestOrigin;
  /** The request's logger: denials are logged with its request id. */
  logger?: Logger;
}

export interface SystemCaller {
  kind: 'system';
  /** The organization it acts for (a publisher's catalog, a customer's ledger). */
  orgId: string;
  /** The job or tool, as the ledger records it (`demo-seed`, `report-validation`). */
  name: string;
}

export const principalCaller = (
  principal: Principal,
  origin: RequestOrigin = {},
  logger?: Logger,
): PrincipalCaller => ({ kind: 'principal', principal, origin, ...(logger ? { logger } : {}) });

export const systemCaller = (orgId: string, name: string): SystemCaller => ({ kind: 'system', orgId, name });

/** The organization a caller acts in. */
export const orgOf = (caller: Caller): string => (caller.kind === 'system' ? caller.orgId : caller.principal.orgId);

/** Who the ledger records for the caller's acts. */
export const actorOfCaller = (caller: Caller): LedgerActor =>
  caller.kind === 'system' ? systemActor(caller.name) : actorOf(caller.principal);
