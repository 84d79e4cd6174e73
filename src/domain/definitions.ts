/**
 * Turns kind specs into the core's KindDefinition: schema validation with every issue and its path, derived index
 * rows, and reference checks (ids unique per space; references resolve to a record of an allowed kind).
 */
import type { z } from 'zod';
import type { Issue } from '../errors';
import type { Entry, KindCheckContext, KindDefinition, KindSet, StoredEntry } from '../ledger/types';
import type { BodyByKind } from './bodies';
import { ARCHIVE_INDEX, archiveLockIssues } from './archive-lock';
import { acceptor } from './fast-valid';
import { type DocumentRegistry, defaultDocumentRegistry } from './document-types';
import { ALL_SPECS } from './kinds';
import { INDEX, type KindSpec, type Resolved, isObj, isTime, issue, timeKey } from './spec';

type Path = Array<string | number>;

function at(root: unknown, path: readonly PropertyKey[]): { parent: unknown; has: boolean } {
  let cur: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur === null || typeof cur !== 'object') return { parent: undefined, has: false };
    cur = (cur as Record<PropertyKey, unknown>)[path[i]!];
  }
  const last = path[path.length - 1];
  const has =
    cur !== null && typeof cur === 'object' && last !== undefined && Object.hasOwn(cur, last as string);
  return { parent: cur, has };
}

const toPath = (p: readonly PropertyKey[]): Path => p.map((k) => (typeof k === 'number' ? k : String(k)));

/** Maps zod issues to ours: stable codes (`required`, `unknown_field`, `unsupported_version`…), string|number paths. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], input: unknown): Issue[] {
  const out: Issue[] = [];
  for (const i of issues) {
    const path = toPath(i.path);
    const missing = path.length > 0 && i.code !== 'unrecognized_keys' && !at(input, i.path).has;
    if (missing) {
      out.push(issue('required', path, `${path.join('.')} is required`));
      continue;
    }
    switch (i.code) {
      case 'unrecognized_keys':
        for (const k of i.keys) out.push(issue('unknown_field', [...path, k], `unknown field ${k}`));
        break;
      case 'invalid_type':
        out.push(issue('invalid_type', path, i.message));
        break;
      case 'invalid_value':
        out.push(
          path.length === 1 && path[0] === 'v'
            ? issue('unsupported_version', path, 'body schema version must be 1')
            : issue('invalid_value', path, i.message),
        );
        break;
      case 'invalid_union':
        out.push(issue('invalid_type', path, i.message));
        break;
      case 'custom': {
        const code = (i.params as { code?: unknown } | undefined)?.code;
        out.push(issue(typeof code === 'string' ? code : 'invalid_value', path, i.message));
        break;
      }
      default:
        out.push(issue(i.code, path, i.message));
    }
  }
  return out;
}

/** `undefined` is not a CBOR value: optional fields are omitted, never set to undefined. */
function undefinedPaths(x: unknown, path: Path, out: Path[]): void {
  const entries: Array<[string | number, unknown]> = Array.isArray(x)
    ? x.map((v, i) => [i, v])
    : isObj(x)
      ? Object.entries(x)
      : [];
  for (const [k, v] of entries) {
    if (v === undefined) out.push([...path, k]);
    else undefinedPaths(v, [...path, k], out);
  }
}

/** Schema and cross-field checks of a body; paths relative to the body. Every issue, in a stable order. */
export function validateBody(spec: KindSpec, body: unknown, registry: DocumentRegistry): Issue[] {
  if (!isObj(body)) return [issue('invalid_type', [], 'body must be a map')];
  const out: Issue[] = [];
  // A body the schema's fast acceptance test takes is one zod accepts, with no undefined anywhere (fast-valid.ts):
  // zod runs only for the others, to list their issues.
  if (!acceptor(spec.schema)?.(body)) {
    const r = spec.schema.safeParse(body);
    if (!r.success) out.push(...fromZodIssues(r.error.issues, body));
    const seen = new Set(out.map((i) => JSON.stringify(i.path)));
    const undef: Path[] = [];
    undefinedPaths(body, [], undef);
    for (const p of undef)
      if (!seen.has(JSON.stringify(p)))
        out.push(issue('invalid_type', p, 'undefined is not allowed: omit the field'));
  }
  if (spec.crossCheck) {
    const more = spec.crossCheck(body, registry);
    if (!out.length) return more;
    out.push(...more);
  }
  return out;
}

