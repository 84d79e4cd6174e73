/**
 * Verification of what the domain adds to the log: each enforcement record's check (unique ids, references, the
 * kind's state check, the archive lock) replayed as of its own position, so that an entry written straight into the
 * store, bypassing append, is reported (DESIGN.md invariant 2). The ledger's verify covers bytes, signatures, roles
 * and schemas. Cost: one read per entry plus the index reads of each record's check.
 */
import type { Issue } from '../errors';
import type { KindCheckContext, StoredEntry, VerifyProblem } from '../ledger/types';
import { checkEntry } from './definitions';
import { SPEC_BY_KIND } from './kinds';

/** A record check failed at `seq`: `code` is the issue code (`case_archived`, `dangling_reference`…). */
export interface RecordProblem extends VerifyProblem {
  /** Entry path of the issue (`['body', 'caseId']`). */
  readonly path: ReadonlyArray<string | number>;
}

export interface RecordsVerifyReport {
  readonly ok: boolean;
  /** Enforcement records checked. */
  readonly checked: number;
  readonly problems: RecordProblem[];
}

/** What verifyRecords reads: an open ledger. */
export interface RecordsLog {
  readonly size: number;
  lookup(index: string, key: string): Promise<number[]>;
  get(seq: number): Promise<StoredEntry>;
  readonly keys: { readonly keys: ReadonlyMap<string, { principal: string; roles: readonly string[] }> };
}

/** Records checked at once (bench/records.ts: throughput against one at a time). */
const CONCURRENCY = 32;
/** Cached lookups and entries, each: a few MiB at most. */
const CACHE_ENTRIES = 20_000;

/** A map that forgets everything when full (cheap, and enough for the locality of one case's records). */
class BoundedCache<K, V> {
  private readonly map = new Map<K, V>();
  constructor(private readonly max: number) {}
  getOrSet(key: K, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    if (this.map.size >= this.max) this.map.clear();
    const v = make();
    this.map.set(key, v);
    return v;
  }
}

export interface VerifyRecordsOptions {
  /** Check records from this seq on (incremental verification after a trusted checkpoint of that size). */
  readonly from?: number;
}

/** Every enforcement record's check as of its position, with problems in log order. */
export async function verifyRecords(
  log: RecordsLog,
  options: VerifyRecordsOptions = {},
): Promise<RecordsVerifyReport> {
  const from = options.from ?? 0;
  if (!Number.isSafeInteger(from) || from < 0)
    throw new RangeError('options.from must be a non-negative integer');
  const problems: RecordProblem[] = [];
  let checked = 0;
  const size = log.size;
  // The log does not change during the run, so index lookups and entry reads are cached (bounded): records of one
  // case name the same case, officers, action and archive keys over and over.
  const lookups = new BoundedCache<string, Promise<number[]>>(CACHE_ENTRIES);
  const entries = new BoundedCache<number, Promise<StoredEntry>>(CACHE_ENTRIES);
  const lookup = (index: string, key: string): Promise<number[]> =>
    lookups.getOrSet(`${index}\u0000${key}`, () => log.lookup(index, key));
  const get = (seq: number): Promise<StoredEntry> => entries.getOrSet(seq, () => log.get(seq));
  const checkOne = async (seq: number): Promise<void> => {
    let entry: StoredEntry;
    try {
      entry = await log.get(seq);
    } catch {
      return; // unreadable entries are the ledger verify's finding
    }
    const spec = SPEC_BY_KIND.get(entry.kind);
    if (!spec) return;
    checked++;
    // Keys are bound to one principal when registered; roles at each point are the ledger verify's check.
    const key = log.keys.keys.get(entry.signer);
    const ctx: KindCheckContext = {
      size: seq,
      lookup: async (index, k) => (await lookup(index, k)).filter((s) => s < seq),
      get: async (s) => {
        if (s >= seq) throw new RangeError(`seq ${s} is not before ${seq}`);
        return get(s);
      },
      signerRoles: key?.roles ?? [],
      signerPrincipal: key?.principal ?? '',
    };
    let issues: Issue[];
    try {
      issues = await checkEntry(spec, entry, ctx);
    } catch (err) {
      issues = [{ code: 'check_failed', path: [], message: (err as Error).message }];
    }
    for (const i of issues)
      problems.push({
        seq,
        code: i.code,
        path: i.path,
        message: `entry ${seq} (${entry.kind}) ${i.path.join('.')}: ${i.message}`,
      });
  };
  // Each check reads only entries before its own (immutable), so records are checked CONCURRENCY at a time: their
  // storage reads overlap. Problems are put back in log order.
  for (let seq = from; seq < size; seq += CONCURRENCY) {
    const window: Array<Promise<void>> = [];
    for (let s = seq; s < Math.min(size, seq + CONCURRENCY); s++) window.push(checkOne(s));
    await Promise.all(window);
  }
  problems.sort((a, b) => a.seq - b.seq);
  return { ok: problems.length === 0, checked, problems };
}
