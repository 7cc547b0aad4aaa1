import { buildDeps, createApp, loadConfig } from '@evidence-portal/api';
import { handle } from 'hono/aws-lambda';

// Composition root for AWS: config is read and validated once per cold start; a bad deployment
// fails here with a message naming the variable, not on the first request.
const app = createApp(buildDeps(loadConfig(process.env)));

export const handler = handle(app);
