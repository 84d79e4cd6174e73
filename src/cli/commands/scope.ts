/**
 * What a hold, a label or a disclosure covers, from the command line: `--case <id>` (every record of the case) and/or
 * `--record <id>` (repeatable: a document, segment or electronic-data id; its case is inferred), checked against the
 * log before anything is signed (unknown case or record: NOT_FOUND, nothing written). The shape is the library's
 * scope (src/retention/records.ts): a case, optionally narrowed to listed records.
 */
import { randomBytes } from 'node:crypto';
import { INDEX } from '../../domain/spec';
import type { Ledger } from '../../ledger';
import type { StoredEntry } from '../../ledger/types';
import { RECORD_SPACES, identify, scopeCovers } from '../../retention/records';
import { CliError } from '../exit';

export interface ScopeOptions {
  readonly case?: string;
  readonly record?: readonly string[];
}

export type Scope = {
  readonly caseId: string;
  readonly documentIds?: string[];
  readonly segmentIds?: string[];
  readonly dataIds?: string[];
};

export interface CoveredRecord {
  readonly seq: number;
  readonly kind: string;
  readonly recordId: string;
}

const LISTS = ['documentIds', 'segmentIds', 'dataIds'] as const;

/** Resolves `--case` / `--record` against the log; NOT_FOUND or USAGE before anything is written. */
export async function resolveScope(ledger: Ledger, o: ScopeOptions): Promise<Scope> {
  const ids = o.record ?? [];
  if (o.case === undefined && ids.length === 0)
    throw new CliError('USAGE', 'give --case <caseId> or --record <id> (what it covers)');
  if (new Set(ids).size !== ids.length) throw new CliError('USAGE', '--record: an id is given twice');
  let caseId = o.case;
  if (caseId !== undefined && (await ledger.lookup(INDEX.id('case'), caseId)).length === 0)
    throw new CliError('NOT_FOUND', `no case ${caseId} in this ledger`);
  const lists: Record<(typeof LISTS)[number], string[]> = { documentIds: [], segmentIds: [], dataIds: [] };
  for (const id of ids) {
    const found: Array<{ list: (typeof LISTS)[number]; caseId: string | undefined }> = [];
    for (const sp of Object.values(RECORD_SPACES)) {
      const [seq] = await ledger.lookup(INDEX.id(sp.space), id);
      if (seq !== undefined)
        found.push({
          list: sp.list as (typeof LISTS)[number],
          caseId: identify(await ledger.get(seq)).caseId,
        });
    }
    if (found.length === 0) throw new CliError('NOT_FOUND', `no document, segment or data record ${id}`);
    if (found.length > 1)
      throw new CliError(
        'USAGE',
        `--record ${id} names records of several kinds (${found.map((f) => f.list).join(', ')})`,
      );
    const f = found[0]!;
    if (f.caseId === undefined) throw new CliError('USAGE', `record ${id} belongs to no case`);
    if (caseId === undefined) caseId = f.caseId;
    else if (f.caseId !== caseId)
      throw new CliError('USAGE', `record ${id} is in case ${f.caseId}, not ${caseId}`);
    lists[f.list].push(id);
  }
  const scope: { caseId: string } & Partial<Record<(typeof LISTS)[number], string[]>> = { caseId: caseId! };
  for (const k of LISTS) if (lists[k].length) scope[k] = lists[k];
  return scope;
}

/** The document, segment and data records of the scope's case that it covers, in log order. */
export async function coveredRecords(
  ledger: Ledger,
  scope: Readonly<Record<string, unknown>> & { readonly caseId: string },
): Promise<CoveredRecord[]> {
  const out: CoveredRecord[] = [];
  for (const seq of await ledger.lookup(INDEX.case, scope.caseId)) {
    const e = await ledger.get(seq);
    const rec = identify(e);
    if (rec.id !== undefined && RECORD_SPACES[e.kind] && scopeCovers(scope, rec))
      out.push({ seq, kind: e.kind, recordId: rec.id });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** The scope's record lists for --json: null when it is the whole case. */
export const scopeJson = (s: Readonly<Record<string, unknown>>) => ({
  documentIds: Array.isArray(s.documentIds) ? [...(s.documentIds as string[])] : null,
  segmentIds: Array.isArray(s.segmentIds) ? [...(s.segmentIds as string[])] : null,
  dataIds: Array.isArray(s.dataIds) ? [...(s.dataIds as string[])] : null,
});

/** A fresh id `<prefix>-<8 hex>` when none is given (printed, so it can be named later). */
export const freshId = (prefix: string, given?: string): string =>
  given ?? `${prefix}-${randomBytes(4).toString('hex').toUpperCase()}`;

/** Human line for the covered records. */
export const recordLines = (recs: readonly CoveredRecord[]): string =>
  recs.map((r) => `  #${r.seq} ${r.kind} ${r.recordId}`).join('\n');

/** The entry a record id (document, segment or data) or a seq names; NOT_FOUND / USAGE before anything is read. */
export async function resolveRecord(ledger: Ledger, record: string): Promise<StoredEntry> {
  if (/^\d+$/.test(record)) {
    const seq = Number(record);
    if (seq >= ledger.size) throw new CliError('NOT_FOUND', `no entry ${seq} (the log has ${ledger.size})`);
    return ledger.get(seq);
  }
  const found: number[] = [];
  for (const sp of Object.values(RECORD_SPACES)) {
    const [seq] = await ledger.lookup(INDEX.id(sp.space), record);
    if (seq !== undefined) found.push(seq);
  }
  if (found.length === 0) throw new CliError('NOT_FOUND', `no document, segment or data record ${record}`);
  if (found.length > 1)
    throw new CliError(
      'USAGE',
      `${record} names records of several kinds (entries ${found.map((s) => `#${s}`).join(', ')}): give the seq`,
    );
  return ledger.get(found[0]!);
}
