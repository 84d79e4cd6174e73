/** Where a ledger lives, and opening it: a LevelDB folder, a PostgreSQL URL, an abstract-level database or a store. */
import { type AnyLevel, LevelStore, isLevel, openForReading } from './level-store';
import { PostgresStore, isPostgresUrl } from './pg-store';
import { type LedgerStore, type StoreReader, isLedgerStore } from './store';

/**
 * A ledger's location: a LevelDB folder path, a `postgres://` (or `postgresql://`) URL, an open abstract-level
 * database, or any LedgerStore (e.g. a `PostgresStore` opened with options). A database or store passed in is not
 * closed by the ledger.
 */
export type Location = string | AnyLevel | LedgerStore;

export async function openStore(
  location: Location,
  opts: { createIfMissing: boolean },
): Promise<{ readonly store: LedgerStore; readonly owns: boolean }> {
  if (isLedgerStore(location)) return { store: location, owns: false };
  if (isPostgresUrl(location)) return { store: await PostgresStore.open(location, opts), owns: true };
  if (typeof location !== 'string' && !isLevel(location))
    throw new TypeError(
      'location must be a folder path, a postgres:// URL, an abstract-level database or a store',
    );
  return { store: await LevelStore.open(location, opts), owns: typeof location === 'string' };
}

/**
 * Opens a location only to read it (verification), as one consistent view: a LevelDB folder held by a writer or
 * write-protected is read through a private copy (`openForReading`); PostgreSQL through a REPEATABLE READ snapshot,
 * while others go on appending. Nothing is created, migrated or written. `close` ends the view.
 */
export async function openStoreForReading(
  location: Location,
): Promise<{ readonly reader: StoreReader; close(): Promise<void> }> {
  if (isLedgerStore(location)) {
    const view = await location.snapshot();
    return { reader: view, close: () => view.release() };
  }
  if (isPostgresUrl(location)) {
    const store = await PostgresStore.open(location, { readOnly: true });
    try {
      const view = await store.snapshot();
      return {
        reader: view,
        close: async () => {
          await view.release().catch(() => {});
          await store.close();
        },
      };
    } catch (err) {
      await store.close().catch(() => {});
      throw err;
    }
  }
  if (typeof location !== 'string' && !isLevel(location))
    throw new TypeError(
      'location must be a folder path, a postgres:// URL, an abstract-level database or a store',
    );
  const { db, close } = await openForReading(location);
  return { reader: db, close };
}
