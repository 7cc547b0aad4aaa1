export { type BundleSource, openBundle, verifyBundleFile } from './bundle/open-bundle.js';
export { type CliIo, runCli } from './cli-runner.js';
export { useSecondThread } from './commands/ledger.js';
export { seedDemoAgreements } from './demo-agreements.js';
export { seedDemoReports } from './demo-reports.js';
export {
  type DemoSeedDeps,
  type DemoSeedResult,
  demoAdminTotpSecret,
  exampleCorpSeed,
  type OrganizationSeed,
  type OrganizationSeedDeps,
  portalOperatorSeed,
  seedDemoData,
  seedOrganization,
  writeDemoCredentials,
} from './demo-seed.js';
export { workerRangePass } from './ledger/worker-range-pass.js';
