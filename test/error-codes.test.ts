import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  accessErrors,
  agreementErrors,
  commonErrors,
  type ErrorCatalog,
  identityErrors,
  ledgerErrors,
  moduleErrorCatalogs,
  notificationErrors,
  organizationErrors,
  reportErrors,
} from '@evidence-portal/core';
import { describe, expect, it } from 'vitest';
import { edgeErrors } from '../packages/api/src/edge-errors.js';
import { createTestApp } from './support/app.js';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The top-level arguments of the call whose `(` is at `open`. */
function callArguments(text: string, open: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let current = '';
  let quote: string | undefined;
  for (let i = open; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      current += ch;
      if (ch === '\\') current += text[++i] ?? '';
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (depth === 0) {
      args.push(current);
      return args;
    }
    if (depth === 1 && ch === ',') {
      args.push(current);
      current = '';
    } else if (i > open) current += ch;
  }
  return args;
}

/** Every literal code a file raises: `new ConflictError(msg, 'code')`, `new ForbiddenError(...)`, sign-in refusals, catalog `.error('code', ...)`. */
function raisedCodes(text: string): string[] {
  const codes: string[] = [];
  for (const match of text.matchAll(/new (ConflictError|ForbiddenError|SignInRefusedError)\(|\b\w+Errors\.error\(/g)) {
    const args = callArguments(text, (match.index ?? 0) + match[0].length - 1);
    const position = match[1] === 'ConflictError' || match[1] === 'ForbiddenError' ? 1 : 0;
    for (const literal of (args[position] ?? '').matchAll(/'([a-z][a-z0-9_]*)'/g)) codes.push(literal[1] as string);
    if (/`/.test(args[position] ?? '')) codes.push(`<template ${args[position]?.trim()}>`);
  }
  return codes;
}

const catalogOf: Record<string, ErrorCatalog> = {
  access: accessErrors,
  identity: identityErrors,
  organization: organizationErrors,
  agreements: agreementErrors,
  reports: reportErrors,
  notifications: notificationErrors,
  ledger: ledgerErrors,
};

describe('error-code catalogs', () => {
  it('lists every code a module raises in that module’s catalog (no uncatalogued or computed codes)', () => {
    const missing: string[] = [];
    for (const [module, catalog] of Object.entries(catalogOf)) {
      const known = new Set<string>([...catalog.list, ...commonErrors.list]);
      for (const file of sourceFiles(join(root, 'packages/core/src', module))) {
        for (const code of raisedCodes(readFileSync(file, 'utf8'))) {
          if (!known.has(code)) missing.push(`${relative(root, file)}: ${code}`);
        }
      }
    }
    const anywhere = new Set<string>([...moduleErrorCatalogs, edgeErrors].flatMap((catalog) => catalog.list));
    for (const file of sourceFiles(join(root, 'packages/api/src'))) {
      for (const code of raisedCodes(readFileSync(file, 'utf8'))) {
        if (!anywhere.has(code)) missing.push(`${relative(root, file)}: ${code}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('gives each code one meaning: no code is declared by two modules', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const catalog of [...moduleErrorCatalogs, edgeErrors]) {
      for (const code of catalog.list) {
        const other = seen.get(code);
        if (other) twice.push(`${code}: ${other} and ${catalog.module}`);
        seen.set(code, catalog.module);
      }
    }
    expect(twice).toEqual([]);
  });

  it('publishes the catalog in /api/openapi.json, and each response’s codes as an enum', async () => {
    const { app } = await createTestApp();
    const document = (await (await app.request('/api/openapi.json')).json()) as {
      'x-error-codes': Record<string, Record<string, { status: number; description: string }>>;
      paths: Record<string, Record<string, { responses: Record<string, ProblemContent> }>>;
    };
    type CodeSchema = { properties?: { code?: { enum?: string[] } }; allOf?: CodeSchema[] };
    type ProblemContent = { content?: Record<string, { schema: CodeSchema }> };
    // The module's problem schema extends the shared Problem component (allOf [$ref, {code: enum}]).
    const enumOf = (schema: CodeSchema | undefined): string[] | undefined =>
      schema?.properties?.code?.enum ?? schema?.allOf?.map(enumOf).find((codes) => codes !== undefined);
    const codesOf = (path: string, method: string, status: number) =>
      enumOf(document.paths[path]?.[method]?.responses[String(status)]?.content?.['application/problem+json']?.schema);

    expect(document['x-error-codes'].agreements?.mfa_required).toEqual({
      status: 403,
      description: expect.stringMatching(/MFA/),
    });
    expect(document['x-error-codes'].identity?.totp_required?.status).toBe(401);
    expect(codesOf('/api/agreements/{id}/acceptances', 'post', 403)).toEqual(
      expect.arrayContaining(['mfa_required', 'management_account_required', 'explicit_deny', 'implicit_deny']),
    );
    expect(codesOf('/api/agreements/{id}/acceptances', 'post', 403)).not.toContain('totp_required');
    expect(codesOf('/api/agreements/{id}/acceptances', 'post', 409)).toEqual(
      expect.arrayContaining(['revision_not_latest', 'already_accepted', 'concurrent_change']),
    );
    expect(codesOf('/api/session', 'post', 401)).toEqual(
      expect.arrayContaining(['invalid_credentials', 'totp_required', 'invalid_mfa_code']),
    );
    expect(codesOf('/api/session', 'post', 401)).not.toContain('mfa_required');
  });
});
