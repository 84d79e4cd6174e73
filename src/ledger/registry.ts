/**
 * Keys, roles and declared kinds at a point of the log. Pure (used by `verify` and by the offline bundle verifier):
 * fed entries in log order, it answers "was this signer registered, unrevoked and holding a role this kind requires?".
 */
import { toHex } from '../bytes';
import { SUITE_IDS, isSuiteId, portableSuiteById } from '../crypto/registry';
import type { Issue } from '../errors';
import { MANIFEST_KIND } from './format';
import { type CborValue, type Entry, kindGuard } from './types';
import { isObj } from '../guards';

export const ADMIN_ROLE = 'admin';
export const KEY_REGISTER_KIND = 'core/key.register';
export const KEY_REVOKE_KIND = 'core/key.revoke';
export const KIND_DECLARE_KIND = 'core/kind.declare';
export const CHECKPOINT_KIND = 'core/checkpoint';
export const COSIGNATURE_KIND = 'core/cosignature';
export const CHECKPOINTER_ROLE = 'checkpointer';
/** The suite a ledger gets when its creator names none. */
export const SUITE_ID = 'ed25519-sha256';

export const CORE_KIND_ROLES: Readonly<Record<string, readonly string[]>> = {
  [KEY_REGISTER_KIND]: [ADMIN_ROLE],
  [KEY_REVOKE_KIND]: [ADMIN_ROLE],
  [KIND_DECLARE_KIND]: [ADMIN_ROLE],
  [CHECKPOINT_KIND]: [ADMIN_ROLE, CHECKPOINTER_ROLE],
  [COSIGNATURE_KIND]: [ADMIN_ROLE, CHECKPOINTER_ROLE],
};

export type ManifestBody = {
  readonly v: 1;
  readonly origin: string;
  readonly suite: string;
  readonly created: number;
  readonly rootKeys: ReadonlyArray<{ readonly publicKey: Uint8Array; readonly principal: string }>;
  readonly checkpointKey: { readonly name: string; readonly publicKey: Uint8Array };
  readonly attributes?: CborValue;
};

export type KeyRegisterBody = {
  readonly publicKey: Uint8Array;
  readonly principal: string;
  readonly roles: readonly string[];
  readonly attributes?: CborValue;
};

export type KeyRevokeBody = {
  readonly keyId: Uint8Array;
  readonly reason: string;
};

export type KindDeclareBody = {
  readonly kind: string;
  readonly roles: readonly string[];
};

/** A checkpoint entry: the signed checkpoint note. */
export type CheckpointBody = { readonly note: string };

/** A cosignature entry: a witness's cosignature line over the checkpoint of `size`. */
export type CosignatureBody = { readonly size: number; readonly witness: string; readonly line: string };

/** Body types of the core kinds (type level; see BodyMap). */
export type CoreBodies = {
  [MANIFEST_KIND]: ManifestBody;
  [KEY_REGISTER_KIND]: KeyRegisterBody;
  [KEY_REVOKE_KIND]: KeyRevokeBody;
  [KIND_DECLARE_KIND]: KindDeclareBody;
  [CHECKPOINT_KIND]: CheckpointBody;
  [COSIGNATURE_KIND]: CosignatureBody;
};

/** Narrows an entry to a core kind (compares the kind name: for entries whose body was checked). */
export const isCoreKind = kindGuard<CoreBodies>();

export interface KeyRecord {
  readonly keyId: string;
  readonly publicKey: Uint8Array;
  readonly principal: string;
  readonly roles: readonly string[];
  readonly attributes: CborValue | undefined;
  readonly registeredAt: number;
  readonly revokedAt: number | undefined;
}

