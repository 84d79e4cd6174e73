/**
 * The ledger folder the command line works in (docs/CLI.md, "Folder layout"):
 *   <dir>/config.json   origin, agency, rule set (format enforcement-ledger/folder@1)
 *   <dir>/ledger/       the LevelDB ledger (unless config.json names a PostgreSQL ledger: `"ledger": "postgres://…"`)
 *   <dir>/content/      the content store (media, scans) addressed by the suite's hash (SHA-256 or SM3); with a
 *                       PostgreSQL ledger only the bytes — sizes, chunk hashes and purge markers are state rows of
 *                       the ledger's database (FsContentStore `index`), shared by every server on it
 *   <dir>/keys/*.pem    private keys (PKCS#8 PEM, mode 0600, Ed25519 or SM2); root.pem signs the manifest and
 *                       checkpoints
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ArchiveBodies, archiveKinds } from '../access/archive';
import type { CoreBodies } from '../ledger/registry';
import { FsContentStore } from '../content';
import { readAnyPrivateKeyFile } from '../crypto/keyfile';
import { suiteById } from '../crypto/node-registry';
import { SUITE_IDS } from '../crypto/registry';
import type { Signer, SuiteId } from '../crypto/types';
import { EnforcementRecords } from '../domain/records';
import { Ledger, SUITE_ID } from '../ledger';
import { PostgresStore, isPostgresUrl } from '../ledger/pg-store';
import { StorageError } from '../errors';
import { z } from 'zod';
import { CliError } from './exit';

export const FOLDER_FORMAT = 'enforcement-ledger/folder@1';

export const ConfigSchema = z.object({
  format: z.literal(FOLDER_FORMAT),
  origin: z.string().min(1),
  agencyId: z.string().min(1).optional(),
  agencyName: z.string().min(1).optional(),
  ruleSet: z.string().min(1),
  /** The ledger's crypto suite (its manifest's); absent in folders made before suites: `ed25519-sha256`. */
  suite: z.enum(SUITE_IDS as unknown as [SuiteId, ...SuiteId[]]).optional(),
  createdAt: z.string(),
  /** The ledger lives in PostgreSQL at this URL (docs/design/storage.md) instead of <dir>/ledger/. */
  ledger: z.string().refine(isPostgresUrl, 'a postgres:// URL').optional(),
});
export type FolderConfig = z.infer<typeof ConfigSchema>;

export interface FolderPaths {
  readonly dir: string;
  readonly config: string;
  readonly ledger: string;
  readonly content: string;
  readonly keys: string;
}

export function folderPaths(dir: string): FolderPaths {
  return {
    dir,
    config: join(dir, 'config.json'),
    ledger: join(dir, 'ledger'),
    content: join(dir, 'content'),
    keys: join(dir, 'keys'),
  };
}

/** Where the folder's ledger is: the PostgreSQL URL its config names, else <dir>/ledger/ (LevelDB). */
export function ledgerLocation(dir: string, config: FolderConfig | undefined): string {
  return config?.ledger ?? folderPaths(dir).ledger;
}

const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A key name (`officer-wang` → <dir>/keys/officer-wang.pem) or a path to a PEM file (has a `/` or ends in .pem). */
export function keyPath(dir: string, nameOrPath: string): string {
  if (nameOrPath.includes('/') || nameOrPath.endsWith('.pem')) return nameOrPath;
  if (!KEY_NAME.test(nameOrPath))
    throw new CliError(
      'USAGE',
      `key name ${JSON.stringify(nameOrPath)}: use letters, digits, '.', '_' or '-'`,
    );
  return join(folderPaths(dir).keys, `${nameOrPath}.pem`);
}

