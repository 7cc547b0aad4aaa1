import type { Logger, Principal, SigningCredentials, User } from '@evidence-portal/core';
import type { AppDeps } from './deps.js';

/** Per-request values handlers can read with `c.get(...)`. */
export interface AppEnv {
  Variables: {
    deps: AppDeps;
    requestId: string;
    logger: Logger;
    /** Set by the authentication middleware when the request carries a valid session. */
    principal: Principal | undefined;
    /** The signed-in user as the session check read it (consistently), so no handler reads it again. */
    sessionUser?: User;
    /** Set by the SigV4 authentication of /artifact (and its STS endpoint): the key that signed the request. */
    signer?: SigningCredentials;
    /** Set by pages that carry an inline script (the API docs). */
    cspNonce: string;
  };
}
