import { AccessService } from './access/access-service.js';
import type { Caller } from './access/caller.js';
import { type CredentialReportRow, credentialReport } from './access/credential-report.js';
import { PolicyStore } from './access/policy-store.js';
import type { AuthorizationDecision, Authorizer, Principal, RequestContext } from './access/principal.js';
import { type Agreements, createAgreements } from './agreements/agreements.js';
import { ledgerJoinLookup, StoreMembershipHistory } from './agreements/membership-history.js';
import {
  createEvidenceBundles,
  defaultEvidenceSettings,
  type EvidenceBundles,
  type EvidenceDeps,
  type EvidenceSettings,
  type ExportQueue,
} from './evidence/index.js';
import { type AccessKeys, createAccessKeys } from './identity/access-keys/access-keys.js';
import type { AccountMailDeps } from './identity/account-mail.js';
import { attemptBudgets, type BudgetKind, type BudgetLimit } from './identity/attempt-budget.js';
import { defaultSessionSettings, SessionService, type SessionSettings } from './identity/session-service.js';
import { UserDirectory } from './identity/user-directory.js';
import type { Ledger } from './ledger/ledger.js';
import type { LedgerWriter } from './ledger/ledger-writer.js';
import { type BootstrapResult, bootstrapDeployment } from './organization/bootstrap.js';
import { type OnboardOrganizationInput, onboardOrganization } from './organization/onboard-organization.js';
import { OrganizationService } from './organization/organization-service.js';
import type { BlobStore } from './ports/blob-store.js';
import type { Keyring, Signer } from './ports/crypto.js';
import type { Clock, IdGenerator, Logger } from './ports/runtime.js';
import type { Store } from './ports/store.js';
import { ReportService, type ReportServiceDeps } from './reports/report-service.js';
import { agreementTaggables, reportTaggables } from './tags/catalog-resources.js';
import { createTaggableResourceRegistry } from './tags/taggable-resources.js';
import { createResourceTagging, type ResourceTagging } from './tags/tags.js';

/** The adapters a runtime hands to core; everything else is built from them, here, once. */
export interface PortalPorts {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  blobs: BlobStore;
  /** The data key (envelope encryption): access-key secrets are stored encrypted with it. */
  keyring?: Keyring;
  /** The organization ledger (built by the ledger module over the same store): appends, and the join lookup. */
  ledger: LedgerWriter & Pick<Ledger, 'list'> & Partial<Pick<Ledger, 'latestCheckpoint' | 'inclusionProofDocuments'>>;
  logger: Logger;
  /** Invitation and password-reset mail; absent: tokens are issued but not mailed (seeding, tests). */
  mail?: AccountMailDeps;
  /** Replaces the access module's decisions everywhere they are asked (route tests of other subjects). */
  authorizer?: Authorizer;
  session?: Partial<SessionSettings>;
  /**
   * Evidence bundles: the signing key, the envelope keyring and the export queue. Absent (tests of
   * other modules): the evidence use cases refuse to run.
   */
  evidencePorts?: { signer: Signer; keyring: Keyring; queue: ExportQueue; settings?: Partial<EvidenceSettings> };
  /** Attempt budgets of sign-in, MFA and password reset (tests shrink them). */
  budgetLimits?: Partial<Record<BudgetKind, BudgetLimit>>;
  /** Report limits and lifetimes (tests shrink them). */
  reportOptions?: Pick<
    ReportServiceDeps,
    | 'maxReportBytes'
    | 'termTokenTtlSeconds'
    | 'uploadUrlTtlSeconds'
    | 'downloadUrlTtlSeconds'
    | 'watermarkFont'
    | 'pdfWork'
  >;
}

/** Every use case of the portal, wired to its adapters and to the listeners of other modules. */
export interface Portal {
  /** The one authorization question (the access module, unless the ports replaced it). */
  authorizer: Authorizer;
  /** Access administration: simulator, access analysis, identity policies. */
  access: AccessService;
  /** The organization tree; account joins and departures reach the agreements module. */
  organizations: OrganizationService;
  users: UserDirectory;
  sessions: SessionService;
  policies: PolicyStore;
  agreements: Agreements;
  reports: ReportService;
  /** Signed, encrypted evidence bundles: requests, reads, downloads, and the export job. */
  evidence: EvidenceBundles;
  /** Users' SigV4 access keys and the verifier's side of them. */
  accessKeys: AccessKeys;
  /** Per-organization tags on reports, agreements and every other registered resource type. */
  tags: ResourceTagging;
  credentialReport(orgId: string): Promise<CredentialReportRow[]>;
  /**
   * Side-effect-free decisions for one request's questions (the permissions endpoint): the access
   * module's evaluation without ledgered denials, on the principal's policy set loaded once; or the
   * replacing authorizer's answers when the ports gave one.
   */
  permissionQuestions(): (
    principal: Principal,
    action: string,
    resource: string,
    context: RequestContext,
  ) => Promise<AuthorizationDecision>;
  /** The first organization and administrator of an empty deployment. */
  bootstrap(input: { orgName: string; adminEmail: string; adminName?: string }): Promise<BootstrapResult>;
  /** The portal operator onboards another customer organization (operator-only, `portal:CreateOrganization`). */
  onboardOrganization(caller: Caller, input: OnboardOrganizationInput): Promise<BootstrapResult>;
}