export async function writeConfig(dir: string, config: FolderConfig): Promise<void> {
  await writeFile(folderPaths(dir).config, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
}

/** Reads config.json; a missing folder or file is STORAGE_NOT_FOUND, a damaged one STORAGE_CORRUPT (exit 3). */
export async function readConfig(dir: string): Promise<FolderConfig> {
  const p = folderPaths(dir);
  const st = await stat(dir).catch(() => undefined);
  if (!st?.isDirectory())
    throw new StorageError('STORAGE_NOT_FOUND', `no ledger folder at ${dir} (run init)`);
  let text: string;
  try {
    text = await readFile(p.config, 'utf8');
  } catch {
    throw new StorageError('STORAGE_NOT_FOUND', `${dir} is not a ledger folder: no config.json (run init)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new StorageError('STORAGE_CORRUPT', `${p.config} is not JSON`);
  }
  const r = ConfigSchema.safeParse(parsed);
  if (!r.success) throw new StorageError('STORAGE_CORRUPT', `${p.config} is not a ${FOLDER_FORMAT} config`);
  return r.data;
}

/**
 * Loads a signer from a key file of any known suite (the PKCS#8 algorithm OID says which: Ed25519 or SM2);
 * CryptoError CRYPTO_BAD_PEM for a file that is not such a private key.
 */
export async function loadSigner(dir: string, nameOrPath: string): Promise<Signer> {
  const { suite, privateKey } = await readAnyPrivateKeyFile(keyPath(dir, nameOrPath));
  return suiteById(suite).createSigner(privateKey);
}

/** The folder's crypto suite (config.json; default `ed25519-sha256`). */
export const suiteOfConfig = (config: FolderConfig): SuiteId => config.suite ?? SUITE_ID;

export interface OpenFolder {
  readonly config: FolderConfig;
  readonly paths: FolderPaths;
  /** The folder's ledger, its bodies typed for every kind the command line knows (`get(seq, kind)`). */
  readonly ledger: Ledger<FolderBodies>;
  readonly records: EnforcementRecords;
  close(): Promise<void>;
}

/**
 * Kind definitions the command line opens, appends to and verifies a folder's ledger with: the enforcement kinds and
 * the retention and access kinds (src/access/archive.ts). A folder made before the latter were declared still opens
 * and verifies (a definition of an undeclared kind is inert); `declare-kinds` declares them.
 */
export const folderKinds = () => archiveKinds();
/** Body types of every kind a folder's ledger holds (type level). */
export type FolderBodies = CoreBodies & ArchiveBodies;

export interface FolderOptions {
  /** That key signs checkpoints. */
  readonly checkpointKey?: string;
}

/**
 * Opens the folder's ledger for reading and appending (one process at a time: a second gets STORAGE_LOCKED), with
 * the folder's kinds and the command line's clock (`--now`).
 */
export async function openFolder(
  where: string | { readonly dir: string; readonly clock?: () => number },
  opts: FolderOptions = {},
): Promise<OpenFolder> {
  const { dir, clock } = typeof where === 'string' ? { dir: where, clock: undefined } : where;
  const config = await readConfig(dir);
  const paths = folderPaths(dir);
  const checkpointSigner =
    opts.checkpointKey === undefined ? undefined : await loadSigner(dir, opts.checkpointKey);
  const ledger = await Ledger.open(ledgerLocation(dir, config), {
    kinds: folderKinds(),
    ...(clock ? { clock } : {}),
    ...(checkpointSigner ? { checkpointSigner } : {}),
  });
  if (ledger.suite.id !== suiteOfConfig(config)) {
    await ledger.close();
    throw new StorageError(
      'STORAGE_CORRUPT',
      `${paths.config} names suite ${suiteOfConfig(config)}, the ledger's manifest ${ledger.suite.id}`,
    );
  }
  const records = new EnforcementRecords(ledger);
  return { config, paths, ledger, records, close: () => ledger.close() };
}

/** PostgreSQL stores opened for content indexes by `openStore`; `closeIndexStores` (end of `run`) closes them. */
const indexStores = new Set<PostgresStore>();

/** Closes the PostgreSQL connections `openStore` opened for content indexes. */
export async function closeIndexStores(): Promise<void> {
  const open = [...indexStores];
  indexStores.clear();
  await Promise.all(open.map((s) => s.close().catch(() => {})));
}

/**
 * The folder's content store, addressed by the folder's suite (config.json). With a PostgreSQL ledger its index
 * (sizes, chunk hashes, purge markers) is in the ledger's database, so every server and command on that database
 * sees the same; the connection stays open until the command ends (`closeIndexStores`).
 */
export async function openStore(dir: string): Promise<FsContentStore> {
  const config = await readConfig(dir).catch(() => undefined);
  const suite = config === undefined ? SUITE_ID : suiteOfConfig(config);
  if (config?.ledger === undefined) return FsContentStore.open(folderPaths(dir).content, { suite });
  const index = await PostgresStore.open(config.ledger, { poolSize: 2 });
  indexStores.add(index);
  return FsContentStore.open(folderPaths(dir).content, { suite, index });
}

/** Runs `fn` with the folder open and closes it afterwards, whatever happens. */
export async function withFolder<T>(
  where: Parameters<typeof openFolder>[0],
  fn: (f: OpenFolder) => Promise<T>,
  opts: FolderOptions = {},
): Promise<T> {
  const f = await openFolder(where, opts);
  try {
    return await fn(f);
  } finally {
    await f.close().catch(() => {});
  }
}
