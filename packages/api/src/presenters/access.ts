import type {
  AnalyzedPrincipal,
  AuthorizationDecision,
  CredentialReportRow,
  CustomerPolicy,
  GuardrailAttachment,
  PolicyAttachment,
} from '@evidence-portal/core';
import { z } from '@hono/zod-openapi';

/** Response shapes of the access routes and their presenters (each lists its fields). */
export const PolicyDocumentSchema = z.record(z.string(), z.unknown()).openapi('PolicyDocument', {
  description: 'IAM-style: {"Version": "2012-10-17", "Statement": [...]} (docs/access-policies.md)',
});

export const PolicySchema = z
  .object({
    policyId: z.string(),
    name: z.string(),
    description: z.string(),
    document: PolicyDocumentSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CustomerPolicy');

export const presentPolicy = (policy: CustomerPolicy): z.infer<typeof PolicySchema> => ({
  policyId: policy.policyId,
  name: policy.name,
  description: policy.description,
  // A policy document is the user's own IAM-style JSON: answered as it was validated and stored.
  document: policy.document as unknown as Record<string, unknown>,
  createdAt: policy.createdAt,
  updatedAt: policy.updatedAt,
});

export const ManagedPolicySchema = z
  .object({ name: z.string(), description: z.string(), document: PolicyDocumentSchema })
  .openapi('ManagedPolicy');

export const AttachmentSchema = z
  .object({
    target: z.object({ type: z.enum(['user', 'group', 'role']), id: z.string() }),
    policyRef: z.string(),
    attachedAt: z.string(),
    expiresAt: z.string().optional(),
  })
  .openapi('PolicyAttachment');

export const presentAttachment = (attachment: PolicyAttachment): z.infer<typeof AttachmentSchema> => ({
  target: { type: attachment.target.type, id: attachment.target.id },
  policyRef: attachment.policyRef,
  attachedAt: attachment.attachedAt,
  expiresAt: attachment.expiresAt,
});

export const GuardrailSchema = z
  .object({ targetId: z.string(), policyRef: z.string(), attachedAt: z.string() })
  .openapi('GuardrailAttachment');

export const presentGuardrail = (guardrail: GuardrailAttachment): z.infer<typeof GuardrailSchema> => ({
  targetId: guardrail.targetId,
  policyRef: guardrail.policyRef,
  attachedAt: guardrail.attachedAt,
});

export const DecisionSchema = z
  .object({
    decision: z.enum(['Allow', 'ExplicitDeny', 'ImplicitDeny']),
    reason: z.string(),
    matchedStatements: z.array(
      z.object({
        policy: z.string(),
        sid: z.string().optional(),
        effect: z.enum(['Allow', 'Deny']),
        source: z.enum(['identity', 'guardrail']),
      }),
    ),
  })
  .openapi('SimulationResult');

export const presentDecision = (decision: AuthorizationDecision): z.infer<typeof DecisionSchema> => ({
  decision: decision.decision,
  reason: decision.reason,
  matchedStatements: decision.matchedStatements.map((statement) => ({
    policy: statement.policy,
    sid: statement.sid,
    effect: statement.effect,
    source: statement.source,
  })),
});

export const CredentialReportRowSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    accountId: z.string(),
    status: z.string(),
    passwordSet: z.boolean(),
    passwordChangedAt: z.string().nullable(),
    passwordAgeDays: z.number().int().nullable(),
    mfaEnabled: z.boolean(),
    lastSignInAt: z.string().nullable(),
    activeSessions: z.number().int(),
    accessKeys: z.array(
      z.object({
        accessKeyId: z.string(),
        status: z.enum(['Active', 'Inactive']),
        createdAt: z.string(),
        lastUsedAt: z.string().optional(),
        lastUsedService: z.string().optional(),
      }),
    ),
  })
  .openapi('CredentialReportRow');

export const presentCredentialRow = (row: CredentialReportRow): z.infer<typeof CredentialReportRowSchema> => ({
  userId: row.userId,
  email: row.email,
  accountId: row.accountId,
  status: row.status,
  passwordSet: row.passwordSet,
  passwordChangedAt: row.passwordChangedAt,
  passwordAgeDays: row.passwordAgeDays,
  mfaEnabled: row.mfaEnabled,
  lastSignInAt: row.lastSignInAt,
  activeSessions: row.activeSessions,
  accessKeys: row.accessKeys.map((key) => ({
    accessKeyId: key.accessKeyId,
    status: key.status,
    createdAt: key.createdAt,
    ...(key.lastUsedAt ? { lastUsedAt: key.lastUsedAt } : {}),
    ...(key.lastUsedService ? { lastUsedService: key.lastUsedService } : {}),
  })),
});

export const AnalyzedPrincipalSchema = z
  .object({ type: z.enum(['user', 'role']), id: z.string(), name: z.string(), accountId: z.string() })
  .openapi('AnalyzedPrincipal');

export const presentAnalyzedPrincipal = (principal: AnalyzedPrincipal): z.infer<typeof AnalyzedPrincipalSchema> => ({
  type: principal.type,
  id: principal.id,
  name: principal.name,
  accountId: principal.accountId,
});
