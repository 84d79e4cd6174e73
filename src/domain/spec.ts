/**
 * How a record kind is described in this layer: its zod schema, the roles its signer must hold, the id it defines,
 * the records it names, and any state check. `definitions.ts` turns these specs into the core's KindDefinition.
 * Shared code never branches on a specific kind: everything kind-specific lives in the spec.
 */
import type { z } from 'zod';
import type { Issue } from '../errors';
import type { Entry, KindCheckContext, StoredEntry } from '../ledger/types';
import type { DocumentRegistry } from './document-types';

/** Id spaces: ids are unique within a space (one defining record per id). */
export type IdSpace =
  | 'agency'
  | 'person'
  | 'device'
  | 'case'
  | 'case-close'
  | 'case-archive'
  | 'action'
  | 'action-end'
  | 'document'
  | 'segment'
  | 'data'
  | 'exception'
  | 'deposit'
  | 'approval'
  | 'obstruction'
  | 'device-event'
  | 'self-check'
  // Retention and access (src/retention, src/access).
  | 'retention-mark'
  | 'reclassification'
  | 'hold'
  | 'hold-release'
  | 'purge-request'
  | 'purge'
  | 'label'
  | 'retrieval-request';

export interface RefSpec {
  /** Body field holding an id or a list of ids. */
  readonly field: string;
  readonly space: IdSpace;
  /** Kinds the defining record may have; another kind gives `wrong_reference_kind`. */
  readonly kinds: readonly string[];
  /** The referenced record must belong to the same case as this one (its `caseId`), else `reference_mismatch`. */
  readonly sameCase?: boolean;
  /** The referenced person must hold this role in their person record, else `reference_lacks_role`. */
  readonly role?: string;
}

/** A resolved reference: the field, the id, and the defining entry (when it resolved to an allowed kind). */
export interface Resolved {
  readonly field: string;
  readonly id: string;
  readonly entry: StoredEntry;
}

export interface StateCheckInput {
  readonly entry: Entry;
  readonly body: Record<string, unknown>;
  readonly ctx: KindCheckContext;
  /** Resolved references of the body by field (first id for list fields is at index 0, and so on). */
  readonly refs: ReadonlyMap<string, readonly Resolved[]>;
  /** The signer's principal (person or device id). */
  readonly principal: string;
}

export interface KindSpec {
  readonly kind: string;
  readonly roles: readonly string[];
  readonly schema: z.ZodType;
  /** The id this record defines; a second record defining the same id is refused (`duplicate_id`). */
  readonly defines?: { readonly space: IdSpace; readonly field: string };
  readonly refs: readonly RefSpec[];
  /**
   * Part of the case file (案卷): once the record's case is archived, a new record of this kind is refused with
   * `case_archived` (Art. 27, 30). Records that retrieve, hold or purge the archive leave this unset.
   */
  readonly caseFile?: boolean;
  /** Body field holding the time the record is about (indexed for time-range queries). */
  readonly eventTime?: string;
  /** Index rows beyond the generic ones (ids, references, case, time, signer). */
  indexes?(body: Record<string, unknown>): Array<{ index: string; key: string }>;
  /** Checks across fields of the (raw) body that the schema cannot express, e.g. end before start. */
  crossCheck?(body: Record<string, unknown>, registry: DocumentRegistry): Issue[];
  /** Checks against the ledger beyond references (chains, ordering, single use). Paths are entry paths. */
  stateCheck?(input: StateCheckInput): Issue[] | Promise<Issue[]>;
}

export const issue = (code: string, path: ReadonlyArray<string | number>, message: string): Issue => ({
  code,
  path,
  message,
});

export { isObj } from '../guards';
export const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

/** `end before start` on two time fields of a raw body, when both are valid times. */
export function endAfterStart(body: Record<string, unknown>, start: string, end: string): Issue[] {
  const s = body[start];
  const e = body[end];
  if (isTime(s) && isTime(e) && e < s)
    return [issue('end_before_start', [end], `${end} (${e}) is before ${start} (${s})`)];
  return [];
}

/** A body field that must be present when another condition holds. */
export function requiredWhen(
  body: Record<string, unknown>,
  field: string,
  when: boolean,
  why: string,
): Issue[] {
  return when && !Object.hasOwn(body, field)
    ? [issue('required', [field], `${field} is required ${why}`)]
    : [];
}

// One string per index name, made once: a name used as a map key (the ledger's filters and read caches) then hashes
// once, not at every lookup of every record.
const ID_INDEX = new Map<string, string>();
const REF_INDEX = new Map<string, string>();
function named(names: Map<string, string>, prefix: string, space: string): string {
  let n = names.get(space);
  if (n === undefined) {
    n = `${prefix}${space}`;
    names.set(space, n);
  }
  return n;
}

/** Index names (rows derived by `indexes`, recomputed by verify). */
export const INDEX = {
  /** The record defining an id: `enf/id/<space>` → id. */
  id: (space: IdSpace): string => named(ID_INDEX, 'enf/id/', space),
  /** Records naming an id: `enf/ref/<space>` → id. */
  ref: (space: IdSpace): string => named(REF_INDEX, 'enf/ref/', space),
  /** Every record of a case (defining or naming it). */
  case: 'enf/case',
  /** Segments of a recording session. */
  session: 'enf/session',
  /** Event time of a record, zero-padded decimal ms (15 digits) so that key order is time order. */
  time: 'enf/time',
  /** Records signed by a key (hex key id). */
  signer: 'enf/signer',
} as const;

export const timeKey = (ms: number): string => String(ms).padStart(15, '0');

/** Indexes for listing (by time, by signer) that no record check reads: verification does not keep them. */
export const LISTING_INDEXES: ReadonlySet<string> = new Set([INDEX.time, INDEX.signer]);
