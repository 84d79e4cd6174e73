/**
 * Read access to a prefix of the log, the same for an open ledger, a kind's append-time check and verification "as
 * of" an entry: the retention and access rules are evaluated through it so all three give the same answer.
 */
import { portableSuiteById } from '../crypto/registry';
import type { CryptoSuite } from '../crypto/types';
import type { EntryIndex } from '../ledger/entry-index';
import { MANIFEST_KIND } from '../ledger/format';
import { KEY_REGISTER_KIND, isCoreKind } from '../ledger/registry';
import { CORE_KIND_INDEX } from '../ledger/rows';
import type { KindCheckContext, StoredEntry } from '../ledger/types';

export interface Signatory {
  readonly principal: string;
  readonly roles: readonly string[];
}

export interface LogReader {
  /** Entries [0, size) are visible. */
  readonly size: number;
  /** Visible seqs with `key` in `index`, ascending. */
  lookup(index: string, key: string): Promise<number[]>;
  get(seq: number): Promise<StoredEntry>;
  /** Principal and roles of a key id (hex), when registered. */
  signatory(keyId: string): Promise<Signatory | undefined>;
  /** The log's crypto suite (its manifest's): key ids and the identity hashes entries cite (policyHash). */
  suite(): Promise<CryptoSuite>;
}

interface LedgerLike {
  readonly suite: CryptoSuite;
  readonly size: number;
  lookup(index: string, key: string): Promise<number[]>;
  get(seq: number): Promise<StoredEntry>;
  readonly keys: { readonly keys: ReadonlyMap<string, { principal: string; roles: readonly string[] }> };
}

/** A reader over an open ledger, optionally cut at `size` (verification as of an entry). */
export function ledgerReader(ledger: LedgerLike, size = ledger.size): LogReader {
  return {
    size,
    lookup: async (index, key) => (await ledger.lookup(index, key)).filter((s) => s < size),
    get: (seq) => {
      if (seq >= size) throw new RangeError(`seq ${seq} is not visible (size ${size})`);
      return ledger.get(seq);
    },
    signatory: async (keyId) => ledger.keys.keys.get(keyId),
    suite: async () => ledger.suite,
  };
}

/**
 * A reader for verification: lookups answer from rows recomputed from the entries (never the stored rows), so an entry
 * appended without its rows is seen, and a stray stored row finds nothing.
 */
export function indexReader(ledger: LedgerLike, index: EntryIndex, size = index.size): LogReader {
  return {
    size,
    lookup: async (name, key) => index.lookup(name, key, size),
    get: (seq) => {
      if (seq >= size) throw new RangeError(`seq ${seq} is not visible (size ${size})`);
      return ledger.get(seq);
    },
    signatory: async (keyId) => ledger.keys.keys.get(keyId),
    suite: async () => ledger.suite,
  };
}

/** A reader over a reader, cut at `size`. */
export function cutReader(r: LogReader, size: number): LogReader {
  return {
    size,
    lookup: async (index, key) => (await r.lookup(index, key)).filter((s) => s < size),
    get: (seq) => {
      if (seq >= size) throw new RangeError(`seq ${seq} is not visible (size ${size})`);
      return r.get(seq);
    },
    signatory: (keyId) => r.signatory(keyId),
    suite: () => r.suite(),
  };
}

/**
 * A reader for a kind's append-time check: keys come from the `core/key.register` entries before the entry, with key
 * ids under the suite the log's manifest (entry 0) names (CryptoError CRYPTO_UNKNOWN_SUITE for any other).
 */
export function contextReader(ctx: KindCheckContext): LogReader {
  let keys: Promise<Map<string, Signatory>> | undefined;
  let suite: Promise<CryptoSuite> | undefined;
  const suiteOfLog = async () => {
    const genesis = await ctx.get(0);
    const named = isCoreKind(genesis, MANIFEST_KIND) ? genesis.body.suite : undefined;
    return portableSuiteById(named);
  };
  const load = async () => {
    const m = new Map<string, Signatory>();
    suite ??= suiteOfLog();
    const { keyId } = await suite;
    for (const s of await ctx.lookup(CORE_KIND_INDEX, KEY_REGISTER_KIND)) {
      const e = await ctx.get(s);
      if (isCoreKind(e, KEY_REGISTER_KIND))
        m.set(keyId(e.body.publicKey), { principal: e.body.principal, roles: e.body.roles });
    }
    return m;
  };
  return {
    size: ctx.size,
    lookup: (index, key) => ctx.lookup(index, key),
    get: (seq) => ctx.get(seq),
    signatory: async (keyId) => {
      keys ??= load();
      return (await keys).get(keyId);
    },
    suite: () => {
      suite ??= suiteOfLog();
      return suite;
    },
  };
}

/** Entries of `kind` among the seqs, in order. */
export async function entriesOfKind(
  r: LogReader,
  seqs: readonly number[],
  kind: string,
): Promise<StoredEntry[]> {
  const out: StoredEntry[] = [];
  for (const s of seqs) {
    const e = await r.get(s);
    if (e.kind === kind) out.push(e);
  }
  return out;
}
