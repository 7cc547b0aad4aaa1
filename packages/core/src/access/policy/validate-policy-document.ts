import type { FieldError } from '../../errors.js';
import type { PolicyDocument, PolicyStatement } from './policy-document.js';
import { checkStatement } from './validate-statement.js';
import { Collector, checkText, isPlainObject, policyLimits, unknownKeys } from './validation-collector.js';

export { policyLimits } from './validation-collector.js';

export type PolicyValidationResult = { ok: true; document: PolicyDocument } | { ok: false; errors: FieldError[] };

const DOCUMENT_KEYS = ['Version', 'Id', 'Statement'];

/**
 * Checks a policy document as it is saved: every problem is reported once, with a path a client can
 * point at (`Statement[0].Action[1]`). Accepts the document or its JSON text.
 */
export function validatePolicyDocument(input: unknown): PolicyValidationResult {
  const out = new Collector();
  let value = input;
  if (typeof input === 'string') {
    if (input.length > policyLimits.documentChars) {
      return { ok: false, errors: [{ path: '', message: `at most ${policyLimits.documentChars} characters` }] };
    }
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, errors: [{ path: '', message: 'is not valid JSON' }] };
    }
  }
  if (!isPlainObject(value)) {
    return {
      ok: false,
      errors: [{ path: '', message: 'must be a policy document: {"Version": "2012-10-17", "Statement": [...]}' }],
    };
  }
  if (typeof input !== 'string') {
    let size: number;
    try {
      size = JSON.stringify(value).length;
    } catch {
      // Cycles and bigints: nothing a JSON body can carry, so nothing a policy can be.
      return { ok: false, errors: [{ path: '', message: 'must be plain JSON' }] };
    }
    if (size > policyLimits.documentChars) {
      return { ok: false, errors: [{ path: '', message: `at most ${policyLimits.documentChars} characters` }] };
    }
  }
  unknownKeys(value, DOCUMENT_KEYS, '', out);

  if (value.Version === undefined) out.add('Version', 'is required: "2012-10-17"');
  else if (value.Version !== '2012-10-17') out.add('Version', 'must be "2012-10-17"');
  if (value.Id !== undefined && (typeof value.Id !== 'string' || !checkText(value.Id, 'Id', out))) {
    if (typeof value.Id !== 'string') out.add('Id', 'must be a string');
  }

  const statements: PolicyStatement[] = [];
  if (value.Statement === undefined) out.add('Statement', 'is required: a list of statements');
  else if (!Array.isArray(value.Statement)) {
    out.add(
      'Statement',
      isPlainObject(value.Statement) ? 'must be a list: wrap the statement in [ ]' : 'must be a list of statements',
    );
  } else if (value.Statement.length === 0) out.add('Statement', 'must contain at least one statement');
  else if (value.Statement.length > policyLimits.statements)
    out.add('Statement', `at most ${policyLimits.statements} statements`);
  else {
    const sids = new Map<string, string>();
    value.Statement.forEach((entry, index) => {
      const statement = checkStatement(entry, `Statement[${index}]`, out, sids);
      if (statement !== undefined) statements.push(statement);
    });
  }

  if (out.errors.length > 0) return { ok: false, errors: out.errors };
  return {
    ok: true,
    document: {
      Version: '2012-10-17',
      ...(typeof value.Id === 'string' ? { Id: value.Id } : {}),
      // A clean copy: nothing but the checked fields reaches storage.
      Statement: structuredClone(statements),
    },
  };
}
