import type { Caller } from '../../access/caller.js';
import type { AccessKeyDeps } from './access-key-records.js';
import { createAccessKey } from './create-access-key.js';
import { accessKeysOf, deleteAccessKey, listAccessKeys, updateAccessKey } from './manage-access-keys.js';
import { createSigningCredentials } from './signing-credentials.js';

type Input<F> = F extends (deps: AccessKeyDeps, caller: Caller, input: infer I) => unknown ? I : never;

/** The access-key use cases bound to their ports (built once by composePortal). */
export function createAccessKeys(deps: AccessKeyDeps) {
  return {
    create: (caller: Caller, input: Input<typeof createAccessKey>) => createAccessKey(deps, caller, input),
    list: (caller: Caller, input: Input<typeof listAccessKeys>) => listAccessKeys(deps, caller, input),
    update: (caller: Caller, input: Input<typeof updateAccessKey>) => updateAccessKey(deps, caller, input),
    delete: (caller: Caller, input: Input<typeof deleteAccessKey>) => deleteAccessKey(deps, caller, input),
    /** A user's keys without asking (the credential report is authorized as a whole). */
    of: (orgId: string, userId: string) => accessKeysOf(deps, orgId, userId),
    signing: createSigningCredentials(deps),
  };
}

export type AccessKeys = ReturnType<typeof createAccessKeys>;
