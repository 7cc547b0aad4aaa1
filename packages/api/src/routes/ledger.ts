import { ledgerArn, ledgerErrors, NotFoundError } from '@evidence-portal/core';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../app-env.js';
import { portalRoute } from '../route-definition.js';
import { json } from '../route-kit.js';
import { problemsFor } from '../schemas.js';
import {
  CheckpointSchema,
  ConsistencyProofSchema,
  EntrySchema,
  InclusionProofSchema,
  presentCheckpoint,
  presentConsistencyProof,
  presentEntry,
  presentInclusionProof,
  presentVerification,
  VerificationSchema,
} from './ledger-schemas.js';

/**
 * The org is always the caller's: a ledger route never takes an org id from the request. Each route
 * asks the catalog action it performs (read, verify, export).
 */
const onLedger = <A extends `portal:${string}`>(action: A) =>
  ({ kind: 'action', action, resource: ledgerArn('{orgId}') }) as const;
const readLedger = onLedger('portal:ReadLedger');
const verifyLedger = onLedger('portal:VerifyLedger');
const exportLedger = onLedger('portal:ExportLedger');
const signCheckpoint = onLedger('portal:SignLedgerCheckpoint');
/** Problems of the ledger routes, each with the codes of its status (the ledger module's catalog). */
const problem = problemsFor([ledgerErrors]);
const integrityFault = problem(503, 'The ledger failed an integrity check (`ledger_integrity_fault`, see `fault`)');

