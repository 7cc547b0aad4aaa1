import { AspectPriority, Aspects } from 'aws-cdk-lib';
import type { App } from 'sst/constructs';
import { Api, ApiGateway } from './api.js';
import { Data } from './data.js';
import { Jobs } from './jobs.js';
import { Keys } from './keys.js';
import { Monitoring } from './monitoring.js';
import { SstInternalsSuppressions } from './nag-suppressions.js';
import { createWafStack } from './waf.js';
import { Web } from './web.js';

/**
 * Every stack of the portal, in dependency order. The API shell precedes CloudFront (which routes
 * /api/* to it) and the API function follows it (its PORTAL_SITE_ORIGIN is CloudFront's domain).
 */
export function portalStacks(app: App): void {
  app.stack(Keys);
  app.stack(Monitoring);
  createWafStack(app);
  app.stack(ApiGateway);
  app.stack(Web, { crossRegionReferences: true });
  app.stack(Data);
  app.stack(Jobs);
  app.stack(Api);
  Aspects.of(app).add(new SstInternalsSuppressions(), { priority: AspectPriority.MUTATING });
}
