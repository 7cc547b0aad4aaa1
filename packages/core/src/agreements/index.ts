export { type AcceptInput, acceptBody, acceptInput } from './accept.js';
export { type AcceptanceInput, acceptanceInput, type HistoryInput, historyInput } from './acceptance-history.js';
export type { ScopeTarget } from './acceptance-targets.js';
export type { AgreementDeps } from './agreement-deps.js';
export { type AgreementErrorCode, agreementErrors } from './agreement-errors.js';
export { instantField } from './agreement-inputs.js';
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
export { type Agreements, createAgreements } from './agreements.js';
export {
  type CoverageAnswer,
  type CoverageInput,
  type CoverageMatrix,
  coverageInput,
  type MatrixInput,
  matrixInput,
} from './coverage.js';
export { type CreateAgreementInput, createAgreementInput } from './create-agreement.js';
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
export { type AcceptNdaInput, acceptNdaBody, acceptNdaInput, type NdaInput, type NdaStep, ndaInput } from './nda.js';
export { type PublishRevisionInput, publishRevisionBody, publishRevisionInput } from './publish-revision.js';
export { type AgreementInput, agreementInput, type RevisionInput, revisionInput } from './read-agreements.js';
export { type TerminateInput, type Termination, terminateBody, terminateInput } from './terminate.js';
