/**
 * The typed API an enforcement information system calls: one method per record kind. Each method fills in the
 * schema version, resolves document-type names, validates the body and checks its references (listing every
 * problem, nothing written), then appends; the ledger re-runs the same checks atomically with the write.
 */
import { ValidationError } from '../errors';
import type { Issue } from '../errors';
import type { CryptoSuite, Signer } from '../crypto/types';
import {
  KEY_REGISTER_KIND,
  Ledger,
  type CreateOptions,
  type LedgerVerifyReport,
  type Location,
  type OpenOptions,
  type VerifyOptions,
} from '../ledger';
import type { CoreBodies } from '../ledger/registry';
import type {
  AppendResult,
  BodyMap,
  CborValue,
  ContentRef,
  Entry,
  KindCheckContext,
  EntryOf,
  KindSet,
  StoredEntry,
} from '../ledger/types';
import type { BodyByKind } from './bodies';
import { type KindsOptions, checkEntry, enforcementKinds, validateBody } from './definitions';
import { type DocumentRegistry, defaultDocumentRegistry } from './document-types';
import { APPROVAL_KIND, type ApprovalSubject, KIND } from './kind-names';
import { SPEC_BY_KIND } from './kinds';
import type { DocumentBody } from './kinds/document';
import type { DeviceBody, PersonBody } from './kinds/organisation';
import { INDEX, type IdSpace, isObj, timeKey } from './spec';
import { verifyRecords } from './verify';

type Kind = keyof BodyByKind;

/** A body as given by the caller: the schema version `v` may be omitted (it is filled in). */
export type Input<B> = Omit<B, 'v'> & { v?: 1 };

/** Approval bodies by subject. */
export interface ApprovalBodies {
  coercive_measure: BodyByKind[typeof KIND.approvalCoerciveMeasure];
  av_exception: BodyByKind[typeof KIND.approvalAvException];
  late_deposit: BodyByKind[typeof KIND.approvalLateDeposit];
  retrieval: BodyByKind[typeof KIND.approvalRetrieval];
  disclosure: BodyByKind[typeof KIND.approvalDisclosure];
  purge: BodyByKind[typeof KIND.approvalPurge];
}

export interface RecordSigner {
  readonly keyId: string;
  /** Person or device id the key is bound to (empty when the key is unknown to this ledger). */
  readonly principal: string;
  readonly roles: readonly string[];
}

interface RecordBase {
  readonly seq: number;
  /** Append time (ms since epoch), from the ledger's clock. */
  readonly time: number;
  readonly content: readonly ContentRef[];
  readonly signer: RecordSigner;
  readonly leafHash: Uint8Array;
}

/** A decoded, typed enforcement record. */
export type EnforcementRecord = {
  [K in Kind]: RecordBase & { readonly kind: K; readonly body: BodyByKind[K] };
}[Kind];

export type RecordOf<K extends Kind> = Extract<EnforcementRecord, { kind: K }>;

export interface RecordResult extends AppendResult {
  readonly kind: Kind;
}

export interface EnforcementRecordsOptions extends KindsOptions {}

/** Drops `undefined` members of plain objects (optional fields given as undefined), recursively. */
function omitUndefined(x: unknown): unknown {
  if (typeof x !== 'object' || x === null) return x;
  if (Array.isArray(x)) return x.map(omitUndefined);
  if (!isObj(x) || Object.getPrototypeOf(x) !== Object.prototype) return x;
  return copyPlain(x, false);
}

/**
 * A copy of the plain object `x` with its own enumerable string-keyed members that are not `undefined`, each value
 * copied by `omitUndefined`; with `withV`, `v: 1` first when `x` has no `v`. Member by member: in place, an object
 * spread of a caller's body took V8's generic path (its bodies and their nested objects have many shapes), several
 * times the cost of the loop.
 */