type Obj = Record<string, unknown>;
const isText = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 256;
/** A key id (a hash: 32 bytes in every suite). */
const isKey = (x: unknown): x is Uint8Array => x instanceof Uint8Array && x.length === 32;
const PUBLIC_KEY_LENGTHS = new Set(SUITE_IDS.map((id) => portableSuiteById(id).publicKeyLength));
/** A public key of some known suite; the manifest's suite fixes which (publicKeyIssue). */
const isPublicKey = (x: unknown): x is Uint8Array =>
  x instanceof Uint8Array && PUBLIC_KEY_LENGTHS.has(x.length);

/** An issue if `key` is not a public key of suite `suiteId` (the suite must be known). */
function publicKeyIssue(suiteId: string, key: Uint8Array, path: Array<string | number>): Issue | undefined {
  const suite = portableSuiteById(suiteId);
  return key.length === suite.publicKeyLength
    ? undefined
    : issue('invalid_type', path, `publicKey must be ${suite.publicKeyLength} bytes in a ${suite.id} ledger`);
}
const isRoleList = (x: unknown): x is string[] =>
  Array.isArray(x) && x.length > 0 && x.every(isText) && new Set(x).size === x.length;

function issue(code: string, path: Array<string | number>, message: string): Issue {
  return { code, path, message };
}

function onlyKeys(b: Obj, allowed: string[], out: Issue[]): void {
  for (const k of Object.keys(b))
    if (!allowed.includes(k)) out.push(issue('unknown_field', [k], `unknown field ${k}`));
}

/** Schema checks of the core kinds' bodies. Paths are relative to the body. */
export function validateCoreBody(kind: string, body: unknown): Issue[] {
  const out: Issue[] = [];
  if (!isObj(body)) return [issue('invalid_type', [], 'body must be a map')];
  switch (kind) {
    case MANIFEST_KIND: {
      onlyKeys(body, ['v', 'origin', 'suite', 'created', 'rootKeys', 'checkpointKey', 'attributes'], out);
      if (body.v !== 1) out.push(issue('unsupported_version', ['v'], 'manifest version must be 1'));
      if (!isText(body.origin) || /[\n\r]/.test(body.origin))
        out.push(issue('invalid_origin', ['origin'], 'origin must be a non-empty single line'));
      const suiteKnown = isSuiteId(body.suite);
      if (!suiteKnown)
        out.push(issue('unknown_suite', ['suite'], `suite must be one of ${SUITE_IDS.join(', ')}`));
      if (typeof body.created !== 'number' || !Number.isSafeInteger(body.created) || body.created < 0)
        out.push(issue('invalid_type', ['created'], 'created must be ms since epoch'));
      if (!Array.isArray(body.rootKeys) || body.rootKeys.length === 0)
        out.push(issue('required', ['rootKeys'], 'at least one root key'));
      else
        body.rootKeys.forEach((k, i) => {
          if (!isObj(k) || !isPublicKey(k.publicKey) || !isText(k.principal))
            out.push(issue('invalid_type', ['rootKeys', i], 'root key must be { publicKey, principal }'));
          else if (suiteKnown) {
            const bad = publicKeyIssue(body.suite as string, k.publicKey, ['rootKeys', i, 'publicKey']);
            if (bad) out.push(bad);
          }
        });
      const ck = body.checkpointKey;
      if (!isObj(ck) || !isPublicKey(ck.publicKey) || !isText(ck.name) || /[\s+]/.test(ck.name))
        out.push(
          issue(
            'invalid_type',
            ['checkpointKey'],
            'checkpointKey must be { name (no spaces or +), publicKey }',
          ),
        );
      else if (suiteKnown) {
        const bad = publicKeyIssue(body.suite as string, ck.publicKey, ['checkpointKey', 'publicKey']);
        if (bad) out.push(bad);
      }
      break;
    }
    case KEY_REGISTER_KIND:
      onlyKeys(body, ['publicKey', 'principal', 'roles', 'attributes'], out);
      if (!isPublicKey(body.publicKey))
        out.push(issue('invalid_type', ['publicKey'], 'publicKey must be a public key'));
      if (!isText(body.principal)) out.push(issue('invalid_type', ['principal'], 'principal must be text'));
      if (!isRoleList(body.roles))
        out.push(issue('invalid_type', ['roles'], 'roles must be distinct role names'));
      break;
    case KEY_REVOKE_KIND:
      onlyKeys(body, ['keyId', 'reason'], out);
      if (!isKey(body.keyId)) out.push(issue('invalid_type', ['keyId'], 'keyId must be 32 bytes'));
      if (!isText(body.reason)) out.push(issue('invalid_type', ['reason'], 'reason must be text'));
      break;
    case KIND_DECLARE_KIND:
      onlyKeys(body, ['kind', 'roles'], out);
      if (!isText(body.kind) || body.kind.startsWith('core/'))
        out.push(issue('invalid_kind', ['kind'], 'kind must be text outside the core/ namespace'));
      if (!isRoleList(body.roles))
        out.push(issue('invalid_type', ['roles'], 'roles must be distinct role names'));
      break;
    case CHECKPOINT_KIND:
      onlyKeys(body, ['note'], out);
      if (typeof body.note !== 'string' || body.note.length === 0 || body.note.length > 8192)
        out.push(issue('invalid_type', ['note'], 'note must be the signed checkpoint text'));
      break;
    case COSIGNATURE_KIND:
      onlyKeys(body, ['size', 'witness', 'line'], out);
      if (typeof body.size !== 'number' || !Number.isSafeInteger(body.size) || body.size < 0)
        out.push(issue('invalid_type', ['size'], 'size must be the checkpoint size'));
      if (!isText(body.witness))
        out.push(issue('invalid_type', ['witness'], 'witness must be the witness key name'));
      if (typeof body.line !== 'string' || !body.line.startsWith('\u2014 '))
        out.push(issue('invalid_type', ['line'], 'line must be a note signature line'));
      break;
    default:
      out.push(issue('unknown_kind', [], `unknown core kind ${kind}`));
  }
  return out;
}

