import { portalActions, UnauthenticatedError } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { baseRequestContext, expandResource } from '../middleware/authorization-gate.js';
import { portalRoute } from '../route-definition.js';
import { json, jsonBody } from '../route-kit.js';
import { problemResponse } from '../schemas.js';

const maxQuestions = 50;

const QuestionSchema = z
  .object({
    // An enum, so the generated client carries the catalog (the console's simulator lists it).
    action: z.enum(portalActions as [string, ...string[]]).openapi({
      example: 'portal:ManageOrganization',
      description: 'An action of the catalog (docs/access-policies.md)',
    }),
    resource: z
      .string()
      .min(1)
      .max(2048)
      .regex(/^(?:[^{}]|\{orgId\}|\{accountId\})*$/, 'only {orgId} and {accountId} may be filled in')
      .openapi({
        description: 'A resource ARN; `{orgId}` and `{accountId}` are filled in from the caller, as route gates do',
        example: 'arn:portal:{orgId}::organization',
      }),
    context: z
      .object({ 'portal:ReportCategory': z.string().max(100), 'portal:ReportSeries': z.string().max(100) })
      .partial()
      .strict()
      .optional()
      .openapi({ description: 'Condition keys the routes add from the object (a report’s category and series)' }),
  })
  .strict()
  .openapi('PermissionQuestion');

const AnswerSchema = z
  .object({
    action: z.string(),
    resource: z.string().openapi({ description: 'The resource asked about, filled in' }),
    allowed: z.boolean(),
    decision: z.enum(['Allow', 'ExplicitDeny', 'ImplicitDeny']),
    reason: z.string(),
  })
  .openapi('PermissionAnswer');

const route = portalRoute({
  method: 'post',
  path: '/permissions',
  tags: ['Session'],
  summary: 'May I do X on Y? The same policy evaluation as every route, for a list of questions',
  description:
    'Answers each {action, resource} for the caller’s own session (assumed role and MFA state included) with ' +
    'the evaluation `authorize` runs, without its side effects: asking records nothing in the ledger. ' +
    'The console shows or hides actions from these answers; the routes still ask for themselves. ' +
    'Rules outside policies (MFA for agreements, the management account for org-wide acts) are answered by the act.',
  authorization: { kind: 'session', reason: 'a caller asks only about their own permissions' },
  request: jsonBody(
    z
      .object({ questions: z.array(QuestionSchema).min(1).max(maxQuestions) })
      .strict()
      .openapi('PermissionQuestions'),
  ),
  responses: {
    200: json('One answer per question, in order', z.object({ items: z.array(AnswerSchema) }).openapi('Permissions')),
    400: problemResponse('Invalid questions: `errors` lists each problem'),
    401: problemResponse('No session'),
  },
});

export function permissionRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(route, async (c) => {
    const principal = c.get('principal');
    if (!principal) throw new UnauthenticatedError('Sign in first.');
    const evaluate = c.get('deps').permissionQuestions();
    const base = baseRequestContext(c);
    const items = await Promise.all(
      c.req.valid('json').questions.map(async (question) => {
        const resource = expandResource(question.resource, principal, {});
        const decision = await evaluate(principal, question.action, resource, { ...base, ...question.context });
        return {
          action: question.action,
          resource,
          allowed: decision.decision === 'Allow',
          decision: decision.decision,
          reason: decision.reason,
        };
      }),
    );
    return c.json({ items }, 200);
  });
  return app;
}