function copyPlain(x: Record<string, unknown>, withV: boolean): Record<string, unknown> {
  const copy: Record<string, unknown> = withV && x.v === undefined ? { v: 1 } : {};
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue;
    const v = x[k];
    if (v !== undefined) copy[k] = typeof v === 'object' && v !== null ? omitUndefined(v) : v;
  }
  return copy;
}

/**
 * The body as stored from a caller's input: a copy without `undefined` members at any depth (plain objects and arrays
 * are copied, other objects kept), with `v: 1` first when the caller left it out. TypeError when it is not an object.
 */
export function storedBody(input: unknown, name = 'body'): Record<string, unknown> {
  assertInput(input, name);
  if (Object.getPrototypeOf(input) !== Object.prototype) {
    const body = omitUndefined(input) as Record<string, unknown>;
    return body.v === undefined ? { v: 1, ...body } : body;
  }
  return copyPlain(input, true);
}

function assertSigner(signer: unknown, name = 'signer'): asserts signer is Signer {
  const s = signer as Signer | undefined;
  if (
    !s ||
    typeof s.sign !== 'function' ||
    !(s.publicKey instanceof Uint8Array) ||
    typeof s.keyId !== 'string'
  )
    throw new TypeError(`${name} must be a Signer`);
}

function assertInput(input: unknown, name: string): asserts input is Record<string, unknown> {
  if (!isObj(input)) throw new TypeError(`${name} must be an object`);
}

/** Body types of a ledger of enforcement records: the core kinds and the enforcement kinds (type level). */
export type RecordBodies = CoreBodies & BodyByKind;

export class EnforcementRecords {
  /** The log; its body map types `get(seq, kind)` and `entries({ kind })` for the enforcement kinds. */
  readonly ledger: Ledger<RecordBodies>;
  readonly documentTypes: DocumentRegistry;

  constructor(ledger: Ledger<BodyMap>, opts: EnforcementRecordsOptions = {}) {
    if (!(ledger instanceof Ledger)) throw new TypeError('ledger must be a Ledger');
    // Type level only: a ledger any process opened can hold enforcement records; `get(seq, kind)` checks the kind.
    this.ledger = ledger as Ledger<RecordBodies>;
    this.documentTypes = opts.documentTypes ?? defaultDocumentRegistry;
  }

  /** Kind definitions to pass to `Ledger.create` / `Ledger.open` (the same options when opening and verifying). */
  static kinds(opts: KindsOptions = {}): KindSet<BodyByKind> {
    return enforcementKinds(opts);
  }

  /** Creates a ledger with the enforcement kinds declared. */
  static async create(
    location: Location,
    opts: Omit<CreateOptions, 'kinds'> & EnforcementRecordsOptions,
  ): Promise<EnforcementRecords> {
    const ledger = await Ledger.create(location, { ...opts, kinds: EnforcementRecords.kinds(opts) });
    return new EnforcementRecords(ledger, opts);
  }

  static async open(
    location: Location,
    opts: Omit<OpenOptions, 'kinds'> & EnforcementRecordsOptions = {},
  ): Promise<EnforcementRecords> {
    const ledger = await Ledger.open(location, { ...opts, kinds: EnforcementRecords.kinds(opts) });
    return new EnforcementRecords(ledger, opts);
  }

  /** Declares the enforcement kinds in a ledger created without them (signed by an admin key). */
  declareKinds(admin: Signer): Promise<void> {
    assertSigner(admin, 'admin');
    return this.ledger.declareKinds(EnforcementRecords.kinds({ documentTypes: this.documentTypes }), admin);
  }

  // ------------------------------------------------------------------------------------------ organisation

  registerAgency(agency: Input<BodyByKind['enf/agency']>, admin: Signer): Promise<RecordResult> {
    return this.append(KIND.agency, agency, admin);
  }

