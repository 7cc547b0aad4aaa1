import type { Logger, Principal } from '@evidence-portal/core';
import type { AppDeps } from './deps.js';

/** Per-request values handlers can read with `c.get(...)`. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    /** Set by the authentication middleware when the request carries a valid session. */
    principal: Principal | undefined;
    /** Set by pages that carry an inline script (the API docs). */
    cspNonce: string;
  };
}
