/**
 * The one place the server opens its storage. A target is a ledger's location — a LevelDB ledger folder, or a
 * `postgres://` URL (the ledger in that database, shared with every other server process opened on it: the database
 * sequences their appends) — and the content store is a folder beside it; with a PostgreSQL ledger the folder holds
 * only the bytes, and their index (sizes, chunk hashes, purge markers) is state rows in the ledger's database, shared
 * by every server. (The command line resolves a ledger folder made by `init` to its ledger location and content/.)
 * Everything else in src/serve/ works on the `Served` this returns, never on a storage.
 */
import { archiveKinds } from '../access/archive';
import { FsContentStore } from '../content';
import type { ContentStore } from '../content/store';
import type { Signer } from '../crypto/types';
import { EnforcementRecords } from '../domain/records';
import { Ledger } from '../ledger';
import { isPostgresUrl } from '../ledger/pg-store';

export interface Served {
  readonly records: EnforcementRecords;
  readonly ledger: Ledger;
  /** The content store, when the target has one or the config names one. */
  readonly store: ContentStore | undefined;
  /** What was opened, for the health endpoint and logs (a URL without its password). */
  readonly description: string;
  /**
   * Catches up with what other server processes appended (PostgreSQL; nothing to do for LevelDB, which has this one
   * writer). Read routes call it first, so a read on one instance sees every append acknowledged by any instance
   * before the read began. Concurrent calls share one catch-up.
   */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenServedOptions {
  /** Signs checkpoints (`POST /v1/checkpoints`). */
  readonly checkpointSigner?: Signer;
  /** Content store folder (files by digest); without one, the content routes answer 503 NOT_CONFIGURED. */
  readonly contentDir?: string;
}

export { isPostgresUrl };

/** A URL without its password, for logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'a postgres:// URL';
  }
}

/** Opens the ledger (with the enforcement, retention and access kinds) and its content store. */
export async function openServed(target: string, opts: OpenServedOptions = {}): Promise<Served> {
  if (typeof target !== 'string' || target === '') throw new TypeError('target must be a folder or a URL');
  const pgUrl = isPostgresUrl(target);
  const ledger = await Ledger.open(target, {
    kinds: archiveKinds(),
    ...(opts.checkpointSigner ? { checkpointSigner: opts.checkpointSigner } : {}),
  });
  const contentDir = opts.contentDir;
  let store: ContentStore | undefined;
  try {
    // Objects are addressed by the ledger's hash (SM3 on an sm2-sm3 ledger), as its entries' content refs are.
    store =
      contentDir === undefined
        ? undefined
        : await FsContentStore.open(contentDir, {
            suite: ledger.suite.id,
            ...(pgUrl ? { index: ledger.store } : {}),
          });
  } catch (err) {
    await ledger.close();
    throw err;
  }
  let refreshing: Promise<void> | undefined;
  const refresh = (): Promise<void> => {
    if (!pgUrl) return Promise.resolve();
    refreshing ??= ledger
      .refresh()
      .then(() => {})
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };
  return {
    records: new EnforcementRecords(ledger),
    refresh,
    ledger,
    store,
    description: pgUrl ? `PostgreSQL ledger ${redact(target)}` : `LevelDB ledger ${target}`,
    close: () => ledger.close(),
  };
}
