import { accessErrors, identityErrors, organizationErrors } from '@evidence-portal/core';
import { problemsFor } from '../schemas.js';

const problem = problemsFor([organizationErrors, accessErrors, identityErrors]);

export { actorOf } from '@evidence-portal/core';
export { ItemsOf, json, jsonBody, pathParam, principalOf } from '../route-kit.js';

/** The authorization declaration of an access-administration route (resource from `access/resources.ts`). */
export const accessDeclaration = (action: 'portal:DescribeAccess' | 'portal:ManageAccess', resource: string) =>
  ({ kind: 'action', action, resource }) as const;

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
