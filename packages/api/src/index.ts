export { apiInfo, createApp, type PortalApp } from './app.js';
export type { AppEnv } from './app-env.js';
export { buildDeps } from './composition/build-deps.js';
export { buildJobs, type PortalJobs } from './composition/jobs.js';
export {
  createPdfWorkPool,
  type PdfWorkPool,
  type PdfWorkPoolOptions,
  type PdfWorkPoolStats,
} from './composition/pdf-work-pool.js';
export {
  ConfigError,
  type LocalStackEndpoints,
  loadConfig,
  localStackEnvironment,
  type PortalConfig,
} from './config.js';
export type { AppDeps } from './deps.js';
export { localStackFile, readLocalStackFile, removeLocalStackFile, writeLocalStackFile } from './local-stack-file.js';
export { createJsonLogger, silentLogger } from './logger.js';
export type { OriginSecrets } from './middleware/origin-verify.js';
export { originVerifyHeader } from './origin-verify-header.js';
export { type Problem, problem, problemContentType, problemFromError } from './problem.js';
