import type { EncryptionContext } from './ciphertext-blob.js';
import { KmsError } from './kms-error.js';

/** Typed readers for fields of a KMS JSON request body; anything malformed is a ValidationException. */

export type RequestBody = Readonly<Record<string, unknown>>;

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(message: string): KmsError {
  return new KmsError('ValidationException', message);
}

export function optionalString(body: RequestBody, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  return value;
}

export function requireString(body: RequestBody, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value.length === 0) throw invalid(`${field} is required`);
  return value;
}

export function optionalInteger(body: RequestBody, field: string, min: number, max: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be an integer between ${min} and ${max}`);
  }
  return value;
}

/** A base64 blob field of `minBytes..maxBytes` decoded bytes. */
export function optionalBlob(body: RequestBody, field: string, minBytes: number, maxBytes: number): Buffer | undefined {
  const value = optionalString(body, field);
  if (value === undefined) return undefined;
  if (value.length % 4 !== 0 || !BASE64_RE.test(value)) throw invalid(`${field} is not valid base64`);
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < minBytes || bytes.length > maxBytes) {
    throw invalid(`${field} must be between ${minBytes} and ${maxBytes} bytes`);
  }
  return bytes;
}

export function requireBlob(body: RequestBody, field: string, minBytes: number, maxBytes: number): Buffer {
  const value = optionalBlob(body, field, minBytes, maxBytes);
  if (value === undefined) throw invalid(`${field} is required`);
  return value;
}

export function optionalEncryptionContext(body: RequestBody, field = 'EncryptionContext'): EncryptionContext {
  const value = body[field];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(`${field} must be a map of strings`);
  const context: Record<string, string> = Object.create(null);
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw invalid(`${field} must be a map of strings`);
    context[key] = entry;
  }
  return context;
}
