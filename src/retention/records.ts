/**
 * What a retention or access rule is about: a record (an entry that commits content) and the case and id it has, and
 * the "scope" shape shared by holds, labels and retrieval requests (a case, optionally narrowed to listed records).
 */
import { IdList } from '../domain/common';
import { KIND } from '../domain/kind-names';
import type { IdSpace } from '../domain/spec';
import type { StoredEntry } from '../ledger/types';

/** Record kinds with their id space and id field. */
export const RECORD_SPACES: Readonly<Record<string, { space: IdSpace; field: string; list: string }>> = {
  [KIND.document]: { space: 'document', field: 'documentId', list: 'documentIds' },
  [KIND.segment]: { space: 'segment', field: 'segmentId', list: 'segmentIds' },
  [KIND.data]: { space: 'data', field: 'dataId', list: 'dataIds' },
};

/** Optional record lists narrowing a case scope (absent everywhere: the whole case). */
export const scopeFields = {
  documentIds: IdList.optional(),
  segmentIds: IdList.optional(),
  dataIds: IdList.optional(),
};

export const scopeRefs = [
  { field: 'documentIds', space: 'document', kinds: [KIND.document], sameCase: true },
  { field: 'segmentIds', space: 'segment', kinds: [KIND.segment], sameCase: true },
  { field: 'dataIds', space: 'data', kinds: [KIND.data], sameCase: true },
] as const;

export interface RecordIdentity {
  readonly caseId: string | undefined;
  /** The record's id in its space (documentId, segmentId, dataId), when it is one of those kinds. */
  readonly id: string | undefined;
  readonly list: string | undefined;
}

export function identify(e: StoredEntry): RecordIdentity {
  const b = (e.body ?? {}) as Record<string, unknown>;
  const sp = RECORD_SPACES[e.kind];
  const caseId = typeof b.caseId === 'string' ? b.caseId : undefined;
  const id = sp && typeof b[sp.field] === 'string' ? (b[sp.field] as string) : undefined;
  return { caseId, id, list: sp?.list };
}

/** Whether a scope body (caseId + optional lists) covers a record. */
export function scopeCovers(scope: Record<string, unknown>, rec: RecordIdentity): boolean {
  if (rec.caseId === undefined || scope.caseId !== rec.caseId) return false;
  const lists = ['documentIds', 'segmentIds', 'dataIds'].filter((k) => Array.isArray(scope[k]));
  if (lists.length === 0) return true;
  if (!rec.list || !rec.id) return false;
  const l = scope[rec.list];
  return Array.isArray(l) && l.includes(rec.id);
}

/** Index of retention and access entries by kind (so verify finds them without scanning the log). */
export const ARCHIVE_KIND_INDEX = 'ret/kind';

export const hasScopeList = (b: Record<string, unknown>) =>
  ['documentIds', 'segmentIds', 'dataIds'].some((k) => Array.isArray(b[k]));