const instant = z.iso.datetime({ offset: true }).openapi({ example: '2026-01-31T00:00:00Z' });
const ListQuery = z.object({
  actor: z.string().min(1).max(512).optional().openapi({ description: "Actor id (a user's id, a job name)" }),
  action: z.string().min(1).max(128).optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, '12 digits')
    .optional(),
  from: instant.optional(),
  to: instant.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

const listRoute = portalRoute({
  method: 'get',
  path: '/ledger',
  tags: ['Ledger'],
  summary: "The organization's audit trail, newest first",
  authorization: readLedger,
  request: { query: ListQuery },
  responses: {
    200: json(
      'A page of entries',
      z.object({ items: z.array(EntrySchema), nextCursor: z.string().optional() }).openapi('LedgerPage'),
    ),
    400: problem(400, 'Invalid filter or cursor'),
    503: integrityFault,
  },
});

const verifyRoute = portalRoute({
  method: 'get',
  path: '/ledger/verify',
  tags: ['Ledger'],
  summary:
    'Verify every stored entry, the head and every checkpoint found (table and bucket); a failure raises an integrity alert',
  authorization: verifyLedger,
  responses: {
    200: json('The verdict', VerificationSchema),
  },
});

const exportRoute = portalRoute({
  method: 'get',
  path: '/ledger/export',
  tags: ['Ledger'],
  summary: 'JSON Lines export: a header with every checkpoint, one entry per line, the head last (docs/ledger.md)',
  authorization: exportLedger,
  responses: {
    200: { description: 'The export', content: { 'application/x-ndjson': { schema: z.string() } } },
  },
});

const latestCheckpointRoute = portalRoute({
  method: 'get',
  path: '/ledger/checkpoints/latest',
  tags: ['Ledger'],
  summary: 'The newest signed checkpoint (table or bucket)',
  authorization: readLedger,
  responses: {
    200: json('The checkpoint', CheckpointSchema),
    404: problem(404, 'No checkpoint yet'),
  },
});

const createCheckpointRoute = portalRoute({
  method: 'post',
  path: '/ledger/checkpoints',
  tags: ['Ledger'],
  summary:
    'Verify the ledger and sign a checkpoint now (the job does it on a schedule); answers the newest when nothing is new',
  authorization: signCheckpoint,
  responses: {
    200: json('The newest checkpoint', CheckpointSchema),
    404: problem(404, 'The ledger has no entries yet'),
    503: integrityFault,
  },
});

const ListCheckpointsQuery = ListQuery.pick({ cursor: true, limit: true });

const listCheckpointsRoute = portalRoute({
  method: 'get',
  path: '/ledger/checkpoints',
  tags: ['Ledger'],
  summary: 'Signed checkpoints, newest first (the sizes proofs can be asked against)',
  authorization: readLedger,
  request: { query: ListCheckpointsQuery },
  responses: {
    200: json(
      'A page of checkpoints',
      z.object({ items: z.array(CheckpointSchema), nextCursor: z.string().optional() }).openapi('LedgerCheckpointPage'),
    ),
    400: problem(400, 'Invalid cursor or limit'),
  },
});

const treeSize = z.coerce.number().int().min(1).max(999_999_999_999);

const inclusionProofRoute = portalRoute({
  method: 'get',
  path: '/ledger/proofs/inclusion',
  tags: ['Ledger'],
  summary: 'Prove an entry is in a signed checkpoint (verify offline: evidence ledger verify-proof)',
  authorization: readLedger,
  request: {
    query: z.object({
      seq: treeSize.openapi({ description: 'The entry' }),
      size: treeSize.optional().openapi({ description: 'A checkpointed size (default: the latest checkpoint)' }),
    }),
  },
  responses: {
    200: json('The proof document', InclusionProofSchema),
    400: problem(400, 'seq outside the checkpoint'),
    404: problem(404, 'No checkpoint at that size'),
    503: integrityFault,
  },
});

const consistencyProofRoute = portalRoute({
  method: 'get',
  path: '/ledger/proofs/consistency',
  tags: ['Ledger'],
  summary: 'Prove an older signed checkpoint is a prefix of a newer one (nothing rewritten in between)',
  authorization: readLedger,
  request: {
    query: z.object({
      from: treeSize.openapi({ description: 'The older checkpointed size' }),
      to: treeSize.optional().openapi({ description: 'The newer checkpointed size (default: the latest)' }),
    }),
  },
  responses: {
    200: json('The proof document', ConsistencyProofSchema),
    400: problem(400, 'from beyond to'),
    404: problem(404, 'No checkpoint at that size'),
  },
});

export function ledgerRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(listRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const query = c.req.valid('query');
    const page = await c.get('deps').ledger.list(orgId, query);
    return c.json(
      {
        items: page.items.map(presentEntry),
        ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
      },
      200,
    );
  });

  app.openapi(verifyRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    return c.json(presentVerification(await c.get('deps').ledger.verify(orgId)), 200);
  });

  app.openapi(exportRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const lines = c.get('deps').ledger.exportLines(orgId);
    const encoder = new TextEncoder();
    // Streamed: an export of any size passes through in pages, never whole in memory.
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await lines.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`${next.value}\n`));
      },
      async cancel() {
        await lines.return(undefined);
      },
    });
    // A streamed body has no typed-response form in @hono/zod-openapi; the declared content type documents it.
    return new Response(body, {
      status: 200,
      headers: {
        'Content-Type': 'application/x-ndjson',
        'Content-Disposition': `attachment; filename="ledger-${orgId.replace(/[^A-Za-z0-9_-]/g, '_')}.jsonl"`,
      },
    }) as never;
  });

  app.openapi(latestCheckpointRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const checkpoint = await c.get('deps').ledger.latestCheckpoint(orgId);
    if (!checkpoint) throw new NotFoundError('No checkpoint has been signed for this ledger yet.');
    return c.json(presentCheckpoint(checkpoint), 200);
  });

  app.openapi(listCheckpointsRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const page = await c.get('deps').ledger.listCheckpoints(orgId, c.req.valid('query'));
    return c.json(
      {
        items: page.items.map(presentCheckpoint),
        ...(page.nextCursor !== undefined ? { nextCursor: page.nextCursor } : {}),
      },
      200,
    );
  });

  app.openapi(inclusionProofRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const { seq, size } = c.req.valid('query');
    return c.json(presentInclusionProof(await c.get('deps').ledger.inclusionProofDocument(orgId, seq, size)), 200);
  });

  app.openapi(consistencyProofRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const { from, to } = c.req.valid('query');
    return c.json(presentConsistencyProof(await c.get('deps').ledger.consistencyProofDocument(orgId, from, to)), 200);
  });

  app.openapi(createCheckpointRoute, async (c) => {
    const { orgId } = c.get('principal')!;
    const checkpoint = await c.get('deps').ledger.checkpoint(orgId);
    if (!checkpoint) throw new NotFoundError('The ledger has no entries yet.');
    return c.json(presentCheckpoint(checkpoint), 200);
  });

  return app;
}
