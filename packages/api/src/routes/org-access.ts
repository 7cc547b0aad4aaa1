import {
  guardrailArn,
  managedPolicies,
  managedPolicyDescriptions,
  managedPolicyNames,
  NotFoundError,
  organizationArn,
  policyArn,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import {
  AnalyzedPrincipalSchema,
  AttachmentSchema,
  CredentialReportRowSchema,
  DecisionSchema,
  GuardrailSchema,
  ManagedPolicySchema,
  PolicySchema,
  presentAnalyzedPrincipal,
  presentAttachment,
  presentCredentialRow,
  presentDecision,
  presentGuardrail,
  presentPolicy,
} from '../presenters/access.js';
import { portalRoute } from '../route-definition.js';
import {
  accessRoute,
  actorOf,
  adminProblems,
  ItemsOf,
  json,
  jsonBody,
  pathParam,
  principalOf,
  readProblems,
  requireMayAttach,
  requireMayAttachGuardrail,
} from './org-route-support.js';

const organization = organizationArn('{orgId}');

const policyRef = z
  .string()
  .min(1)
  .max(128)
  .openapi({ description: 'A managed policy name (e.g. `ReportsReadOnly`) or a customer policy id (`p-…`)' });
const targetType = z.enum(['user', 'group', 'role']);

const routes = {
  listPolicies: portalRoute({
    method: 'get',
    path: '/org/policies',
    summary: 'Customer-managed and managed policies',
    ...accessRoute.reads(policyArn('{orgId}', '*'), {
      200: json('Policies', z.object({ items: z.array(PolicySchema), managed: z.array(ManagedPolicySchema) })),
    }),
  }),
  createPolicy: portalRoute({
    method: 'post',
    path: '/org/policies',
    summary: 'Create a customer-managed policy (validated: one error per problem)',
    request: jsonBody(
      z
        .object({ name: z.string().max(128), description: z.string().max(1024).optional(), document: z.unknown() })
        .strict()
        .openapi('NewPolicy'),
    ),
    ...accessRoute.changes(policyArn('{orgId}', '*'), { 201: json('Created', PolicySchema) }),
  }),
  getPolicy: portalRoute({
    method: 'get',
    path: '/org/policies/{policyId}',
    summary: 'One customer-managed policy',
    request: { params: z.object({ policyId: pathParam('policyId') }) },
    ...accessRoute.reads(policyArn('{orgId}', '{policyId}'), { 200: json('The policy', PolicySchema) }),
  }),
  listAttachments: portalRoute({
    method: 'get',
    path: '/org/attachments',
    summary: 'Policies attached to users, groups and roles (including time-boxed grants)',
    ...accessRoute.reads(policyArn('{orgId}', '*'), { 200: json('Attachments', ItemsOf(AttachmentSchema)) }),
  }),
  attach: portalRoute({
    method: 'post',
    path: '/org/attachments',
    summary: 'Attach a policy to a user, group or role; with expiresAt it is a time-boxed grant',
    request: jsonBody(
      z
        .object({
          targetType,
          targetId: z.string().max(128),
          policy: policyRef,
          expiresAt: z.iso.datetime({ offset: true }).optional(),
        })
        .strict()
        .openapi('NewAttachment'),
    ),
    ...accessRoute.changes(policyArn('{orgId}', '*'), { 201: json('Attached', AttachmentSchema) }),
  }),
  detach: portalRoute({
    method: 'delete',
    path: '/org/attachments/{targetType}/{targetId}/{policy}',
    summary: 'Detach a policy',
    request: {
      params: z.object({
        targetType: pathParam('targetType'),
        targetId: pathParam('targetId'),
        policy: pathParam('policy'),
      }),
    },
    ...accessRoute.changes(policyArn('{orgId}', '{policy}'), { 204: { description: 'Detached' } }),
  }),
  listGuardrails: portalRoute({
    method: 'get',
    path: '/org/guardrails',
    summary: 'Guardrails attached to the root, OUs and accounts',
    ...accessRoute.reads(guardrailArn('{orgId}', '*'), {
      200: json('Guardrail attachments', ItemsOf(GuardrailSchema)),
    }),
  }),
  attachGuardrail: portalRoute({
    method: 'post',
    path: '/org/guardrails',
    summary: 'Attach a guardrail to the root, an OU or an account',
    request: jsonBody(
      z
        .object({ targetId: z.string().max(128), policy: policyRef })
        .strict()
        .openapi('NewGuardrailAttachment'),
    ),
    ...accessRoute.changes(guardrailArn('{orgId}', '*'), { 201: json('Attached', GuardrailSchema) }),
  }),
  detachGuardrail: portalRoute({
    method: 'delete',
    path: '/org/guardrails/{targetId}/{policy}',
    summary: 'Detach a guardrail',
    request: { params: z.object({ targetId: pathParam('targetId'), policy: pathParam('policy') }) },
    ...accessRoute.changes(guardrailArn('{orgId}', '{policy}'), { 204: { description: 'Detached' } }),
  }),
  simulate: portalRoute({
    method: 'post',
    path: '/org/simulate',
    tags: ['Access'],
    summary: 'Policy simulator: would this user be allowed, and which statements decide?',
    authorization: { kind: 'action', action: 'portal:SimulatePolicy', resource: organization },
    request: jsonBody(
      z
        .object({
          principal: z.string().max(254).openapi({ description: 'Email or user id' }),
          action: z.string().max(128),
          resource: z.string().max(2048).openapi({ description: 'ARN or "*"' }),
          roleId: z.string().max(128).optional().openapi({ description: 'Simulate as this assumed role' }),
          mfaPresent: z.boolean().optional().openapi({ description: 'Default true' }),
          context: z
            .record(
              z.string().min(1).max(128),
              z.union([z.string().max(2048), z.number(), z.boolean(), z.array(z.string().max(2048)).max(50)]),
            )
            .refine((entries) => Object.keys(entries).length <= 50, 'at most 50 entries')
            .optional()
            .openapi({
              description:
                'Condition keys of the simulated request (e.g. `portal:ReportCategory`), as the AWS simulator takes context entries; they override the keys the portal fills from the principal',
            }),
        })
        .strict()
        .openapi('Simulation'),
    ),
    responses: {
      200: json('The decision', DecisionSchema),
      ...adminProblems,
    },
  }),
  credentialReport: portalRoute({
    method: 'get',
    path: '/org/credential-report',
    tags: ['Access'],
    summary: 'Per user: password age, MFA, last sign-in, active sessions',
    authorization: { kind: 'action', action: 'portal:GetCredentialReport', resource: organization },
    responses: {
      200: json('The report', ItemsOf(CredentialReportRowSchema).extend({ generatedAt: z.string() })),
      ...readProblems,
    },
  }),
  accessAnalysis: portalRoute({
    method: 'get',
    path: '/org/access-analysis',
    tags: ['Access'],
    summary: 'Which principals can perform an action on a resource',
    authorization: { kind: 'action', action: 'portal:AnalyzeAccess', resource: organization },
    request: {
      query: z.object({ action: z.string().min(1).max(128), resource: z.string().min(1).max(2048) }),
    },
    responses: {
      200: json('Principals allowed', ItemsOf(AnalyzedPrincipalSchema)),
      ...adminProblems,
    },
  }),
};

export function organizationAccessRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  const policies = (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) => c.get('deps').policies;

  app.openapi(routes.listPolicies, async (c) => {
    const items = await policies(c).listPolicies(principalOf(c).orgId);
    const managed = managedPolicyNames.map((name) => ({
      name,
      description: managedPolicyDescriptions[name],
      document: managedPolicies[name] as unknown as Record<string, unknown>,
    }));
    return c.json({ items: items.map(presentPolicy), managed }, 200);
  });
  app.openapi(routes.createPolicy, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    const policy = await policies(c).createPolicy(
      caller.orgId,
      {
        name: input.name,
        ...(input.description !== undefined ? { description: input.description } : {}),
        document: input.document,
      },
      actorOf(caller),
    );
    return c.json(presentPolicy(policy), 201);
  });
  app.openapi(routes.getPolicy, async (c) => {
    const policy = await policies(c).getPolicy(principalOf(c).orgId, c.req.valid('param').policyId);
    return c.json(presentPolicy(policy), 200);
  });
  app.openapi(routes.listAttachments, async (c) =>
    c.json({ items: (await policies(c).listAttachments(principalOf(c).orgId)).map(presentAttachment) }, 200),
  );
  app.openapi(routes.attach, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    const target = { type: input.targetType, id: input.targetId };
    await requireMayAttach(c, { target, policyRef: input.policy, handsOut: true });
    const attachment = await policies(c).attach(
      caller.orgId,
      { type: input.targetType, id: input.targetId },
      input.policy,
      actorOf(caller),
      input.expiresAt ? { expiresAt: input.expiresAt } : {},
    );
    return c.json(presentAttachment(attachment), 201);
  });
  app.openapi(routes.detach, async (c) => {
    const caller = principalOf(c);
    const { targetType: type, targetId, policy } = c.req.valid('param');
    const parsed = targetType.safeParse(type);
    if (!parsed.success) throw new NotFoundError('No such attachment.');
    await requireMayAttach(c, { target: { type: parsed.data, id: targetId }, policyRef: policy, handsOut: false });
    await policies(c).detach(caller.orgId, { type: parsed.data, id: targetId }, policy, actorOf(caller));
    return c.body(null, 204);
  });
  app.openapi(routes.listGuardrails, async (c) =>
    c.json({ items: (await policies(c).listGuardrails(principalOf(c).orgId)).map(presentGuardrail) }, 200),
  );
  app.openapi(routes.attachGuardrail, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    await requireMayAttachGuardrail(c, input.targetId, input.policy);
    const guardrail = await policies(c).attachGuardrail(caller.orgId, input.targetId, input.policy, actorOf(caller));
    return c.json(presentGuardrail(guardrail), 201);
  });
  app.openapi(routes.detachGuardrail, async (c) => {
    const caller = principalOf(c);
    const { targetId, policy } = c.req.valid('param');
    await requireMayAttachGuardrail(c, targetId, policy);
    await policies(c).detachGuardrail(caller.orgId, targetId, policy, actorOf(caller));
    return c.body(null, 204);
  });
  app.openapi(routes.simulate, async (c) => {
    const caller = principalOf(c);
    const input = c.req.valid('json');
    const decision = await c.get('deps').access.simulate(caller.orgId, {
      principal: input.principal,
      action: input.action,
      resource: input.resource,
      ...(input.roleId !== undefined ? { roleId: input.roleId } : {}),
      ...(input.mfaPresent !== undefined ? { mfaPresent: input.mfaPresent } : {}),
      ...(input.context !== undefined ? { context: input.context } : {}),
    });
    return c.json(presentDecision(decision), 200);
  });
  app.openapi(routes.credentialReport, async (c) => {
    const deps = c.get('deps');
    const items = await deps.credentialReport(principalOf(c).orgId);
    return c.json({ items: items.map(presentCredentialRow), generatedAt: deps.clock.now().toISOString() }, 200);
  });
  app.openapi(routes.accessAnalysis, async (c) => {
    const { action, resource } = c.req.valid('query');
    const items = await c.get('deps').access.analyze(principalOf(c).orgId, action, resource);
    return c.json({ items: items.map(presentAnalyzedPrincipal) }, 200);
  });
  return app;
}
