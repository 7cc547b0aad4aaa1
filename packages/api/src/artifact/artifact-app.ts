import { Hono } from 'hono';
import type { AppEnv } from '../app-env.js';
import { artifactAccountSettings } from './artifact-account-settings.js';
import { artifactAgreementFlow } from './artifact-agreement-flow.js';
import { artifactAgreementOperations } from './artifact-agreement-operations.js';
import { artifactAuthentication } from './artifact-authentication.js';
import { ArtifactError, artifactErrorResponse, toArtifactError } from './artifact-errors.js';
import { artifactReportOperations } from './artifact-report-operations.js';
import { artifactTagOperations } from './artifact-tag-operations.js';

/** Where the Artifact-compatible API is served on the portal's own host (`endpoint_url=…/artifact`). */
export const artifactBasePath = '/artifact';

/**
 * The AWS Artifact API (botocore's artifact/2018-05-10 model: rest-json, SigV4 signing name
 * `artifact`): every request is authenticated by its signature first, then the operation calls the
 * same use cases, and asks the same `authorize`, as the portal's own routes. Errors are Artifact's
 * (`x-amzn-ErrorType` + `{message}`), never problem+json. See docs/artifact-api.md.
 */
export function artifactApp() {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => toArtifactError(error, c));
  app.use('*', artifactAuthentication());
  app.route('/', artifactReportOperations());
  app.route('/', artifactAgreementOperations());
  app.route('/', artifactAgreementFlow());
  app.route('/', artifactAccountSettings());
  app.route('/', artifactTagOperations());
  app.all('*', () =>
    artifactErrorResponse(new ArtifactError('UnknownOperationException', 'No such Artifact operation.')),
  );
  return app;
}
