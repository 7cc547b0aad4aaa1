import type { Caller } from '../access/caller.js';
import type { LedgerEntry } from '../ledger/ledger-writer.js';
import { type AcceptInput, accept } from './accept.js';
import { type AcceptanceInput, acceptanceHistory, getAcceptance, type HistoryInput } from './acceptance-history.js';
import { readCatalog } from './agreement-catalog.js';
import type { AgreementDeps } from './agreement-deps.js';
import type { AcceptanceView, Agreement, RevisionSummary } from './agreement-records.js';
import {
  type CoverageAnswer,
  type CoverageInput,
  type CoverageMatrix,
  coverage,
  coverageMatrix,
  type MatrixInput,
} from './coverage.js';
import { type CreateAgreementInput, createAgreement } from './create-agreement.js';
import { accountJoined, accountLeft } from './membership-changes.js';
import { type AcceptNdaInput, acceptNda, type NdaInput, type NdaStep, nda } from './nda.js';
import { type PublishRevisionInput, publishRevision } from './publish-revision.js';
import {
  type AgreementInput,
  getAgreement,
  listAgreements,
  type RevisionInput,
  revisionText,
} from './read-agreements.js';
import { type TerminateInput, type Termination, terminate } from './terminate.js';

/**
 * The agreements module: one use case per file, each `(caller, input)`, each asking `authorize` for
 * the resource it touches. This facade only binds them to their dependencies (composition builds it
 * once); it also is the organization module's membership listener.
 */
export interface Agreements {
  list(caller: Caller): Promise<Agreement[]>;
  /**
   * The catalog without asking: it is the same for every organization, and every use case that reads
   * or acts on one of its agreements asks `authorize` for it. For resolving aliases (the Artifact API).
   */
  catalog(): Promise<Agreement[]>;
  get(caller: Caller, input: AgreementInput): Promise<Agreement>;
  create(caller: Caller, input: CreateAgreementInput): Promise<Agreement>;
  publishRevision(caller: Caller, input: PublishRevisionInput): Promise<RevisionSummary>;
  revisionText(caller: Caller, input: RevisionInput): ReturnType<typeof revisionText>;
  nda(caller: Caller, input: NdaInput): Promise<NdaStep>;
  acceptNda(caller: Caller, input: AcceptNdaInput): Promise<{ acceptedAt: string }>;
  accept(caller: Caller, input: AcceptInput): Promise<AcceptanceView>;
  terminate(caller: Caller, input: TerminateInput): Promise<Termination>;
  history(caller: Caller, input: HistoryInput): Promise<AcceptanceView[]>;
  acceptance(caller: Caller, input: AcceptanceInput): Promise<AcceptanceView>;
  coverage(caller: Caller, input: CoverageInput): Promise<CoverageAnswer>;
  matrix(caller: Caller, input: MatrixInput): Promise<CoverageMatrix>;
  onAccountJoined(orgId: string, accountId: string, at: string): Promise<void>;
  onAccountLeft(orgId: string, accountId: string, at: string, joinedAt?: string): Promise<LedgerEntry[]>;
}

export function createAgreements(deps: AgreementDeps): Agreements {
  return {
    list: (caller) => listAgreements(deps, caller),
    catalog: () => readCatalog(deps.store),
    get: (caller, input) => getAgreement(deps, caller, input),
    create: (caller, input) => createAgreement(deps, caller, input),
    publishRevision: (caller, input) => publishRevision(deps, caller, input),
    revisionText: (caller, input) => revisionText(deps, caller, input),
    nda: (caller, input) => nda(deps, caller, input),
    acceptNda: (caller, input) => acceptNda(deps, caller, input),
    accept: (caller, input) => accept(deps, caller, input),
    terminate: (caller, input) => terminate(deps, caller, input),
    history: (caller, input) => acceptanceHistory(deps, caller, input),
    acceptance: (caller, input) => getAcceptance(deps, caller, input),
    coverage: (caller, input) => coverage(deps, caller, input),
    matrix: (caller, input) => coverageMatrix(deps, caller, input),
    onAccountJoined: (orgId, accountId, at) => accountJoined(deps, orgId, accountId, at),
    onAccountLeft: (orgId, accountId, at, joinedAt) => accountLeft(deps, orgId, accountId, at, joinedAt),
  };
}