  /**
   * Records a person (officer, supervisor, head, archivist, inspector) and binds `publicKey` to them with the
   * person's roles, atomically (`principal` = personId). Works for every person role despite its name.
   */
  registerOfficer(person: Input<PersonBody>, publicKey: Uint8Array, admin: Signer): Promise<RecordResult> {
    assertInput(person, 'person');
    return this.registerWithKey(KIND.person, person, 'personId', publicKey, admin, (b) => ({
      roles: (b as PersonBody).roles,
      attributes: {
        agencyId: (b as PersonBody).agencyId,
        name: (b as PersonBody).name,
        ...((b as PersonBody).certificateNo !== undefined
          ? { certificateNo: (b as PersonBody).certificateNo! }
          : {}),
      },
    }));
  }

  /** Records a recording device (Art. 19–20) and binds its key with the role `device` (`principal` = deviceId). */
  registerDevice(device: Input<DeviceBody>, publicKey: Uint8Array, admin: Signer): Promise<RecordResult> {
    assertInput(device, 'device');
    return this.registerWithKey(KIND.device, device, 'deviceId', publicKey, admin, (b) => ({
      roles: ['device'],
      attributes: {
        agencyId: (b as DeviceBody).agencyId,
        deviceType: (b as DeviceBody).deviceType,
        assignedOfficerId: (b as DeviceBody).assignedOfficerId,
      },
    }));
  }

  /** Binds a further key (a replacement) to an existing person or device, with the roles of its record. */
  async addKey(principal: string, publicKey: Uint8Array, admin: Signer): Promise<AppendResult> {
    assertSigner(admin, 'admin');
    if (typeof principal !== 'string' || principal.length === 0)
      throw new TypeError('principal must be an id');
    const person = await this.byId('person', principal);
    const device = person ? undefined : await this.byId('device', principal);
    if (!person && !device)
      throw new ValidationError([
        { code: 'dangling_reference', path: ['principal'], message: `no person or device ${principal}` },
      ]);
    const roles = person?.kind === KIND.person ? person.body.roles : ['device'];
    return this.ledger.registerKey({ publicKey, principal, roles }, admin);
  }

  // ------------------------------------------------------------------------------------------ cases and actions

