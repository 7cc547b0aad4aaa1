import { agreementErrors } from '@evidence-portal/core';
import { problemsFor } from '../../schemas.js';

const problem = problemsFor([agreementErrors]);

/** Problem responses of the agreements routes, each with the codes its status may carry. */
export const readProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the detail says why)'),
  404: problem(404, 'No such object in this organization'),
};

export const writeProblems = {
  ...readProblems,
  409: problem(409, 'Conflicts with the current state (not the latest revision, already accepted, ...)'),
};