const NO_IDS: readonly string[] = [];

/** The ids a field holds: one id, or the string members of a list (others are the schema's to refuse). */
function idsOf(value: unknown): readonly string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return NO_IDS;
  let all = true;
  for (let i = 0; i < value.length && all; i++) all = typeof value[i] === 'string';
  return all ? (value as string[]) : value.filter((v): v is string => typeof v === 'string');
}

/** The entry path of the `n`-th id `idsOf(value)` gave for `field` (built only for an issue). */
function idPath(value: unknown, field: string, n: number): Path {
  if (!Array.isArray(value)) return ['body', field];
  for (let i = 0; i < value.length; i++)
    if (typeof value[i] === 'string' && n-- === 0) return ['body', field, i];
  return ['body', field];
}

/** The index names a kind's rows and checks use, made once per spec (a record's rows and checks name each a few times). */
interface SpecNames {
  /** The id index of the space it defines. */
  readonly defines: string | undefined;
  /** Per ref (in `spec.refs` order): the id index its target is found in, and the ref index of its rows. */
  readonly refIds: readonly string[];
  readonly refRows: readonly string[];
}
const NAMES = new WeakMap<KindSpec, SpecNames>();
function namesOf(spec: KindSpec): SpecNames {
  let n = NAMES.get(spec);
  if (n === undefined) {
    n = {
      defines: spec.defines ? INDEX.id(spec.defines.space) : undefined,
      refIds: spec.refs.map((r) => INDEX.id(r.space)),
      refRows: spec.refs.map((r) => INDEX.ref(r.space)),
    };
    NAMES.set(spec, n);
  }
  return n;
}

/** Adds the row (index, key) unless it is there already: two fields may name the same id (a few rows: pairwise). */
function addRow(rows: Array<{ index: string; key: string }>, index: string, key: string): void {
  for (let i = 0; i < rows.length; i++) if (rows[i]!.key === key && rows[i]!.index === index) return;
  rows.push({ index, key });
}

/** Index rows of an entry of this kind (recomputed by verify, so a pure function of the entry). */
export function indexRows(spec: KindSpec, entry: Entry): Array<{ index: string; key: string }> {
  const body = entry.body;
  const rows: Array<{ index: string; key: string }> = [{ index: INDEX.signer, key: entry.signer }];
  if (!isObj(body)) return rows;
  const names = namesOf(spec);
  if (spec.defines) {
    const ids = idsOf(body[spec.defines.field]);
    for (let i = 0; i < ids.length; i++) addRow(rows, names.defines!, ids[i]!);
  }
  for (let r = 0; r < spec.refs.length; r++) {
    const ids = idsOf(body[spec.refs[r]!.field]);
    for (let i = 0; i < ids.length; i++) addRow(rows, names.refRows[r]!, ids[i]!);
  }
  if (typeof body.caseId === 'string') addRow(rows, INDEX.case, body.caseId);
  if (spec.indexes) for (const r of spec.indexes(body)) addRow(rows, r.index, r.key);
  const t = spec.eventTime === undefined ? undefined : body[spec.eventTime];
  if (isTime(t)) addRow(rows, INDEX.time, timeKey(t));
  return rows;
}

/** What a record's check reads: the ids it defines and names, and its own case when the archive lock applies. */
interface Plan {
  readonly defValue: unknown;
  readonly defIds: readonly string[];
  /** Per ref (in `spec.refs` order): the ids its field names. */
  readonly refIds: ReadonlyArray<readonly string[]>;
  readonly ownCase: string | undefined;
  /** Every lookup, in that order (defined ids, each ref's ids, the own case in the archive index). */
  readonly indexes: readonly string[];
  readonly keys: readonly string[];
}

