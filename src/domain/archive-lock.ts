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
 * other cases its references belong to, if any, are looked up here.
 */
export async function archiveLockIssues(
  spec: KindSpec,
  body: Record<string, unknown>,
  refs: ReadonlyMap<string, readonly Resolved[]>,
  ctx: KindCheckContext,
  own?: readonly number[],
): Promise<Issue[]> {
  if (!spec.caseFile) return [];
  const archivedAt = async (caseId: string) => (await ctx.lookup(ARCHIVE_INDEX, caseId))[0];
  const out: Issue[] = [];
  const ownCase = typeof body.caseId === 'string' ? body.caseId : undefined;
  const seen = new Set<string>();
  if (ownCase !== undefined) {
    seen.add(ownCase);
    const seq = own !== undefined ? own[0] : await archivedAt(ownCase);
    if (seq !== undefined) out.push(issue('case_archived', ['body', 'caseId'], message(ownCase, seq)));
  }
  for (const list of refs.values())
    for (const r of list) {
      const tb = r.entry.body;
      const other = isObj(tb) && typeof tb.caseId === 'string' ? tb.caseId : undefined;
      if (other === undefined || seen.has(other)) continue;
      seen.add(other);
      const seq = await archivedAt(other);
      if (seq !== undefined) out.push(issue('case_archived', refPath(body, r), message(other, seq)));
    }
  return out;
}
