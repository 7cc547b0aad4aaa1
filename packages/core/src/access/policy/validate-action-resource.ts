import { isArtifactActionPattern } from './artifact-vocabulary.js';
import { didYouMean } from './closest-name.js';
import { variableProblems, withPlaceholders } from './policy-variables.js';
import { portalActions } from './portal-actions.js';
import { describeArnPatternProblem } from './portal-arn.js';
import type { Collector } from './validation-collector.js';
import { hasWildcard, wildcardMatch } from './wildcard-match.js';

/** How a statement's Action and Resource entries are checked: known portal (or mapped Artifact) actions, ARN shapes. */

const lowerActions = new Map(portalActions.map((action) => [action.toLowerCase(), action]));

export function checkAction(action: string, path: string, out: Collector): void {
  if (action === '*') return;
  const colon = action.indexOf(':');
  if (colon < 0) {
    out.add(
      path,
      `"${action}" is not an action: write service:Action, e.g. portal:GetReport${didYouMean(`portal:${action}`, portalActions)}`,
    );
    return;
  }
  const service = action.slice(0, colon);
  const name = action.slice(colon + 1);
  if (service.toLowerCase() === 'artifact') {
    if (!isArtifactActionPattern(action)) out.add(path, `"${action}" matches no AWS Artifact action the portal maps`);
    return;
  }
  if (
    service.toLowerCase() !== 'portal' &&
    !(hasWildcard(service) && wildcardMatch(service, 'portal', { caseInsensitive: true }))
  ) {
    out.add(path, `unknown service "${service}" in "${action}": portal actions are named portal:<Action>`);
    return;
  }
  if (!/^[A-Za-z*?]+$/.test(name)) {
    out.add(path, `"${action}" is not a valid action name${didYouMean(action, portalActions)}`);
    return;
  }
  if (hasWildcard(action)) {
    if (!portalActions.some((known) => wildcardMatch(action, known, { caseInsensitive: true }))) {
      out.add(path, `"${action}" matches no portal action`);
    }
    return;
  }
  if (!lowerActions.has(action.toLowerCase())) {
    out.add(path, `unknown action "${action}"${didYouMean(action, portalActions)}`);
  }
}

export function checkResource(resource: string, path: string, out: Collector): void {
  const problems = variableProblems(resource);
  for (const problem of problems) out.add(path, problem);
  if (problems.length > 0) return;
  // A variable may stand anywhere a wildcard may, so check the shape with one in its place.
  const problem = describeArnPatternProblem(withPlaceholders(resource, '*'));
  if (problem !== undefined) out.add(path, problem);
}