function planOf(spec: KindSpec, body: Record<string, unknown>): Plan {
  const names = namesOf(spec);
  const indexes: string[] = [];
  const keys: string[] = [];
  const defValue = spec.defines ? body[spec.defines.field] : undefined;
  const defIds = spec.defines ? idsOf(defValue) : NO_IDS;
  for (const id of defIds) {
    indexes.push(names.defines!);
    keys.push(id);
  }
  const refIds = new Array<readonly string[]>(spec.refs.length);
  for (let r = 0; r < spec.refs.length; r++) {
    const ids = idsOf(body[spec.refs[r]!.field]);
    refIds[r] = ids;
    for (const id of ids) {
      indexes.push(names.refIds[r]!);
      keys.push(id);
    }
  }
  // A record of a case file: whether its own case is archived (the archive lock), read with the others.
  const ownCase = spec.caseFile && typeof body.caseId === 'string' ? body.caseId : undefined;
  if (ownCase !== undefined) {
    indexes.push(ARCHIVE_INDEX);
    keys.push(ownCase);
  }
  return { defValue, defIds, refIds, ownCase, indexes, keys };
}

/** What the plan's lookups found, and the entry each named id (past the defined ones) was found at, if any. */
interface Reads {
  readonly found: ReadonlyArray<readonly number[]>;
  readonly targets: ReadonlyArray<StoredEntry | undefined>;
}

/** The plan's reads when the ledger has every one without reading storage (`lookupNow` / `getNow`), else undefined. */
function readNow(plan: Plan, ctx: KindCheckContext): Reads | undefined {
  const { lookupNow, getNow } = ctx;
  if (lookupNow === undefined || getNow === undefined) return undefined;
  const n = plan.keys.length;
  const found = new Array<readonly number[]>(n);
  for (let i = 0; i < n; i++) {
    const seqs = lookupNow(plan.indexes[i]!, plan.keys[i]!);
    if (seqs === undefined) return undefined;
    found[i] = seqs;
  }
  const named = n - plan.defIds.length - (plan.ownCase !== undefined ? 1 : 0);
  const targets = new Array<StoredEntry | undefined>(named);
  for (let i = 0; i < named; i++) {
    const seq = found[plan.defIds.length + i]![0];
    if (seq === undefined) continue;
    const e = getNow(seq);
    if (e === undefined) return undefined;
    targets[i] = e;
  }
  return { found, targets };
}

/** The plan's reads through `lookup` and `get`: every lookup at once, then every record found at once. */
async function readAll(plan: Plan, ctx: KindCheckContext): Promise<Reads> {
  const lookups: Array<Promise<number[]>> = [];
  for (let i = 0; i < plan.keys.length; i++) lookups.push(ctx.lookup(plan.indexes[i]!, plan.keys[i]!));
  const found = lookups.length ? await Promise.all(lookups) : [];
  const named = found.length - plan.defIds.length - (plan.ownCase !== undefined ? 1 : 0);
  const gets: Array<Promise<StoredEntry> | undefined> = [];
  for (let i = 0; i < named; i++) {
    const seq = found[plan.defIds.length + i]![0];
    gets.push(seq === undefined ? undefined : ctx.get(seq));
  }
  const targets = gets.length ? await Promise.all(gets) : [];
  return { found, targets };
}

/**
 * Uniqueness, references, the kind's state check, the archive lock. Paths are entry paths (`['body', …]`). Every id
 * the entry defines or names is looked up at once, then every record found is read at once (the reads are
 * independent of each other); the issues follow in the order of the fields and their ids. When the context has every
 * answer at hand (`lookupNow` / `getNow`: the usual case for a record of a case already in use) and the kind's own
 * checks need no read, the issues are returned without waiting: the same issues either way.
 */
export function checkEntry(spec: KindSpec, entry: Entry, ctx: KindCheckContext): Issue[] | Promise<Issue[]> {
  const body = entry.body;
  if (!isObj(body)) return [];
  const plan = planOf(spec, body);
  const now = readNow(plan, ctx);
  return now !== undefined
    ? judge(spec, entry, body, ctx, plan, now)
    : readAll(plan, ctx).then((reads) => judge(spec, entry, body, ctx, plan, reads));
}