export interface SignerProblem {
  readonly code:
    | 'SIGNER_UNKNOWN'
    | 'SIGNER_REVOKED'
    | 'ROLE_MISSING'
    | 'KIND_UNDECLARED'
    | 'MANIFEST_DUPLICATE';
  readonly message: string;
}

/** Keys and kinds as of some point of the log. `apply` entries in order after checking them. */
export class KeyRegistry {
  readonly keys = new Map<string, KeyRecord>();
  readonly kinds = new Map<string, { readonly roles: readonly string[]; readonly declaredAt: number }>();
  manifest: ManifestBody | undefined;

  constructor(private readonly keyIdOf: (publicKey: Uint8Array) => string) {}

  clone(): KeyRegistry {
    const r = new KeyRegistry(this.keyIdOf);
    for (const [k, v] of this.keys) r.keys.set(k, v);
    for (const [k, v] of this.kinds) r.kinds.set(k, v);
    r.manifest = this.manifest;
    return r;
  }

  requiredRoles(kind: string): readonly string[] | undefined {
    return CORE_KIND_ROLES[kind] ?? this.kinds.get(kind)?.roles;
  }

  /** Checks that the entry's signer may sign an entry of its kind here. Returns undefined when it may. */
  checkSigner(entry: Pick<Entry, 'seq' | 'kind' | 'signer'>): SignerProblem | undefined {
    if (entry.kind === MANIFEST_KIND) {
      if (entry.seq !== 0) return { code: 'MANIFEST_DUPLICATE', message: 'a manifest may only be entry 0' };
      return undefined; // checked against the manifest's own root keys in applyManifest
    }
    const key = this.keys.get(entry.signer);
    if (!key)
      return { code: 'SIGNER_UNKNOWN', message: `signer ${entry.signer.slice(0, 16)}… is not registered` };
    if (key.revokedAt !== undefined)
      return {
        code: 'SIGNER_REVOKED',
        message: `signer ${key.principal} was revoked at seq ${key.revokedAt}`,
      };
    const roles = this.requiredRoles(entry.kind);
    if (!roles)
      return { code: 'KIND_UNDECLARED', message: `kind ${entry.kind} is not declared in this ledger` };
    if (!roles.some((r) => key.roles.includes(r)))
      return {
        code: 'ROLE_MISSING',
        message: `${key.principal} holds [${key.roles.join(', ')}] but ${entry.kind} needs one of [${roles.join(', ')}]`,
      };
    return undefined;
  }

