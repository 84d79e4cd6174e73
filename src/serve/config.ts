/**
 * The server's configuration file (docs/SERVE.md "Configuration"): its key store and the principals that may call it.
 *
 *   {
 *     "format": "enforcement-ledger/serve@1",
 *     "keys": { "officer-wang": "keys/officer-wang.pem", "system": "keys/system.pem", "root": "keys/root.pem" },
 *     "checkpointKey": "root",
 *     "principals": [
 *       { "id": "ecs-officer-wang", "tokenSha256": "<hex>", "scopes": ["read", "append"], "keys": ["officer-wang"] }
 *     ]
 *   }
 *
 * A principal is a caller (a person's session in the enforcement system, a device gateway, an inspector's tool). It
 * authenticates with a bearer token; only the token's SHA-256 is stored here. It may sign only with the keys listed
 * in its `keys` (names of the key store): the server holds the private keys, so a caller never sends one, and a
 * request naming another principal's key is refused before anything is signed. The ledger then checks the key's
 * roles for the record kind, as for any embedder. Key paths are relative to the config file's folder. A key of the
 * store is a PEM file of either suite, the same key on a worker pool, or a process that holds it (a signature server's
 * client, a UKey or HSM bridge: see KeySource); all must be of the served ledger's suite (`checkSuite`).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { toHex } from '../bytes';
import {
  SUITE_IDS,
  createPooledSigner,
  createProcessSigner,
  isSuiteId,
  nodeSuite,
  readAnyPrivateKeyFile,
  suiteById,
} from '../crypto';
import type { Signer } from '../crypto/types';
import { ValidationError } from '../errors';

export const SERVE_CONFIG_FORMAT = 'enforcement-ledger/serve@1';

/** What a principal may do; `append` and `admin` still need a key whose roles the ledger accepts for the kind. */
export const SCOPES = [
  'read',
  'append',
  'retention',
  'access',
  'checkpoint',
  'export',
  'verify',
  'admin',
] as const;
export type Scope = (typeof SCOPES)[number];

const KeyName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a key name: letters, digits, . _ -');
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex digits');

/**
 * One key of the key store (docs/SERVE.md "Keys held outside the server"):
 * - `"keys/x.pem"` or `{ "file": "keys/x.pem" }`: a PKCS#8 PEM file (as `keys generate` or `openssl genpkey` writes)
 *   of either suite, recognised by its algorithm OID; signs on the calling thread.
 * - `{ "file": …, "pool": { "threads": n } }`: the same key, signing on worker threads (createPooledSigner).
 * - `{ "process": { "suite", "command", "args", "env", "timeoutMs" } }`: the key lives in another process — a signature
 *   server's client or a bridge to a USB key (SKF) or an HSM (PKCS#11) speaking the line protocol of
 *   src/crypto/process-signer.ts; the server never sees the private key. A relative command path (with a `/`) is
 *   relative to the config file; a bare name is looked up on PATH.
 */
const KeyFile = z.string().min(1);
const KeySource = z.union([
  KeyFile,
  z.strictObject({
    file: KeyFile,
    pool: z.strictObject({ threads: z.number().int().min(1).max(64).optional() }).optional(),
  }),
  z.strictObject({
    process: z.strictObject({
      suite: z.string().refine(isSuiteId, `a suite id: ${SUITE_IDS.join(', ')}`),
      command: z.string().min(1),
      args: z.array(z.string()).default([]),
      /** Added to the server's environment for the child (e.g. the bridge's device or slot). */
      env: z.record(z.string(), z.string()).default({}),
      /** Per signature, ms (a USB key asking for its PIN may take a while); default 30 s. */
      timeoutMs: z.number().int().min(1).max(600_000).optional(),
    }),
  }),
]);
export type KeySourceInput = z.input<typeof KeySource>;

