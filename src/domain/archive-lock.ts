/**
 * The archive lock: once a case is archived (归档, Art. 22(2)) its file is final, and its original records may not be
 * altered or added to (Art. 27, 30(4)). A record of a `caseFile` kind appended after its case's `enf/case.archive`
 * record, or naming a record of another archived case (e.g. a correction superseding it), gives `case_archived`.
 * Kinds that retrieve, disclose, hold or purge the archive (Art. 24–27) are not `caseFile` and stay open.
 */
import type { Issue } from '../errors';
import type { KindCheckContext } from '../ledger/types';
import { INDEX, type KindSpec, type Resolved, isObj, issue } from './spec';

/** The index of case archive records: a lookup of a case id there gives its archive record, if any. */
export const ARCHIVE_INDEX = INDEX.id('case-archive');

const message = (caseId: string, seq: number) =>
  `case ${caseId} was archived (seq ${seq}): its file takes no new records (Art. 22(2), 27)`;

function refPath(body: Record<string, unknown>, r: Resolved): Array<string | number> {
  const v = body[r.field];
  return Array.isArray(v) ? ['body', r.field, v.indexOf(r.id)] : ['body', r.field];
}

/**
 * `case_archived` issues of a would-be entry, as of the log `ctx` sees. Paths are entry paths. `own`: the lookup of
 * the entry's own case in ARCHIVE_INDEX when the caller made it already (with its other reads); then only the
 * other cases its references belong to, if any, are looked up here. Without waiting when there is nothing to look
 * up, or every lookup is answered at once (`ctx.lookupNow`).
 */
export function archiveLockIssues(
  spec: KindSpec,
  body: Record<string, unknown>,
  refs: ReadonlyMap<string, readonly Resolved[]>,
  ctx: KindCheckContext,
  own?: readonly number[],
): Issue[] | Promise<Issue[]> {
  if (!spec.caseFile) return [];
  // The cases to ask about, each once: its own (unless `own` answers it), then those of the records it names (`via`:
  // the reference each came from; undefined for its own case).
  const cases: string[] = [];
  const via: Array<Resolved | undefined> = [];
  const ownCase = typeof body.caseId === 'string' ? body.caseId : undefined;
  if (ownCase !== undefined) {
    cases.push(ownCase);
    via.push(undefined);
  }
  for (const list of refs.values())
    for (const r of list) {
      const tb = r.entry.body;
      const other = isObj(tb) && typeof tb.caseId === 'string' ? tb.caseId : undefined;
      if (other === undefined || cases.includes(other)) continue;
      cases.push(other);
      via.push(r);
    }
  const first = ownCase !== undefined && own !== undefined ? 1 : 0;
  const answers: Array<readonly number[] | undefined> = first ? [own] : [];
  let missing = false;
  for (let i = first; i < cases.length; i++) {
    const seqs = ctx.lookupNow?.(ARCHIVE_INDEX, cases[i]!);
    if (seqs === undefined) missing = true;
    answers.push(seqs);
  }
  if (!missing) return lockIssues(body, cases, via, answers);
  return Promise.all(cases.map((c, i) => (i < first ? own : ctx.lookup(ARCHIVE_INDEX, c)))).then((found) =>
    lockIssues(body, cases, via, found),
  );
}

/** The `case_archived` issues of the archived ones among `cases` (`found`: each one's lookup in ARCHIVE_INDEX). */
function lockIssues(
  body: Record<string, unknown>,
  cases: readonly string[],
  via: ReadonlyArray<Resolved | undefined>,
  found: ReadonlyArray<readonly number[] | undefined>,
): Issue[] {
  const out: Issue[] = [];
  for (let i = 0; i < cases.length; i++) {
    const seq = found[i]?.[0];
    if (seq === undefined) continue;
    const r = via[i];
    out.push(issue('case_archived', r ? refPath(body, r) : ['body', 'caseId'], message(cases[i]!, seq)));
  }
  return out;
}
