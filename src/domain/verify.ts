/**
 * Verification of what the domain adds to the log: each enforcement record's check (unique ids, references, the
 * kind's state check, the archive lock) replayed as of its own position, so that an entry written straight into the
 * store, bypassing append, is reported (docs/ARCHITECTURE.md invariant 2). The ledger's verify covers bytes, signatures, roles
 * and schemas. Records are found by their kind and looked up through rows recomputed from the entries, never through
 * the stored (derived) rows alone. Cost: one sequential read of each entry, plus the reads of the entries a check names.
 */
import type { Issue } from '../errors';
import type { CheckResult } from '../problems';
import { EntryIndex, type EntrySource, scanEntries } from '../ledger/entry-index';
import type { KindCheckContext, KindDefinition, StoredEntry, VerifyProblem } from '../ledger/types';
import { checkEntry, toKindDefinition } from './definitions';
import { ALL_SPECS, SPEC_BY_KIND } from './kinds';
import { LISTING_INDEXES } from './spec';

/** A record check failed at `seq`: `issue` is the check's issue code (`case_archived`, `dangling_reference`…). */
export interface RecordProblem extends VerifyProblem {
  readonly code: 'RECORD_INVALID';
  /** The record check's issue code (`case_archived`, `dangling_reference`…). */
  readonly issue: string;
  /** Entry path of the issue (`['body', 'caseId']`). */
  readonly path: ReadonlyArray<string | number>;
}

export interface RecordsVerifyReport {
  readonly ok: boolean;
  /** Enforcement records checked. */
  readonly checked: number;
  readonly problems: RecordProblem[];
  /** The named check and its status (one: every record's ids, references, state and archive lock). */
  readonly checks: readonly CheckResult<'records'>[];
}

/** What verifyRecords reads: an open ledger. */
export interface RecordsLog extends EntrySource {
  lookup(index: string, key: string): Promise<number[]>;
  get(seq: number): Promise<StoredEntry>;
  readonly keys: { readonly keys: ReadonlyMap<string, { principal: string; roles: readonly string[] }> };
  /** Kind definitions the log was opened with (their rows first; the domain's own otherwise). */
  readonly kinds?: ReadonlyMap<string, KindDefinition>;
}

let domainDefs: ReadonlyMap<string, KindDefinition> | undefined;
function domainDef(kind: string): KindDefinition | undefined {
  domainDefs ??= new Map(ALL_SPECS.map((s) => [s.kind, toKindDefinition(s)]));
  return domainDefs.get(kind);
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
  // Lookups answer from rows recomputed from the entries as they are read, never from the stored rows, so a record
  // appended without its rows is still seen by the checks of the records after it. With `from`, the rows of the
  // entries before it (verified by the earlier run the checkpoint stands for) are read from the store.
  const index = new EntryIndex((kind) => log.kinds?.get(kind) ?? domainDef(kind), LISTING_INDEXES);
  const stored = new BoundedCache<string, Promise<number[]>>(CACHE_ENTRIES);
  const storedBefore = (name: string, key: string): Promise<number[]> =>
    from === 0
      ? Promise.resolve([])
      : stored.getOrSet(`${name}\u0000${key}`, async () =>
          (await log.lookup(name, key)).filter((s) => s < from),
        );
  const entries = new BoundedCache<number, Promise<StoredEntry>>(CACHE_ENTRIES);
  const get = (seq: number): Promise<StoredEntry> => entries.getOrSet(seq, () => log.get(seq));
  const checkOne = async (entry: StoredEntry): Promise<void> => {
    const seq = entry.seq;
    const spec = SPEC_BY_KIND.get(entry.kind);
    if (!spec) return;
    checked++;
    // Keys are bound to one principal when registered; roles at each point are the ledger verify's check.
    const key = log.keys.keys.get(entry.signer);
    const ctx: KindCheckContext = {
      size: seq,
      lookup: async (name, k) => [...(await storedBefore(name, k)), ...index.lookup(name, k, seq)],
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
        code: 'RECORD_INVALID',
        issue: i.code,
        path: i.path,
        message: `entry ${seq} (${entry.kind}) ${i.path.join('.')}: ${i.message}`,
      });
  };
  // One sequential read of the entries. Each check reads only entries before its own (immutable), so records are
  // checked CONCURRENCY at a time while the scan goes on: their storage reads overlap. Unreadable entries are the
  // ledger verify's finding. Problems are put back in log order.
  let window: Array<Promise<void>> = [];
  await scanEntries(
    log,
    { from, to: size },
    async (e) => {
      index.add(e);
      entries.getOrSet(e.seq, () => Promise.resolve(e));
      window.push(checkOne(e));
      if (window.length >= CONCURRENCY) {
        await Promise.all(window);
        window = [];
      }
    },
    (s) => index.addUnreadable(s),
  );
  await Promise.all(window);
  problems.sort((a, b) => a.seq - b.seq);
  const checks: CheckResult<'records'>[] = [
    {
      name: 'records',
      status: problems.length ? 'failed' : checked ? 'passed' : 'not_checked',
      problems: problems.length,
      detail: `${checked} record(s) from seq ${from}`,
    },
  ];
  return { ok: problems.length === 0, checked, problems, checks };
}
