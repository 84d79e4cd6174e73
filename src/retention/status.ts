/**
 * Retention class and expiry of one record's content, and the legal holds on it, computed from the log (Art. 22(3)(4)):
 * - AV marked as evidence (`ret/evidence`) follows its case file; other AV is kept `av.months` from its recording end
 *   or its first deposit (policy);
 * - documents and electronic data follow the case file, unless their type has its own class (policy) or a
 *   `ret/reclassify` names them;
 * - the case file's class is its archive entry's, or the latest `ret/reclassify` of the whole case; its period runs
 *   from the archive date or the next 1 January (policy). A record whose case is not archived yet has no expiry.
 * - Art. 22(3) "作为证据使用的音像记录资料保存期限应当与案卷保存期限相同；不作为证据使用的音像记录资料至少保存6个月": whether a
 *   segment is 作为证据使用 is settled only when its case ends (办结, `enf/case.close`). While the case is open its
 *   segments are pending (`case_open`), whatever their age or evidence mark, so no purge can take them.
 */
import { isObj } from '../guards';
import { toHex } from '../bytes';
import { KIND } from '../domain/kind-names';
import { INDEX } from '../domain/spec';
import type { StoredEntry } from '../ledger/types';
import { endOfChinaYear, expiryOf } from './period';
import type { RetentionPolicy } from './policy';
import type { LogReader } from './reader';
import { type RecordIdentity, identify, scopeCovers } from './records';
import { RET } from './kind-names';

export type RetentionBasis = 'case_file' | 'av_recording' | 'av_deposit';

export type RetentionState =
  /** Kept for ever (class with no period). */
  | 'permanent'
  /**
   * Expiry not known yet (case open or not archived, AV not deposited) or not computable: never purgeable, whatever
   * the record's age.
   */
  | 'pending'
  /** Has an expiry instant. */
  | 'scheduled';

export interface RecordRetention {
  readonly seq: number;
  /** Hex SHA-256 of the content. */
  readonly digest: string;
  readonly kind: string;
  readonly caseId: string | undefined;
  readonly recordId: string | undefined;
  readonly state: RetentionState;
  /** `AV` for AV kept by the AV rule; else a class of the policy (Y, D30, D10…); undefined when pending. */
  readonly retentionClass: string | undefined;
  readonly basis: RetentionBasis | undefined;
  readonly evidence: boolean;
  /** Instant the period runs from (its China date is not counted). */
  readonly from: number | undefined;
  /** First instant at which the content may be purged. */
  readonly expiresAt: number | undefined;
  /** Why the state is pending. */
  readonly pendingReason?: 'case_open' | 'case_not_archived' | 'not_deposited' | 'unknown_class' | 'no_case';
}

async function latest(
  r: LogReader,
  index: string,
  key: string,
  kind: string,
  pred: (e: StoredEntry) => boolean,
) {
  const seqs = await r.lookup(index, key);
  for (let i = seqs.length - 1; i >= 0; i--) {
    const e = await r.get(seqs[i]!);
    if (e.kind === kind && pred(e)) return e;
  }
  return undefined;
}

/** An entry's body as a map of fields; a body that is not a map has none (read, never cast). */
const body = (e: StoredEntry): Record<string, unknown> => (isObj(e.body) ? e.body : {});

/** The case file's class and the instant its period runs from; undefined while the case is not archived. */
async function caseFile(r: LogReader, caseId: string, policy: RetentionPolicy) {
  const [archSeq] = await r.lookup(INDEX.id('case-archive'), caseId);
  if (archSeq === undefined) return undefined;
  const arch = body(await r.get(archSeq));
  const re = await latest(r, INDEX.case, caseId, RET.reclassify, (e) => !hasLists(body(e)));
  const cls = String(re ? body(re).retentionClass : arch.retentionClass);
  const at = arch.archivedAt as number;
  return { cls, from: policy.caseFileFrom === 'next_year' ? endOfChinaYear(at) : at };
}

const hasLists = (b: Record<string, unknown>) =>
  ['documentIds', 'segmentIds', 'dataIds'].some((k) => Array.isArray(b[k]));

