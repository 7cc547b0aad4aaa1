import { z } from 'zod';
import { agreementTypes } from './agreement-records.js';

/**
 * The fields agreements use cases take, each rule written once. Use cases build their input schemas
 * from these; routes reuse those schemas for the request and the OpenAPI document.
 */
export const agreementIdField = z.string().min(1).max(256);
export const accountIdField = z.string().regex(/^\d{12}$/, 'must be 12 digits');
export const scopeField = z.enum(['account', 'organization']);
export const revisionIdField = z.string().min(1).max(128);
export const agreementTypeField = z.enum(agreementTypes);
export const sha256Field = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');
export const isoDateField = z
  .string()
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be a date (YYYY-MM-DD)',
  )
  .meta({ format: 'date' });
/** An ISO 8601 instant; absent means now. */
export const instantField = z
  .string()
  .max(64)
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date-time',
  );

/** Account scope names an account (default: the caller's own); organization scope names none. */
export function organizationScopeOmitsAccount(
  value: { scope: 'account' | 'organization'; accountId?: string | undefined },
  context: z.RefinementCtx,
): void {
  if (value.scope === 'organization' && value.accountId !== undefined) {
    context.addIssue({ code: 'custom', path: ['accountId'], message: 'omit it for organization scope' });
  }
}

/** The body of an acceptance or termination: the target, and for an acceptance the revision. */
export const scopeFields = {
  scope: scopeField,
  accountId: accountIdField.optional(),
};