/** The issues of an entry from its reads (see checkEntry). */
function judge(
  spec: KindSpec,
  entry: Entry,
  body: Record<string, unknown>,
  ctx: KindCheckContext,
  plan: Plan,
  { found, targets }: Reads,
): Issue[] | Promise<Issue[]> {
  const out: Issue[] = [];
  const { defIds, defValue, refIds } = plan;
  for (let n = 0; n < defIds.length; n++) {
    const seq = found[n]![0];
    if (seq !== undefined) {
      const { space, field } = spec.defines!;
      out.push(
        issue(
          'duplicate_id',
          idPath(defValue, field, n),
          `${space} ${defIds[n]} already exists (seq ${seq})`,
        ),
      );
    }
  }
  const refs = new Map<string, Resolved[]>();
  let at = 0; // the next ref id's place in `targets`
  for (let r = 0; r < spec.refs.length; r++) {
    const ref = spec.refs[r]!;
    const list: Resolved[] = [];
    const value = body[ref.field];
    const ids = refIds[r]!;
    for (let n = 0; n < ids.length; n++, at++) {
      const id = ids[n]!;
      const target = targets[at];
      if (target === undefined) {
        out.push(issue('dangling_reference', idPath(value, ref.field, n), `no ${ref.space} ${id}`));
        continue;
      }
      if (!ref.kinds.includes(target.kind)) {
        out.push(
          issue(
            'wrong_reference_kind',
            idPath(value, ref.field, n),
            `${ref.space} ${id} is a ${target.kind}; expected ${ref.kinds.join(' or ')}`,
          ),
        );
        continue;
      }
      const tb = isObj(target.body) ? target.body : {};
      if (
        ref.sameCase &&
        typeof body.caseId === 'string' &&
        typeof tb.caseId === 'string' &&
        tb.caseId !== body.caseId
      )
        out.push(
          issue(
            'reference_mismatch',
            idPath(value, ref.field, n),
            `${ref.space} ${id} belongs to case ${tb.caseId}, not ${body.caseId}`,
          ),
        );
      if (ref.role && !(Array.isArray(tb.roles) && tb.roles.includes(ref.role)))
        out.push(
          issue(
            'reference_lacks_role',
            idPath(value, ref.field, n),
            `${ref.space} ${id} does not hold the role ${ref.role}`,
          ),
        );
      list.push({ field: ref.field, id, entry: target });
    }
    refs.set(ref.field, list);
  }
  const ownArchive = plan.ownCase !== undefined ? found[found.length - 1] : undefined;
  const state = spec.stateCheck?.({ entry, body, ctx, refs, principal: ctx.signerPrincipal });
  const lock = archiveLockIssues(spec, body, refs, ctx, ownArchive);
  if (state instanceof Promise || lock instanceof Promise)
    return Promise.all([state, lock]).then(([s, l]) => {
      if (s) out.push(...s);
      out.push(...l);
      return out;
    });
  if (state?.length) out.push(...state);
  if (lock.length) out.push(...lock);
  return out;
}

export interface KindsOptions {
  /** Document types to accept; default: the built-in list. Use the same registry to open and verify a ledger. */
  readonly documentTypes?: DocumentRegistry;
}

/** The core KindDefinition of one spec. */
export function toKindDefinition(
  spec: KindSpec,
  registry: DocumentRegistry = defaultDocumentRegistry,
): KindDefinition {
  return {
    kind: spec.kind,
    roles: spec.roles,
    validate: (body) => validateBody(spec, body, registry),
    indexes: (entry) => indexRows(spec, entry),
    check: (entry, ctx) => checkEntry(spec, entry, ctx),
    // "Is this id new?" and "is this case archived?" find nothing almost every time: the ledger answers them from a
    // filter of the index's keys instead of a storage read.
    filteredIndexes: [
      ...(spec.defines ? [INDEX.id(spec.defines.space)] : []),
      ...(spec.caseFile ? [INDEX.id('case-archive')] : []),
    ],
  };
}

/** Kind definitions of every enforcement record kind; pass them to `Ledger.create` / `Ledger.open`. */
export function enforcementKinds(opts: KindsOptions = {}): KindSet<BodyByKind> {
  const registry = opts.documentTypes ?? defaultDocumentRegistry;
  return ALL_SPECS.map((s) => toKindDefinition(s, registry));
}
