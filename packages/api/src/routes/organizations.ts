import {
  accessErrors,
  identityErrors,
  onboardOrganizationInput,
  organizationArn,
  organizationErrors,
  reportErrors,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { askedByUseCase, portalRoute } from '../route-definition.js';
import { callUseCase, json, jsonBody } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([organizationErrors, accessErrors, identityErrors, reportErrors]);

const OnboardedSchema = z
  .object({
    organization: z.object({ orgId: z.string(), name: z.string(), managementAccountId: z.string() }),
    adminUserId: z.string(),
    adminEmail: z.string(),
    oneTimePassword: z
      .string()
      .openapi({ description: 'Shown once: the admin signs in with it, sets a new password and enrols MFA' }),
  })
  .openapi('OnboardedOrganization');

const onboardRoute = portalRoute({
  method: 'post',
  path: '/organizations',
  tags: ['Organization'],
  summary: 'Onboard another customer organization with its first administrator (portal operator only)',
  authorization: askedByUseCase('portal:CreateOrganization', organizationArn('{orgId}')),
  request: jsonBody(onboardOrganizationInput),
  responses: {
    201: json('The organization and its administrator’s one-time password', OnboardedSchema),
    400: problem(400, 'Invalid input'),
    401: problem(401, 'No session'),
    403: problem(403, 'Not allowed, or not the portal operator organization (`not_the_operator`)'),
  },
});

/** Deployment-level administration by the portal operator organization. */
export function organizationOnboardingRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(onboardRoute, async (c) => {
    const input = c.req.valid('json');
    const result = await callUseCase(c, { rest: 'body' }, (caller) => c.get('deps').onboardOrganization(caller, input));
    c.header('Cache-Control', 'no-store');
    return c.json(
      {
        organization: {
          orgId: result.organization.orgId,
          name: result.organization.name,
          managementAccountId: result.organization.managementAccountId,
        },
        adminUserId: result.adminUserId,
        adminEmail: result.adminEmail,
        oneTimePassword: result.oneTimePassword,
      },
      201,
    );
  });
  return app;
}
