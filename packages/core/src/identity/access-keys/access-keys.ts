import type { Caller } from '../../access/caller.js';
import type { AccessKeyDeps } from './access-key-records.js';
import { createAccessKey } from './create-access-key.js';
import { accessKeysOf, deleteAccessKey, listAccessKeys, updateAccessKey } from './manage-access-keys.js';
import {
  issueSessionCredentials,
  resolveSessionCredentials,
  type SessionCredentialDeps,
  type SessionTokenInput,
} from './session-credentials.js';
import { createSigningCredentials, type SigningCredentials } from './signing-credentials.js';

type Input<F> = F extends (deps: AccessKeyDeps, caller: Caller, input: infer I) => unknown ? I : never;

/** The access-key use cases bound to their ports (built once by composePortal). */
export function createAccessKeys(deps: AccessKeyDeps & Partial<Pick<SessionCredentialDeps, 'users' | 'budgets'>>) {
  const signing = createSigningCredentials(deps);
  const sessionDeps = (): SessionCredentialDeps => {
    if (!deps.users || !deps.budgets) throw new Error('session credentials need the user directory and budgets');
    return { ...deps, users: deps.users, budgets: deps.budgets };
  };
  return {
    create: (caller: Caller, input: Input<typeof createAccessKey>) => createAccessKey(deps, caller, input),
    list: (caller: Caller, input: Input<typeof listAccessKeys>) => listAccessKeys(deps, caller, input),
    update: (caller: Caller, input: Input<typeof updateAccessKey>) => updateAccessKey(deps, caller, input),
    delete: (caller: Caller, input: Input<typeof deleteAccessKey>) => deleteAccessKey(deps, caller, input),
    /** A user's keys without asking (the credential report is authorized as a whole). */
    of: (orgId: string, userId: string) => accessKeysOf(deps, orgId, userId),
    signing,
    /** STS GetSessionToken, for a request signed with a long-term key (docs/artifact-api.md). */
    issueSessionCredentials: (signer: SigningCredentials, input: SessionTokenInput) =>
      issueSessionCredentials(sessionDeps(), signer, input),
    /** Temporary credentials by key id and session token (x-amz-security-token); undefined unless live. */
    resolveSessionCredentials: (accessKeyId: string, sessionToken: string) =>
      resolveSessionCredentials(deps, signing.resolve, accessKeyId, sessionToken),
  };
}

export type AccessKeys = ReturnType<typeof createAccessKeys>;
