/**
 * The input of the compliance rules: one case record and the records of that case in log order, each with the
 * signer's principal and roles at that point of the log. Built by the caller from a ledger (or a proof bundle) or
 * written directly as data in tests; the rules never read storage.
 */
import type { BodyByKind } from '../domain/bodies';
import type { CaseBody } from '../domain/kinds/case';
import { KIND } from '../domain/kind-names';
import { isObj } from '../guards';

export type KnownKind = keyof BodyByKind;

export interface ViewSigner {
  /** Person or device id of the key's owner (its `core/key.register` principal). */
  readonly principal: string;
  /** Roles the signer held when the record was appended. */
  readonly roles: readonly string[];
}

export interface ViewRecord<K extends string = string, B = unknown> {
  readonly seq: number;
  /** Append time, ms since the epoch (the ledger's clock). */
  readonly time: number;
  readonly kind: K;
  readonly body: B;
  readonly signer: ViewSigner;
}

/** A record of a kind this layer knows, typed by its body. */
export type KnownRecord<K extends KnownKind = KnownKind> = { [P in K]: ViewRecord<P, BodyByKind[P]> }[K];

export interface CaseView {
  readonly case: ViewRecord<'enf/case', CaseBody>;
  /**
   * Every record of the case in log order (ascending seq). May include the case record itself, and kinds the rules
   * do not read (retrievals, obstruction…), which are ignored.
   */
  readonly records: readonly ViewRecord[];
  /**
   * Records outside any case that some rules consult, in log order: agencies (Art. 32 entrusted organisations),
   * people, devices and their custody and status events (Art. 20, 28). Omitted: those rules cannot judge and are
   * silent (e.g. a proof bundle carrying only the case's records).
   */
  readonly organisation?: readonly ViewRecord[];
}

/** Narrows by kind name (and an object body: a view may be built from a damaged bundle). */
export function isKind<K extends KnownKind>(r: ViewRecord, kind: K): r is ViewRecord<K, BodyByKind[K]> {
  return r.kind === kind && isObj(r.body);
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(Object.values(KIND));

/** A record of any kind this layer knows: narrow further with `switch (r.kind)`. */
export function isKnownRecord(r: ViewRecord): r is KnownRecord {
  return KNOWN_KINDS.has(r.kind) && isObj(r.body);
}

/** Records of one kind, in log order. */
export function recordsOfKind<K extends KnownKind>(
  view: CaseView,
  kind: K,
): Array<ViewRecord<K, BodyByKind[K]>> {
  const out: Array<ViewRecord<K, BodyByKind[K]>> = [];
  for (const r of view.records) if (isKind(r, kind)) out.push(r);
  return out;
}

/**
 * A case view from records of one case as read from a ledger (e.g. `EnforcementRecords.caseRecords`): exactly one
 * `enf/case` record; records are put in log order. Throws RangeError otherwise.
 */
export function caseViewOf(records: readonly ViewRecord[]): CaseView {
  if (!Array.isArray(records)) throw new TypeError('records must be an array of records');
  const cases: Array<ViewRecord<'enf/case', CaseBody>> = [];
  for (const r of records) if (isKind(r, 'enf/case')) cases.push(r);
  if (cases.length !== 1)
    throw new RangeError(`records must hold exactly one enf/case record, found ${cases.length}`);
  const sorted = [...records].sort((a, b) => a.seq - b.seq);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i]!.seq === sorted[i - 1]!.seq)
      throw new RangeError(`records: seq ${sorted[i]!.seq} appears twice`);
  return { case: cases[0]!, records: sorted };
}
