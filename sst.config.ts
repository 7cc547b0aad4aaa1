import type { SSTConfig } from 'sst';
import { portalStacks } from './stacks/index.js';

/** `npx sst deploy --stage sandbox` (docs/deploy.md). Stacks live in stacks/, one file per concern. */
export default {
  config(input) {
    return {
      name: 'evidence-portal',
      region: input.region ?? process.env.AWS_REGION ?? 'us-east-1',
    };
  },
  stacks(app) {
    portalStacks(app);
  },
} satisfies SSTConfig;