  openCase(c: Input<BodyByKind['enf/case']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.case, c, signer);
  }

  startAction(a: Input<BodyByKind['enf/action.start']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.actionStart, a, signer);
  }

  endAction(e: Input<BodyByKind['enf/action.end']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.actionEnd, e, signer);
  }

  /**
   * Records a document. `type` may be the stable id, the official Chinese name or an accepted alias; the stable
   * id is stored. Files (scans, PDFs) are committed by `content` refs, described in order by `files`.
   */
  recordDocument(
    d: Input<DocumentBody>,
    signer: Signer,
    content: readonly ContentRef[] = [],
  ): Promise<RecordResult> {
    assertInput(d, 'document');
    const id = typeof d.type === 'string' ? this.documentTypes.resolve(d.type) : undefined;
    // The stable id given (the usual case) needs no copy: `prepare` copies the body anyway.
    return this.append(KIND.document, id && id !== d.type ? { ...d, type: id } : d, signer, content);
  }

  /** Records an AV segment; the device signs it, and `content` is the ref of its file. */
  recordSegment(
    s: Input<BodyByKind['enf/segment']>,
    content: ContentRef,
    signer: Signer,
  ): Promise<RecordResult> {
    return this.append(KIND.segment, s, signer, content === undefined ? [] : [content]);
  }

  recordData(
    d: Input<BodyByKind['enf/data']>,
    signer: Signer,
    content: readonly ContentRef[] = [],
  ): Promise<RecordResult> {
    return this.append(KIND.data, d, signer, content);
  }

  recordException(e: Input<BodyByKind['enf/exception']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.exception, e, signer);
  }

  deposit(d: Input<BodyByKind['enf/deposit']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.deposit, d, signer);
  }

  /** Records an approval of `subject`; the signer is the approver and must hold the role the subject needs. */
  approve<S extends ApprovalSubject>(
    subject: S,
    body: Input<ApprovalBodies[S]>,
    signer: Signer,
  ): Promise<RecordResult> {
    const kind = APPROVAL_KIND[subject];
    if (kind === undefined)
      throw new TypeError(`subject must be one of ${Object.keys(APPROVAL_KIND).join(', ')}`);
    return this.append(kind, body, signer);
  }

  closeCase(c: Input<BodyByKind['enf/case.close']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.caseClose, c, signer);
  }

  archiveCase(a: Input<BodyByKind['enf/case.archive']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.caseArchive, a, signer);
  }

  recordObstruction(o: Input<BodyByKind['enf/obstruction']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.obstruction, o, signer);
  }

  /** Art. 20: a device handed to an officer (`assign`) or handed back (`return`). */
  recordDeviceCustody(e: Input<BodyByKind['enf/device.custody']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.deviceCustody, e, signer);
  }

  /** Art. 28, 30(2): a device's status (in service, damaged, lost, repaired, retired). */
  recordDeviceStatus(e: Input<BodyByKind['enf/device.status']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.deviceStatus, e, signer);
  }

  /** Art. 28: a periodic self-check, signed by a supervisor or the records person. */
  recordSelfCheck(c: Input<BodyByKind['enf/self-check']>, signer: Signer): Promise<RecordResult> {
    return this.append(KIND.selfCheck, c, signer);
  }

  // ------------------------------------------------------------------------------------------ verify

  /**
   * The ledger's verify plus `verifyRecords`: every record's references and state (the archive lock included) as of
   * its position. `ok` only when both are clean; record problems follow the ledger's, with their issue code and path.
   */
  async verify(options: VerifyOptions = {}): Promise<LedgerVerifyReport> {
    const report = await this.ledger.verify(options);
    // Incremental (`since`): records before the trusted checkpoint's size were checked when it was taken. A note that
    // does not verify trusts nothing (the ledger's report says why).
    let from = 0;
    if (options.since !== undefined) {
      try {
        from = Math.min(this.ledger.verifyOwnCheckpoint(options.since).size, this.ledger.size);
      } catch {
        from = 0;
      }
    }
    const records = await verifyRecords(this.ledger, { from });
    return {
      ...report,
      ok: report.ok && records.ok,
      problems: [...report.problems, ...records.problems],
    };
  }

  // ------------------------------------------------------------------------------------------ queries

  /** The record at `seq`, decoded; undefined when that entry is not an enforcement record. */
  async record(seq: number): Promise<EnforcementRecord | undefined> {
    return this.decode(await this.ledger.get(seq));
  }

  /** The record defining `id` in `space` (the case, the document, the segment…), if any. */
  async byId(space: IdSpace, id: string): Promise<EnforcementRecord | undefined> {
    const [seq] = await this.ledger.lookup(INDEX.id(space), id);
    return seq === undefined ? undefined : this.record(seq);
  }

  /** Every record of a case (the case itself, actions, documents, segments, approvals…) in log order. */
  caseRecords(caseId: string): Promise<EnforcementRecord[]> {
    return this.recordsAt([[INDEX.case, caseId]]);
  }

  /** Records naming the person (as officer, requester, custodian…), defining them, or signed by their keys. */
  recordsByOfficer(personId: string): Promise<EnforcementRecord[]> {
    const keys = [...this.ledger.keys.keys.values()]
      .filter((k) => k.principal === personId)
      .map((k) => k.keyId);
    return this.recordsAt([
      [INDEX.id('person'), personId],
      [INDEX.ref('person'), personId],
      ...keys.map((k): [string, string] => [INDEX.signer, k]),
    ]);
  }

  /** The device record, its custody and status events, and every segment it recorded, in log order. */
  recordsByDevice(deviceId: string): Promise<EnforcementRecord[]> {
    return this.recordsAt([
      [INDEX.id('device'), deviceId],
      [INDEX.ref('device'), deviceId],
    ]);
  }

  /** Records whose event time (start of an action or segment, issue of a document…) is in [from, to), by time. */
  async recordsBetween(from: number, to: number): Promise<EnforcementRecord[]> {
    for (const [n, v] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${n} must be ms since epoch`);
    const rows = await this.ledger.lookupRange(INDEX.time, { gte: timeKey(from), lt: timeKey(to) });
    return this.decodeAll(rows.map((r) => r.seq));
  }

  /**
   * Every version of a document, oldest first: the original and each correction superseding it. Any id of the
   * chain gives the whole chain. Empty when the document does not exist.
   */
  async documentHistory(documentId: string): Promise<Array<RecordOf<'enf/document'>>> {
    let doc = await this.byId('document', documentId);
    if (!doc || doc.kind !== KIND.document) return [];
    const seen = new Set<number>([doc.seq]);
    // Back to the original.
    while (doc.kind === KIND.document && doc.body.supersedes !== undefined) {
      const prev = await this.byId('document', doc.body.supersedes);
      if (!prev || prev.kind !== KIND.document || seen.has(prev.seq)) break;
      seen.add(prev.seq);
      doc = prev;
    }
    const chain: Array<RecordOf<'enf/document'>> = [doc as RecordOf<'enf/document'>];
    // Forward through the corrections.
    for (;;) {
      const cur = chain[chain.length - 1]!;
      let next: RecordOf<'enf/document'> | undefined;
      for (const seq of await this.ledger.lookup(INDEX.ref('document'), cur.body.documentId)) {
        const r = await this.record(seq);
        if (r?.kind === KIND.document && r.body.supersedes === cur.body.documentId && r.seq > cur.seq) {
          next = r;
          break;
        }
      }
      if (!next || chain.some((c) => c.seq === next.seq)) break;
      chain.push(next);
    }
    return chain;
  }

  // ------------------------------------------------------------------------------------------ internals

  private async recordsAt(lookups: ReadonlyArray<readonly [string, string]>): Promise<EnforcementRecord[]> {
    const seqs = new Set<number>();
    for (const [index, key] of lookups) for (const s of await this.ledger.lookup(index, key)) seqs.add(s);
    return this.decodeAll([...seqs].sort((a, b) => a - b));
  }

  private async decodeAll(seqs: readonly number[]): Promise<EnforcementRecord[]> {
    const out: EnforcementRecord[] = [];
    // Reads in parallel windows: LevelDB reads run on the thread pool.
    for (let i = 0; i < seqs.length; i += 64) {
      const entries = await Promise.all(seqs.slice(i, i + 64).map((s) => this.ledger.get(s)));
      for (const e of entries) {
        const r = this.decode(e);
        if (r) out.push(r);
      }
    }
    return out;
  }

  private decode(e: StoredEntry): EnforcementRecord | undefined {
    if (!SPEC_BY_KIND.has(e.kind)) return undefined;
    const key = this.ledger.keys.keys.get(e.signer);
    const { seq, time, kind, body, content, leafHash } = e as EntryOf<BodyByKind, Kind>;
    const signer = { keyId: e.signer, principal: key?.principal ?? '', roles: key?.roles ?? [] };
    // One object per kind would need one branch per kind: kind and body are paired by the entry they came from.
    return { seq, time, kind, body, content, signer, leafHash } as EnforcementRecord;
  }

  /** The body as stored (see `storedBody`). */
  private prepare(input: unknown, name: string): Record<string, unknown> {
    return storedBody(input, name);
  }

  /** Schema, cross-field and reference issues of a would-be entry, with entry paths (`['body', …]`). */
  private async preflight(
    kind: Kind,
    body: Record<string, unknown>,
    content: readonly ContentRef[],
    signer: Signer,
  ) {
    const spec = SPEC_BY_KIND.get(kind)!;
    const issues: Issue[] = validateBody(spec, body, this.documentTypes).map((i) => ({
      ...i,
      path: ['body', ...i.path],
    }));
    const key = this.ledger.keys.keys.get(signer.keyId);
    const entry: Entry = {
      version: 1,
      ledgerId: this.ledger.ledgerId,
      seq: this.ledger.size,
      prev: new Uint8Array(32),
      time: 0,
      kind,
      body: body as CborValue,
      content,
      signer: signer.keyId,
    };
    const ctx: KindCheckContext = {
      size: this.ledger.size,
      lookup: (index, k) => this.ledger.lookup(index, k),
      get: (seq) => this.ledger.get(seq),
      signerRoles: key?.roles ?? [],
      signerPrincipal: key?.principal ?? '',
    };
    issues.push(...(await checkEntry(spec, entry, ctx)));
    return issues;
  }

  private schemaValid(kind: Kind, body: Record<string, unknown>): boolean {
    return validateBody(SPEC_BY_KIND.get(kind)!, body, this.documentTypes).length === 0;
  }

  /** The signer may sign this kind here (else the ledger's PolicyError is the answer, not a list of issues). */
  private signerAllowed(kind: string, signer: Signer): boolean {
    return this.ledger.keys.checkSigner({ seq: this.ledger.size, kind, signer: signer.keyId }) === undefined;
  }

  private async append(
    kind: Kind,
    input: unknown,
    signer: Signer,
    content: readonly ContentRef[] = [],
  ): Promise<RecordResult> {
    assertSigner(signer);
    if (!Array.isArray(content)) throw new TypeError('content must be an array of ContentRef');
    const body = this.prepare(input, 'body');
    try {
      // The body goes straight to the ledger: its schema is checked there, once, and its check hook reports every
      // reference problem.
      const r = await this.ledger.append({ kind, body: body as CborValue, content }, signer);
      return { seq: r.seq, leafHash: r.leafHash, time: r.time, kind };
    } catch (err) {
      // The ledger stops at the schema when a body fails it; then the references are checked here too, so that the
      // caller sees every problem at once (with any content problem the ledger found).
      if (
        err instanceof ValidationError &&
        !this.schemaValid(kind, body) &&
        this.signerAllowed(kind, signer)
      ) {
        const issues = await this.preflight(kind, body, content, signer);
        throw new ValidationError([...err.issues.filter((i) => i.path[0] !== 'body'), ...issues]);
      }
      throw err;
    }
  }

  private async registerWithKey(
    kind: Kind,
    input: Record<string, unknown>,
    idField: string,
    publicKey: Uint8Array,
    admin: Signer,
    keyOf: (body: Record<string, unknown>) => { roles: readonly string[]; attributes: CborValue },
  ): Promise<RecordResult> {
    assertSigner(admin, 'admin');
    const suite: CryptoSuite = this.ledger.suite;
    suite.checkPublicKey(publicKey, 'publicKey');
    const body = this.prepare(input, 'body');
    if (this.signerAllowed(kind, admin)) {
      const issues = await this.preflight(kind, body, [], admin);
      const existing = this.ledger.keys.keys.get(this.ledger.suite.keyId(publicKey));
      if (existing)
        issues.push({
          code: 'duplicate_key',
          path: ['publicKey'],
          message: `key already registered to ${existing.principal}`,
        });
      if (issues.length) throw new ValidationError(issues);
    }
    const key = keyOf(body);
    const reg: Record<string, CborValue> = {
      publicKey,
      principal: body[idField] as string,
      roles: [...key.roles],
      attributes: key.attributes,
    };
    try {
      const [r] = await this.ledger.appendBatch(
        [
          { kind, body: body as CborValue },
          { kind: KEY_REGISTER_KIND, body: reg },
        ],
        admin,
      );
      return { ...r!, kind };
    } catch (err) {
      // Batch paths start with the input index: 0 is the record, 1 the key registration.
      if (err instanceof ValidationError)
        throw new ValidationError(
          err.issues.map((i) =>
            i.path[0] === 0
              ? { ...i, path: i.path.slice(1) }
              : { ...i, path: ['publicKey', ...i.path.slice(1)] },
          ),
        );
      throw err;
    }
  }
}
