/**
 * The response contract: every JSON body a route answers may only carry keys its declared response
 * schema has (`@hono/zod-openapi` does not strip undeclared keys, so a domain object passed through
 * leaks whatever it holds). Test apps check each response they answer against `/api/openapi.json`;
 * an undeclared key fails the request, and with it the test.
 */

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  nullable?: boolean;
}

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }>
  >;
  components?: { schemas?: Record<string, Schema> };
}

interface Operation {
  pattern: RegExp;
  literalSegments: number;
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface ResponseContract {
  /** Undeclared keys of one response, as `$.path.key` (empty when it keeps to its schema). */
  undeclaredKeys(method: string, url: string, status: number, contentType: string, body: unknown): string[];
}

export function responseContract(document: OpenApiDocument): ResponseContract {
  const schemas = document.components?.schemas ?? {};
  const operations = new Map<string, Operation[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const segments = path.split('/');
      const pattern = new RegExp(
        `^${segments.map((segment) => (/^\{.+\}$/.test(segment) ? '[^/]+' : escapeRegExp(segment))).join('/')}$`,
      );
      const list = operations.get(method.toUpperCase()) ?? [];
      list.push({
        pattern,
        literalSegments: segments.filter((segment) => !segment.startsWith('{')).length,
        responses: operation.responses ?? {},
      });
      operations.set(method.toUpperCase(), list);
    }
  }

  const resolve = (schema: Schema): Schema => {
    let current = schema;
    for (let depth = 0; current.$ref && depth < 20; depth++) {
      current = schemas[current.$ref.replace('#/components/schemas/', '')] ?? {};
    }
    return current;
  };

  /** The keys of `value` no branch of `schema` declares, depth first. */
  const walk = (value: unknown, schema: Schema, at: string): string[] => {
    const s = resolve(schema);
    if (value === null || value === undefined) return [];
    if (s.anyOf || s.oneOf) {
      const results = (s.anyOf ?? s.oneOf ?? []).map((branch) => walk(value, branch, at));
      return results.find((problems) => problems.length === 0) ?? results[0] ?? [];
    }
    if (Array.isArray(value))
      return s.items ? value.flatMap((entry, i) => walk(entry, s.items as Schema, `${at}[${i}]`)) : [];
    if (typeof value !== 'object') return [];
    const parts = s.allOf ? s.allOf.map(resolve) : [s];
    const properties: Record<string, Schema[]> = {};
    let open: Schema | undefined;
    let anyKey = false;
    for (const part of parts) {
      for (const [key, property] of Object.entries(part.properties ?? {})) {
        properties[key] = [...(properties[key] ?? []), property];
      }
      if (part.additionalProperties === true) anyKey = true;
      else if (typeof part.additionalProperties === 'object') open = part.additionalProperties;
      // An object schema without properties (a free-form map) declares nothing to hold keys to.
      if (!part.properties && part.additionalProperties === undefined && !part.allOf) anyKey = true;
    }
    return Object.entries(value as Record<string, unknown>).flatMap(([key, entry]) => {
      const declared = properties[key];
      if (declared) return declared.flatMap((property) => walk(entry, property, `${at}.${key}`));
      if (open) return walk(entry, open, `${at}.${key}`);
      return anyKey ? [] : [`${at}.${key}`];
    });
  };

  return {
    undeclaredKeys(method, url, status, contentType, body) {
      const path = new URL(url, 'http://portal.test').pathname;
      const candidates = (operations.get(method.toUpperCase()) ?? [])
        .filter((operation) => operation.pattern.test(path))
        .sort((a, b) => b.literalSegments - a.literalSegments);
      const operation = candidates[0];
      if (!operation) return [];
      const response = operation.responses[String(status)] ?? operation.responses.default;
      const mediaType = contentType.split(';')[0]?.trim() ?? '';
      const schema = response?.content?.[mediaType]?.schema;
      if (!schema) return [];
      return walk(body, schema, '$');
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface Requestable {
  request(input: string | Request | URL, init?: RequestInit): Response | Promise<Response>;
}

/**
 * Makes `app.request` check every JSON answer against the document `documentOf` returns: an
 * undeclared key throws, naming the operation, the status and the keys.
 */
export function checkResponses<T extends Requestable>(app: T, documentOf: () => Promise<OpenApiDocument>): T {
  const original = app.request.bind(app);
  let contract: Promise<ResponseContract> | undefined;
  app.request = async (input: string | Request | URL, init?: RequestInit) => {
    const response = await original(input, init);
    const contentType = response.headers.get('content-type') ?? '';
    if (!/json/.test(contentType)) return response;
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    if (new URL(url, 'http://portal.test').pathname === '/api/openapi.json') return response;
    const text = await response.clone().text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return response;
    }
    contract ??= documentOf().then(responseContract);
    const undeclared = (await contract).undeclaredKeys(method, url, response.status, contentType, body);
    if (undeclared.length > 0) {
      throw new Error(
        `${method} ${url} -> ${response.status}: keys the response schema does not declare: ${undeclared.join(', ')}`,
      );
    }
    return response;
  };
  return app;
}