export const ServeConfigSchema = z.strictObject({
  format: z.literal(SERVE_CONFIG_FORMAT),
  /** The key store: name → where the key is (a PEM file relative to the config file, a pool, or a process). */
  keys: z.record(KeyName, KeySource).default({}),
  /** Key that signs checkpoints (role checkpointer or admin); `POST /v1/checkpoints` needs it. */
  checkpointKey: KeyName.optional(),
  /** Key that signs proof bundles (role admin or archivist); `POST /v1/bundles` needs it. */
  exporterKey: KeyName.optional(),
  /**
   * The server's own key (role `system`): it signs only the entries a kind lets the system sign as the archive's
   * operator — retrieval and disclosure events, purges — when the request names no key of its own.
   */
  systemKey: KeyName.optional(),
  /** Content store folder (files by digest), relative to the config file; default: the ledger folder's content/. */
  contentDir: z.string().min(1).optional(),
  /** Largest request body in bytes (default 1 MiB); a larger one is refused with 413 before it is read whole. */
  maxBodyBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1024 * 1024),
  /** Largest file upload (POST /v1/content) in bytes; default 1 GiB. */
  maxContentBytes: z.number().int().min(1024).optional(),
  /** The tlog-tiles read API (/checkpoint, /tile/…) without a token, for witnesses and inspectors. Default false. */
  publicTiles: z.boolean().default(false),
  principals: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(128),
        /** Hex SHA-256 of the bearer token (the token itself is never stored). */
        tokenSha256: Hex32,
        scopes: z.array(z.enum(SCOPES)).min(1),
        /** Keys of the key store this principal may sign with. */
        keys: z.array(KeyName).default([]),
      }),
    )
    .min(1),
});
export type ServeConfigInput = z.input<typeof ServeConfigSchema>;
type ServeConfigData = z.output<typeof ServeConfigSchema>;

export interface Principal {
  readonly id: string;
  readonly scopes: ReadonlySet<Scope>;
  /** Key names this principal may sign with. */
  readonly keys: readonly string[];
}

export interface ServeConfig {
  readonly data: ServeConfigData;
  /** Folder the config file is in (paths in it are relative to this). */
  readonly base: string;
  readonly principals: readonly Principal[];
  /** Signers of the key store by name. */
  readonly signers: ReadonlyMap<string, Signer>;
  /**
   * Throws ValidationError (`wrong_suite`, the key's path) when a key of the store is not of `suiteId` (the served
   * ledger's suite), before anything is signed with it.
   */
  checkSuite(suiteId: string): void;
  /** Stops the signers that hold resources: worker pools, signing processes. Idempotent. */
  close(): Promise<void>;
  /** The principal holding `token`, if any. */
  authenticate(token: string): Principal | undefined;
  /**
   * Takes the principals (tokens, scopes, keys they may sign with) of `next`, a newer reading of the same config file,
   * in place: requests authenticated from now on use them, requests in flight keep theirs. Everything else must be
   * unchanged (the key store is loaded once): otherwise throws ValidationError (`restart_required`, the field's path)
   * and keeps the principals as they were. `serve` calls it on SIGHUP.
   */
  reloadPrincipals(next: ServeConfig): void;
}

/** Hex SHA-256 of a bearer token, as `tokenSha256` holds it. */
export function tokenDigest(token: string): string {
  return toHex(nodeSuite.hash(new TextEncoder().encode(token)));
}

