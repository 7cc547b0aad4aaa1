import {
  accessErrors,
  agreementArn,
  commonErrors,
  type ResourceTags,
  reportArn,
  resourceTagKeysField,
  tagLimits,
  tagResourceBody,
} from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../app-env.js';
import { askedByUseCase, portalRoute } from '../route-definition.js';
import { callUseCase, json, jsonBody, pathParam, principalOf } from '../route-kit.js';
import { problemsFor } from '../schemas.js';

/**
 * The organization's tags on a report or an agreement (docs/tags.md): list, add or change (merge), remove
 * by key. Each route names the resource by its path and calls the tags use case with its portal ARN; the
 * use case resolves it (404 when unknown or invisible to the organization) and asks `authorize` with the
 * tag condition keys.
 */
export const ResourceTagsSchema = z
  .object({
    resourceArn: z.string().openapi({ description: 'The portal ARN the tag operations are asked about' }),
    tags: z.record(z.string(), z.string()).openapi({ description: "The organization's tags on the resource" }),
  })
  .openapi('ResourceTags');

export const presentResourceTags = (answer: ResourceTags): z.infer<typeof ResourceTagsSchema> => ({
  resourceArn: answer.resourceArn,
  tags: { ...answer.tags },
});

const problem = problemsFor([commonErrors, accessErrors]);
const readProblems = {
  400: problem(400, 'Invalid input: `errors` lists each problem'),
  401: problem(401, 'No session'),
  403: problem(403, 'Not allowed (the detail says why)'),
  404: problem(404, 'No such resource in this organization'),
};
const writeProblems = { ...readProblems, 409: problem(409, 'The tags changed concurrently too often; retry') };

/** `?tagKeys=a&tagKeys=b` (one key arrives as a string). */
const untagQuery = z.object({
  tagKeys: z
    .preprocess((value) => (typeof value === 'string' ? [value] : value), resourceTagKeysField)
    .openapi({
      param: { name: 'tagKeys', in: 'query', style: 'form', explode: true },
      description: `Tag keys to remove (1 to ${tagLimits.maxTags}; repeat the parameter)`,
    }),
});

const idParams = z.object({ id: pathParam('id') });
const tagBody = tagResourceBody.meta({ id: 'TagResource' });
const kinds = {
  report: { path: '/reports/{id}/tags', apiTag: 'Reports', arn: reportArn('{orgId}', '{id}', '{accountId}') },
  agreement: { path: '/agreements/{id}/tags', apiTag: 'Agreements', arn: agreementArn('{orgId}', '{id}') },
} as const;

function routesOf(kind: keyof typeof kinds) {
  const { path, apiTag, arn } = kinds[kind];
  const tags = [apiTag];
  return {
    list: portalRoute({
      method: 'get',
      path,
      tags,
      summary: `The organization's tags on the ${kind}`,
      authorization: askedByUseCase('portal:ListTagsForResource', arn),
      request: { params: idParams },
      responses: { 200: json('The tags', ResourceTagsSchema), ...readProblems },
    }),
    tag: portalRoute({
      method: 'post',
      path,
      tags,
      summary: `Add or change tags on the ${kind} (at most ${tagLimits.maxTags} in all)`,
      authorization: askedByUseCase('portal:TagResource', arn),
      request: {
        params: idParams,
        ...jsonBody(tagBody),
      },
      responses: { 200: json('The tags now', ResourceTagsSchema), ...writeProblems },
    }),
    untag: portalRoute({
      method: 'delete',
      path,
      tags,
      summary: `Remove tags from the ${kind} by key (absent keys are ignored)`,
      authorization: askedByUseCase('portal:UntagResource', arn),
      request: { params: idParams, query: untagQuery },
      responses: { 200: json('The tags now', ResourceTagsSchema), ...writeProblems },
    }),
  };
}

/** The resource's portal ARN as the use case resolves it (the caller's organization). */
function resourceArnOf(c: Context<AppEnv>, kind: keyof typeof kinds, id: string): string {
  const { orgId } = principalOf(c);
  return kind === 'report' ? reportArn(orgId, id) : agreementArn(orgId, id);
}

export function tagRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  for (const kind of ['report', 'agreement'] as const) {
    const routes = routesOf(kind);
    const where = { path: { resourceArn: 'id' }, rest: 'body' } as const;
    app.openapi(routes.list, async (c) => {
      const resourceArn = resourceArnOf(c, kind, c.req.valid('param').id);
      const answer = await callUseCase(c, where, (caller) => c.get('deps').tags.list(caller, { resourceArn }));
      return c.json(presentResourceTags(answer), 200);
    });
    app.openapi(routes.tag, async (c) => {
      const resourceArn = resourceArnOf(c, kind, c.req.valid('param').id);
      const { tags } = c.req.valid('json');
      const answer = await callUseCase(c, where, (caller) => c.get('deps').tags.tag(caller, { resourceArn, tags }));
      return c.json(presentResourceTags(answer), 200);
    });
    app.openapi(routes.untag, async (c) => {
      const resourceArn = resourceArnOf(c, kind, c.req.valid('param').id);
      const { tagKeys } = c.req.valid('query');
      const answer = await callUseCase(c, { ...where, rest: 'query' }, (caller) =>
        c.get('deps').tags.untag(caller, { resourceArn, tagKeys }),
      );
      return c.json(presentResourceTags(answer), 200);
    });
  }
  return app;
}