/** Latest scoped entry of `kind` in the record's case naming the record itself (a list containing its id). */
async function latestNaming(r: LogReader, rec: RecordIdentity, kind: string) {
  if (!rec.caseId || !rec.id) return undefined;
  return latest(r, INDEX.case, rec.caseId, kind, (e) => hasLists(body(e)) && scopeCovers(body(e), rec));
}

export async function retentionOf(
  r: LogReader,
  entry: StoredEntry,
  digest: Uint8Array,
  policy: RetentionPolicy,
): Promise<RecordRetention> {
  const rec = identify(entry);
  const base = {
    seq: entry.seq,
    digest: toHex(digest),
    kind: entry.kind,
    caseId: rec.caseId,
    recordId: rec.id,
  };
  const pending = (
    why: RecordRetention['pendingReason'],
    evidence = false,
    cls?: string,
  ): RecordRetention => ({
    ...base,
    state: 'pending',
    retentionClass: cls,
    basis: undefined,
    evidence,
    from: undefined,
    expiresAt: undefined,
    pendingReason: why,
  });
  const b = body(entry);
  let evidence = false;
  if (entry.kind === KIND.segment) {
    const mark = await latest(r, INDEX.ref('segment'), rec.id ?? '', RET.evidence, (e) =>
      scopeCovers(body(e), rec),
    );
    evidence = mark !== undefined && body(mark).evidence === true;
  }
  if (entry.kind === KIND.segment && rec.caseId !== undefined) {
    const [closed] = await r.lookup(INDEX.id('case-close'), rec.caseId);
    if (closed === undefined) return pending('case_open', evidence);
  }
  const re = await latestNaming(r, rec, RET.reclassify);
  if (entry.kind === KIND.segment && !evidence && !re) {
    const months = policy.av.months;
    if (policy.av.from === 'recording') {
      const from = b.endedAt as number;
      return {
        ...base,
        state: 'scheduled',
        retentionClass: 'AV',
        basis: 'av_recording',
        evidence,
        from,
        expiresAt: expiryOf(from, months),
      };
    }
    const dep = (await r.lookup(INDEX.ref('segment'), rec.id ?? '')).sort((x, y) => x - y);
    for (const s of dep) {
      const e = await r.get(s);
      if (e.kind !== KIND.deposit) continue;
      const from = body(e).depositedAt as number;
      return {
        ...base,
        state: 'scheduled',
        retentionClass: 'AV',
        basis: 'av_deposit',
        evidence,
        from,
        expiresAt: expiryOf(from, months),
      };
    }
    return pending('not_deposited');
  }
  if (!rec.caseId) return pending('no_case', evidence);
  const file = await caseFile(r, rec.caseId, policy);
  if (!file) return pending('case_not_archived', evidence);
  const typeClass = entry.kind === KIND.document ? policy.documentTypes[String(b.type)] : undefined;
  const cls = re ? String(body(re).retentionClass) : (typeClass ?? file.cls);
  if (!Object.hasOwn(policy.classes, cls)) return pending('unknown_class', evidence, cls);
  const months = policy.classes[cls];
  if (months === null || months === undefined)
    return {
      ...base,
      state: 'permanent',
      retentionClass: cls,
      basis: 'case_file',
      evidence,
      from: file.from,
      expiresAt: undefined,
    };
  return {
    ...base,
    state: 'scheduled',
    retentionClass: cls,
    basis: 'case_file',
    evidence,
    from: file.from,
    expiresAt: expiryOf(file.from, months),
  };
}

/** Seqs of the legal holds in force on a record (placed and not released in the visible log). */
export async function holdsOn(r: LogReader, entry: StoredEntry): Promise<number[]> {
  const rec = identify(entry);
  if (!rec.caseId) return [];
  const out: number[] = [];
  for (const s of await r.lookup(INDEX.case, rec.caseId)) {
    const e = await r.get(s);
    if (e.kind !== RET.hold || !scopeCovers(body(e), rec)) continue;
    const [released] = await r.lookup(INDEX.id('hold-release'), String(body(e).holdId));
    if (released === undefined) out.push(s);
  }
  return out;
}
