import {
  accessErrors,
  directoryKeys,
  type GrantCheckDeps,
  guardrailArn as guardrailArnOf,
  identityErrors,
  organizationErrors,
  organizationNodeArn,
  type PolicyDocument,
  type PrincipalTarget,
  policyArn as policyArnOf,
  principalArn,
  requireMayGrant,
} from '@evidence-portal/core';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { callerOf } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([organizationErrors, accessErrors, identityErrors]);

export { actorOf } from '@evidence-portal/core';
export { ItemsOf, json, jsonBody, pathParam, principalOf } from '../route-kit.js';

/** Responses every admin route can give. */
export const adminProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the policy decision says why)'),
  404: problem(404, 'No such object in this organization'),
  409: problem(409, 'Conflicts with the current state'),
};

export const readProblems = {
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed'),
  404: problem(404, 'No such object in this organization'),
};

/**
 * The administration routes' one rule: reading (`portal:Describe…`) answers the read problems, changing
 * (`portal:Manage…`) the admin problems, and the route declares that action on the exact resource.
 */
function administration(tag: string, describe: `portal:${string}`, manage: `portal:${string}`) {
  const declare = <const R extends object, const P extends object>(
    action: `portal:${string}`,
    resource: string,
    responses: R,
    problems: P,
  ) => ({
    tags: [tag],
    authorization: { kind: 'action', action, resource } as const,
    responses: { ...responses, ...problems },
  });
  return {
    reads: <const R extends object>(resource: string, responses: R) =>
      declare(describe, resource, responses, readProblems),
    changes: <const R extends object>(resource: string, responses: R) =>
      declare(manage, resource, responses, adminProblems),
  };
}

/** Access administration (users, groups, roles, policies, attachments, guardrails). */
export const accessRoute = administration('Access', 'portal:DescribeAccess', 'portal:ManageAccess');
/** Organization administration (the tree, OUs, accounts), asked on the organization. */
export const organizationRoute = administration(
  'Organization',
  'portal:DescribeOrganization',
  'portal:ManageOrganization',
);

function grantCheckDeps(c: Context<AppEnv>): GrantCheckDeps {
  const deps = c.get('deps');
  return { authorizer: deps.authorizer, evaluate: deps.permissionQuestions(), now: () => deps.clock.now() };
}

/** The documents a policy reference stands for (a managed name or a customer id); unknown ones are the store's 404. */
async function documentsOf(c: Context<AppEnv>, orgId: string, refs: string[]): Promise<PolicyDocument[]> {
  const resolved = await c.get('deps').policies.resolve(orgId, refs);
  return refs.flatMap((ref) => {
    const policy = resolved.get(ref);
    return policy ? [policy.document] : [];
  });
}

/**
 * Attaching or detaching a policy: asked on the policy and on the target principal; an attachment hands
 * the policy out, so it may not exceed the caller's own rights (access/grant-checks.ts).
 */
export async function requireMayAttach(
  c: Context<AppEnv>,
  input: { target: PrincipalTarget; policyRef: string; handsOut: boolean },
): Promise<void> {
  const caller = callerOf(c);
  const { orgId } = caller.principal;
  await requireMayGrant(grantCheckDeps(c), caller, {
    policyArn: policyArnOf(orgId, input.policyRef),
    targetArns: [principalArn(orgId, input.target)],
    ...(input.handsOut ? { handsOut: await documentsOf(c, orgId, [input.policyRef]) } : {}),
  });
}

/** A guardrail only narrows: asked on the guardrail and on the node (root, OU or account) it is attached to. */
export async function requireMayAttachGuardrail(c: Context<AppEnv>, nodeId: string, policyRef: string): Promise<void> {
  const caller = callerOf(c);
  const { orgId } = caller.principal;
  const org = await c.get('deps').store.get(directoryKeys.org(orgId));
  const rootId = typeof org?.rootId === 'string' ? org.rootId : '';
  await requireMayGrant(grantCheckDeps(c), caller, {
    policyArn: guardrailArnOf(orgId, policyRef),
    targetArns: [organizationNodeArn(orgId, rootId, nodeId)],
  });
}

/** A time-boxed role grant hands out the role's policies to the user: asked on the role and the user. */
export async function requireMayGrantRole(c: Context<AppEnv>, userId: string, roleId: string): Promise<void> {
  const caller = callerOf(c);
  const { orgId } = caller.principal;
  const attached = await c.get('deps').policies.attachmentsOf(orgId, { type: 'role', id: roleId });
  await requireMayGrant(grantCheckDeps(c), caller, {
    policyArn: principalArn(orgId, { type: 'role', id: roleId }),
    targetArns: [principalArn(orgId, { type: 'user', id: userId })],
    handsOut: await documentsOf(
      c,
      orgId,
      attached.map((a) => a.policyRef),
    ),
  });
}