/** Checks a parsed config (ValidationError with every issue and its path), loads its keys. */
export async function loadServeConfig(json: unknown, base: string): Promise<ServeConfig> {
  const r = ServeConfigSchema.safeParse(json);
  if (!r.success)
    throw new ValidationError(
      r.error.issues.map((i) => ({
        code: i.code,
        path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: i.message,
      })),
    );
  const data = r.data;
  const issues: Array<{ code: string; path: Array<string | number>; message: string }> = [];
  const known = (name: string | undefined, path: Array<string | number>) => {
    if (name !== undefined && !(name in data.keys))
      issues.push({ code: 'unknown_key', path, message: `no key ${name} in keys` });
  };
  known(data.checkpointKey, ['checkpointKey']);
  known(data.exporterKey, ['exporterKey']);
  known(data.systemKey, ['systemKey']);
  const ids = new Set<string>();
  const digests = new Set<string>();
  data.principals.forEach((p, i) => {
    p.keys.forEach((k, j) => {
      known(k, ['principals', i, 'keys', j]);
    });
    if (ids.has(p.id))
      issues.push({
        code: 'duplicate_id',
        path: ['principals', i, 'id'],
        message: `principal ${p.id} twice`,
      });
    if (digests.has(p.tokenSha256))
      issues.push({
        code: 'duplicate_token',
        path: ['principals', i, 'tokenSha256'],
        message: 'two principals share a token',
      });
    ids.add(p.id);
    digests.add(p.tokenSha256);
  });
  if (issues.length) throw new ValidationError(issues);

  const signers = new Map<string, Signer>();
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async () => {
    const all = closers.splice(0);
    await Promise.allSettled(all.map((c) => c()));
  };
  try {
    for (const [name, source] of Object.entries(data.keys)) {
      const signer = await openKey(source, base);
      if ('close' in signer && typeof signer.close === 'function') {
        const closable = signer as Signer & { close(): Promise<void> | void };
        closers.push(async () => {
          await closable.close();
        });
      }
      signers.set(name, signer);
    }
  } catch (err) {
    await closeAll();
    throw err;
  }

  let current = principalsOf(data);
  const config: ServeConfig = {
    get data() {
      return current.data;
    },
    base,
    get principals() {
      return current.principals;
    },
    signers,
    checkSuite(suiteId) {
      const wrong = [...signers].filter(([, s]) => s.suite !== suiteId);
      if (wrong.length)
        throw new ValidationError(
          wrong.map(([name, s]) => ({
            code: 'wrong_suite',
            path: ['keys', name],
            message: `key ${name} is a ${s.suite} key; the ledger's suite is ${suiteId}`,
          })),
        );
    },
    close: closeAll,
    authenticate(token) {
      // The map is keyed by the token's digest: the lookup time does not depend on how much of a guess matches.
      return current.byDigest.get(tokenDigest(token));
    },
    reloadPrincipals(next) {
      const { principals: _a, ...was } = current.data;
      const { principals: _b, ...now } = next.data;
      const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter(
        (k) =>
          JSON.stringify((was as Record<string, unknown>)[k]) !==
          JSON.stringify((now as Record<string, unknown>)[k]),
      );
      if (next.base !== base) changed.push('base');
      if (changed.length)
        throw new ValidationError(
          changed.sort().map((k) => ({
            code: 'restart_required',
            path: [k],
            message: `${k} changed: only principals are reloaded; restart to apply it`,
          })),
        );
      current = principalsOf(next.data);
    },
  };
  return config;
}

/** The signer of one key store entry (see KeySource). */
async function openKey(source: z.output<typeof KeySource>, base: string): Promise<Signer> {
  if (typeof source === 'string' || 'file' in source) {
    const file = typeof source === 'string' ? source : source.file;
    const { suite, privateKey } = await readAnyPrivateKeyFile(resolve(base, file));
    if (typeof source !== 'string' && source.pool !== undefined)
      return createPooledSigner(privateKey, {
        suite,
        ...(source.pool.threads === undefined ? {} : { threads: source.pool.threads }),
      });
    return suiteById(suite).createSigner(privateKey);
  }
  const p = source.process;
  const command = !isAbsolute(p.command) && p.command.includes('/') ? resolve(base, p.command) : p.command;
  return createProcessSigner({
    suite: p.suite,
    command,
    args: p.args,
    env: { ...process.env, ...p.env },
    ...(p.timeoutMs === undefined ? {} : { timeoutMs: p.timeoutMs }),
  });
}

function principalsOf(data: ServeConfigData) {
  const principals: Principal[] = data.principals.map((p) => ({
    id: p.id,
    scopes: new Set(p.scopes),
    keys: [...p.keys],
  }));
  const byDigest = new Map(data.principals.map((p, i) => [p.tokenSha256, principals[i]!]));
  return { data, principals, byDigest };
}

/** Reads and loads a config file. */
export async function readServeConfig(path: string): Promise<ServeConfig> {
  const text = await readFile(path, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ValidationError([
      { code: 'invalid_json', path: [], message: `${path} is not JSON: ${(err as Error).message}` },
    ]);
  }
  return loadServeConfig(json, dirname(resolve(path)));
}
