import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import { KmsError } from './kms-error.js';

/**
 * Keys and aliases of the local KMS server, optionally persisted to `<dataDir>/kms-keys.json`.
 *
 * DEV/TEST TOOL ONLY: key material (32-byte AES keys, P-256 private scalars) is stored in plain base64 in the
 * JSON file. That is fine for a loopback emulator and never acceptable for anything real.
 */

export type KeySpec = 'SYMMETRIC_DEFAULT' | 'ECC_NIST_P256';
export type KeyUsage = 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';

export interface KeyRecord {
  readonly keyId: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly description: string;
  /** Epoch seconds. */
  readonly creationDate: number;
  /** SYMMETRIC_DEFAULT: 32-byte AES key; ECC_NIST_P256: 32-byte private scalar. Base64. */
  readonly material: string;
}

export interface AliasRecord {
  readonly aliasName: string;
  readonly targetKeyId: string;
  /** Epoch seconds. */
  readonly creationDate: number;
}

interface StoreFile {
  readonly version: 1;
  readonly keys: KeyRecord[];
  readonly aliases: AliasRecord[];
}

export const KEYS_FILE_NAME = 'kms-keys.json';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ALIAS_NAME_RE = /^alias\/[a-zA-Z0-9/_-]{1,250}$/;

/** DER prefix of a SubjectPublicKeyInfo for an uncompressed P-256 point (id-ecPublicKey, prime256v1). */
const P256_SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');

export function p256PublicKeySpki(privateKey: Uint8Array): Buffer {
  return Buffer.concat([P256_SPKI_PREFIX, p256.getPublicKey(privateKey, false)]);
}

export function isValidAliasName(name: string): boolean {
  return ALIAS_NAME_RE.test(name) && !name.startsWith('alias/aws/');
}

export class KeyStore {
  readonly region: string;
  readonly accountId: string;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly aliases = new Map<string, AliasRecord>();
  private readonly filePath: string | undefined;
  private writeChain: Promise<void> = Promise.resolve();

  private constructor(region: string, accountId: string, filePath: string | undefined) {
    this.region = region;
    this.accountId = accountId;
    this.filePath = filePath;
  }

  /** Opens a store: in memory when `dataDir` is absent, else loaded from (and saved to) `<dataDir>/kms-keys.json`. */
  static async open(options: { dataDir?: string; region: string; accountId: string }): Promise<KeyStore> {
    const filePath = options.dataDir === undefined ? undefined : join(options.dataDir, KEYS_FILE_NAME);
    const store = new KeyStore(options.region, options.accountId, filePath);
    if (options.dataDir !== undefined && filePath !== undefined) {
      await mkdir(options.dataDir, { recursive: true });
      let text: string | undefined;
      try {
        text = await readFile(filePath, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      if (text !== undefined) {
        const parsed = JSON.parse(text) as StoreFile;
        if (parsed.version !== 1) throw new Error(`${filePath}: unsupported version ${String(parsed.version)}`);
        for (const key of parsed.keys) store.keys.set(key.keyId, key);
        for (const alias of parsed.aliases) store.aliases.set(alias.aliasName, alias);
      }
    }
    return store;
  }

  keyArn(keyId: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:key/${keyId}`;
  }

  aliasArn(aliasName: string): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:${aliasName}`;
  }

  async createKey(keySpec: KeySpec, keyUsage: KeyUsage, description: string): Promise<KeyRecord> {
    const material = keySpec === 'SYMMETRIC_DEFAULT' ? randomBytes(32) : Buffer.from(p256.utils.randomSecretKey());
    const record: KeyRecord = {
      keyId: randomUUID(),
      keySpec,
      keyUsage,
      description,
      creationDate: Math.floor(Date.now() / 1000),
      material: material.toString('base64'),
    };
    this.keys.set(record.keyId, record);
    await this.persist();
    return record;
  }

  async createAlias(aliasName: string, targetKeyId: string): Promise<AliasRecord> {
    if (!isValidAliasName(aliasName)) {
      throw new KmsError('ValidationException', `Invalid alias name: ${aliasName}`);
    }
    if (this.aliases.has(aliasName)) {
      throw new KmsError('AlreadyExistsException', `An alias with the name ${this.aliasArn(aliasName)} already exists`);
    }
    const target = this.resolveKey(targetKeyId);
    const record: AliasRecord = {
      aliasName,
      targetKeyId: target.keyId,
      creationDate: Math.floor(Date.now() / 1000),
    };
    this.aliases.set(aliasName, record);
    await this.persist();
    return record;
  }

  listAliases(): AliasRecord[] {
    return [...this.aliases.values()].sort((a, b) => (a.aliasName < b.aliasName ? -1 : 1));
  }

  /** Looks a key up by uuid, key ARN, alias name (`alias/x`) or alias ARN. Throws NotFoundException. */
  resolveKey(id: string): KeyRecord {
    const arnPrefix = `arn:aws:kms:${this.region}:${this.accountId}:`;
    let rest = id;
    if (id.startsWith('arn:')) {
      if (!id.startsWith(arnPrefix)) throw notFound(id);
      rest = id.slice(arnPrefix.length);
      if (rest.startsWith('key/')) rest = rest.slice('key/'.length);
      else if (!rest.startsWith('alias/')) throw notFound(id);
    }
    if (rest.startsWith('alias/')) {
      const alias = this.aliases.get(rest);
      const key = alias === undefined ? undefined : this.keys.get(alias.targetKeyId);
      if (key === undefined) throw new KmsError('NotFoundException', `Alias ${this.aliasArn(rest)} is not found.`);
      return key;
    }
    const key = UUID_RE.test(rest) ? this.keys.get(rest) : undefined;
    if (key === undefined) throw notFound(id);
    return key;
  }

  /** Waits for pending writes of the keys file. */
  async flush(): Promise<void> {
    await this.writeChain;
  }

  /** Queues an atomic write (tmp file + rename) of the current state; resolves once it is on disk. */
  private persist(): Promise<void> {
    const filePath = this.filePath;
    if (filePath === undefined) return Promise.resolve();
    const write = async (): Promise<void> => {
      const snapshot: StoreFile = { version: 1, keys: [...this.keys.values()], aliases: [...this.aliases.values()] };
      const tmp = `${filePath}.${process.pid}.${randomUUID()}.tmp`;
      await writeFile(tmp, `${JSON.stringify(snapshot, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, filePath);
    };
    const result = this.writeChain.then(write);
    this.writeChain = result.catch(() => undefined);
    return result;
  }
}

function notFound(id: string): KmsError {
  return new KmsError('NotFoundException', `Invalid keyId ${id}`);
}
