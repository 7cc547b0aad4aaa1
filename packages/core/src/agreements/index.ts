export { agreementKeys } from './agreement-keys.js';
export {
  type AcceptanceRecord,
  type AcceptanceTarget,
  type AcceptanceView,
  type Agreement,
  type AgreementType,
  agreementTypes,
  type RevisionSummary,
} from './agreement-records.js';
export {
  type AgreementDeps,
  AgreementService,
  type CoverageMatrix,
  type RequestOrigin,
  type ScopeTarget,
} from './agreement-service.js';
export {
  type AcceptanceFact,
  type AcceptanceScope,
  type Coverage,
  type CoverageFacts,
  effectiveCoverage,
  latestRevisionAt,
  type MembershipInterval,
  type RevisionFact,
} from './effective-coverage.js';
export {
  type JoinLookup,
  ledgerJoinLookup,
  type MembershipHistory,
  StoreMembershipHistory,
} from './membership-history.js';
