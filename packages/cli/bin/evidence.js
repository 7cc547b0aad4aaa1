#!/usr/bin/env node
// The `evidence` CLI runs from TypeScript sources through tsx, like the rest of the workspace.
import { register } from 'tsx/esm/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../src/main.ts');
