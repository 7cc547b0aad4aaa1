import type { Caller } from '../access/caller.js';
import type { EvidenceBundle } from './bundle-records.js';
import { type BundleDownload, downloadBundle } from './download-bundle.js';
import type { EvidenceDeps } from './evidence-deps.js';
import { type BundleIdInput, getBundle, listBundles } from './read-bundles.js';
import { type RequestExportInput, requestExport } from './request-export.js';

/**
 * The evidence bundles module: one use case per file, each `(caller, input)` asking `authorize` for
 * the bundle it touches; `export` is the job's (system) side. Composition builds this facade once.
 */
export interface EvidenceBundles {
  request(caller: Caller, input: RequestExportInput): Promise<EvidenceBundle>;
  get(caller: Caller, input: BundleIdInput): Promise<EvidenceBundle>;
  list(caller: Caller): Promise<EvidenceBundle[]>;
  download(caller: Caller, input: BundleIdInput): Promise<BundleDownload>;
  /** Builds one queued bundle (the export job). */
  export(job: { orgId: string; bundleId: string }): Promise<EvidenceBundle>;
  /** After a restart of a runtime without a durable queue: queued bundles resumed, running ones failed. */
  recover(
    organizations: AsyncIterable<string>,
    resume: (job: { orgId: string; bundleId: string }) => Promise<void>,
  ): Promise<{ resumed: number; interrupted: number }>;
}

export function createEvidenceBundles(deps: EvidenceDeps): EvidenceBundles {
  return {
    request: (caller, input) => requestExport(deps, caller, input),
    get: (caller, input) => getBundle(deps, caller, input),
    list: (caller) => listBundles(deps, caller),
    download: (caller, input) => downloadBundle(deps, caller, input),
    // The job's side is loaded by the job only: the API's cold start does not carry it (stacks/api-bundle.test.ts).
    export: async (job) => (await import('./export-bundle.js')).exportBundle(deps, job),
    recover: async (organizations, resume) =>
      (await import('./export-bundle.js')).recoverExports(deps, organizations, resume),
  };
}