/**
 * The composition of core: the only place (with the runtimes' `buildDeps`) that constructs services.
 * Every runtime — the Lambda API, each job, `npm start`, the CLI, the demo seed — gets the same
 * wiring from here, so a listener wired once (account departures ending agreement coverage) is never
 * skipped by one of them.
 */
export function composePortal(ports: PortalPorts): Portal {
  const { store, clock, ids, ledger, logger } = ports;
  const directory = { store, clock, ids, ledger };
  // Account joins and departures reach the agreements module (coverage, CoverageLost) from every
  // runtime; the agreements use cases in turn ask the access module, which reads the organization.
  let agreements: Agreements | undefined;
  const organizations = new OrganizationService({
    ...directory,
    membership: {
      onAccountJoined: (orgId, accountId, at) => (agreements as Agreements).onAccountJoined(orgId, accountId, at),
      onAccountLeft: (orgId, accountId, at, joinedAt) =>
        (agreements as Agreements).onAccountLeft(orgId, accountId, at, joinedAt),
    },
  });
  const budgets = attemptBudgets(store, clock, ports.budgetLimits);
  const users = new UserDirectory({ ...directory, budgets, ...(ports.mail ? { mail: ports.mail } : {}) });
  const policies = new PolicyStore(directory);
  const access = new AccessService({ ...directory, logger, policies });
  const authorizer = ports.authorizer ?? access;
  agreements = createAgreements({
    ...directory,
    membership: new StoreMembershipHistory(store, ledgerJoinLookup(ledger)),
    authorizer,
    blobs: ports.blobs,
  });
  const sessions = new SessionService(
    { ...directory, users, policies, budgets },
    { ...defaultSessionSettings, ...ports.session },
  );
  const reports = new ReportService({ ...directory, blobs: ports.blobs, authorizer, ...ports.reportOptions });
  const evidence = composeEvidence(ports, { authorizer, agreements, reports, organizations });
  const accessKeys = createAccessKeys({
    ...directory,
    authorizer,
    users,
    budgets,
    ...(ports.keyring ? { keyring: ports.keyring } : {}),
  });
  // Taggable resource types: one per module that owns one (a new module registers its own here).
  const tags = createResourceTagging({
    store,
    ledger,
    authorizer,
    resources: createTaggableResourceRegistry([reportTaggables(reports), agreementTaggables(store)]),
  });
  return {
    authorizer,
    access,
    evidence,
    tags,
    organizations,
    users,
    sessions,
    policies,
    agreements,
    reports,
    accessKeys,
    credentialReport: (orgId) => credentialReport({ users, sessions, clock, accessKeys }, orgId),
    permissionQuestions: () => {
      const replaced = ports.authorizer;
      if (replaced) return (...question) => replaced.authorize(...question);
      // One request's questions share the principal's policy set, loaded once (AuthorizationContexts).
      return (principal, action, resource, context) => access.evaluate(principal, action, resource, context);
    },
    bootstrap: (input) => bootstrapDeployment({ ...directory, organizations, users }, input),
    onboardOrganization: (caller, input) =>
      onboardOrganization(
        {
          ...directory,
          organizations,
          users,
          authorizer,
          requireOperator: (orgId) => reports.publishers.requireOperator(orgId),
        },
        caller,
        input,
      ),
  };
}

function composeEvidence(
  ports: PortalPorts,
  modules: {
    authorizer: Authorizer;
    agreements: Agreements;
    reports: ReportService;
    organizations: OrganizationService;
  },
): EvidenceBundles {
  const { evidencePorts: evidence, ledger } = ports;
  if (!evidence || !ledger.latestCheckpoint || !ledger.inclusionProofDocuments) {
    const missing = () => Promise.reject(new Error('Evidence bundles are not composed in this runtime'));
    return { request: missing, get: missing, list: missing, download: missing, export: missing, recover: missing };
  }
  return createEvidenceBundles({
    store: ports.store,
    clock: ports.clock,
    ids: ports.ids,
    ledger: ledger as EvidenceDeps['ledger'],
    authorizer: modules.authorizer,
    blobs: ports.blobs,
    signer: evidence.signer,
    keyring: evidence.keyring,
    queue: evidence.queue,
    agreements: modules.agreements,
    reports: modules.reports,
    organizations: modules.organizations,
    logger: ports.logger,
    settings: { ...defaultEvidenceSettings, ...evidence.settings },
  });
}