  /** Applies a (checked) entry's effect on keys and kinds. */
  apply(entry: Entry): void {
    if (isCoreKind(entry, MANIFEST_KIND)) {
      const m = entry.body;
      this.manifest = m;
      for (const rk of m.rootKeys) {
        const keyId = this.keyIdOf(rk.publicKey);
        this.keys.set(keyId, {
          keyId,
          publicKey: rk.publicKey,
          principal: rk.principal,
          roles: [ADMIN_ROLE],
          attributes: undefined,
          registeredAt: entry.seq,
          revokedAt: undefined,
        });
      }
      const ckId = this.keyIdOf(m.checkpointKey.publicKey);
      if (!this.keys.has(ckId))
        this.keys.set(ckId, {
          keyId: ckId,
          publicKey: m.checkpointKey.publicKey,
          principal: `checkpoint:${m.checkpointKey.name}`,
          roles: [CHECKPOINTER_ROLE],
          attributes: undefined,
          registeredAt: entry.seq,
          revokedAt: undefined,
        });
    } else if (isCoreKind(entry, KEY_REGISTER_KIND)) {
      const r = entry.body;
      const keyId = this.keyIdOf(r.publicKey);
      this.keys.set(keyId, {
        keyId,
        publicKey: r.publicKey,
        principal: r.principal,
        roles: [...r.roles],
        attributes: r.attributes,
        registeredAt: entry.seq,
        revokedAt: undefined,
      });
    } else if (isCoreKind(entry, KEY_REVOKE_KIND)) {
      const r = entry.body;
      const keyId = toHex(r.keyId);
      const k = this.keys.get(keyId);
      if (k && k.revokedAt === undefined) this.keys.set(keyId, { ...k, revokedAt: entry.seq });
    } else if (isCoreKind(entry, KIND_DECLARE_KIND)) {
      const r = entry.body;
      this.kinds.set(r.kind, { roles: [...r.roles], declaredAt: entry.seq });
    }
  }

  /** Problems specific to state (not schema): re-registering a live key, revoking an unknown key, etc. */
  stateIssues(entry: Entry): Issue[] {
    const b: Obj = isObj(entry.body) ? entry.body : {};
    if (entry.kind === KEY_REGISTER_KIND && isPublicKey(b.publicKey)) {
      const wrong = this.manifest
        ? publicKeyIssue(this.manifest.suite, b.publicKey, ['publicKey'])
        : undefined;
      if (wrong) return [wrong];
      const existing = this.keys.get(this.keyIdOf(b.publicKey));
      if (existing && existing.revokedAt === undefined)
        return [issue('duplicate_key', ['publicKey'], `key already registered to ${existing.principal}`)];
      if (existing) return [issue('revoked_key', ['publicKey'], 'a revoked key cannot be registered again')];
    }
    if (entry.kind === KEY_REVOKE_KIND && isKey(b.keyId)) {
      const k = this.keys.get(toHex(b.keyId));
      if (!k) return [issue('unknown_key', ['keyId'], 'no such key')];
      if (k.revokedAt !== undefined) return [issue('already_revoked', ['keyId'], 'key already revoked')];
    }
    if (entry.kind === KIND_DECLARE_KIND && isText(b.kind) && this.kinds.has(b.kind))
      return [issue('duplicate_kind', ['kind'], `kind ${b.kind} already declared`)];
    return [];
  }
}
