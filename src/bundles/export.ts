/**
 * Exports a proof bundle from a ledger (docs/FORMAT.md §Proof bundle): the cases named (or sampled), their records,
 * the core entries needed to check every signer and role (key registrations along the admin chain, their
 * revocations, kind declarations), each with its inclusion proof against a cosigned checkpoint, and the findings.
 */
import { field } from '../guards';
import { toHex } from '../bytes';
import { type RuleSet, JINCHENG_RULE_SET } from '../compliance/rule-set';
import type { WorkingDayCalendar } from '../compliance/calendar';
import type { Signer } from '../crypto/types';
import type { Ledger } from '../ledger/ledger';
import { KEY_REGISTER_KIND, KEY_REVOKE_KIND, KIND_DECLARE_KIND, isCoreKind } from '../ledger/registry';
import { CORE_KIND_INDEX } from '../ledger/rows';
import type { Clock, ContentRef, StoredEntry } from '../ledger/types';
import { INDEX } from '../domain/spec';
import { noteText } from '../checkpoint/note';
import { cosignedCheckpoint } from '../witness/ledger';
import { buildBundle } from './build';
import type { BundleEntry } from './format';
import { ORGANISATION_KINDS, organisationIdsOf } from './replay';
import { selectSample } from './sample';

export interface ExportOptions {
  /** Signs the bundle: a key registered in the log with role `admin` or `archivist` (the verifier's default). */
  readonly exporter: Signer;
  /** Cases to export. */
  readonly caseIds?: readonly string[];
  /** Or: draw `k` cases with the inspector's nonce from the checkpoint (docs/FORMAT.md §Sampling). */
  readonly sample?: { readonly nonce: Uint8Array; readonly k: number };
  /** Cosigned checkpoint note to prove against; default: the newest checkpoint with its recorded cosignatures. */
  readonly checkpoint?: string;
  /** Size of a checkpoint the inspector holds: a consistency proof to it is included. */
  readonly inspectorSize?: number;
  /** Reads content to carry in the bundle (files up to `maxContentBytes`); none are carried without it. */
  readonly content?: (ref: ContentRef) => Promise<Uint8Array | undefined>;
  /** Default 256 KiB. */
  readonly maxContentBytes?: number;
  readonly ruleSet?: RuleSet;
  readonly calendar?: WorkingDayCalendar;
  /** Export time; default Date.now. */
  readonly clock?: Clock;
}

/** Case ids of the log at `size`, sorted (the sampling population). */
export async function caseIdsAt(ledger: Ledger, size: number): Promise<string[]> {
  const rows = await ledger.lookupRange(INDEX.id('case'));
  return [...new Set(rows.filter((r) => r.seq < size).map((r) => r.key))].sort();
}

/**
 * Seqs (below `size`) of the organisation records a case's rules consult: the case's agency and, for an entrusted
 * organisation, the entrusting agency (Art. 32); each device its segments name, with the device's custody and status
 * events (Art. 20, 28).
 */
async function organisationOf(
  ledger: Ledger,
  records: readonly StoredEntry[],
  size: number,
): Promise<number[]> {
  const out = new Set<number>();
  const below = (seqs: readonly number[]) => seqs.filter((s) => s < size);
  const { agencies, devices } = organisationIdsOf(records);
  for (const a of [...agencies])
    for (const s of below(await ledger.lookup(INDEX.id('agency'), a))) {
      out.add(s);
      const by = field((await ledger.get(s)).body, 'entrustedBy');
      if (typeof by === 'string')
        for (const t of below(await ledger.lookup(INDEX.id('agency'), by))) out.add(t);
    }
  for (const d of devices) {
    for (const s of below(await ledger.lookup(INDEX.id('device'), d))) out.add(s);
    for (const s of below(await ledger.lookup(INDEX.ref('device'), d)))
      if (ORGANISATION_KINDS.has((await ledger.get(s)).kind)) out.add(s);
  }
  return [...out].sort((a, b) => a - b);
}

export async function exportBundle(ledger: Ledger, opts: ExportOptions): Promise<Uint8Array> {
  if (!opts || typeof opts !== 'object') throw new TypeError('opts must be an object');
  if ((opts.caseIds === undefined) === (opts.sample === undefined))
    throw new TypeError('give exactly one of opts.caseIds and opts.sample');
  const note = opts.checkpoint ?? (await cosignedCheckpoint(ledger));
  const cp = ledger.verifyOwnCheckpoint(note);
  const size = cp.size;
  const body = noteText(note);

  let caseIds: readonly string[];
  let sample: { nonce: Uint8Array; k: number; population: string[] } | undefined;
  if (opts.sample) {
    const population = await caseIdsAt(ledger, size);
    caseIds = selectSample(population, body, opts.sample.nonce, opts.sample.k, ledger.suite.hash).selected;
    sample = { nonce: opts.sample.nonce, k: opts.sample.k, population };
  } else caseIds = opts.caseIds!;

  const entries = new Map<number, StoredEntry>();
  const add = async (seq: number) => {
    if (seq < size && !entries.has(seq)) entries.set(seq, await ledger.get(seq));
  };
  await add(0);
  const cases: Array<{ caseId: string; seqs: number[]; organisation: number[] }> = [];
  for (const caseId of caseIds) {
    const seqs = (await ledger.lookup(INDEX.case, caseId)).filter((s) => s < size);
    if (seqs.length === 0) throw new RangeError(`case ${caseId} has no records at size ${size}`);
    for (const s of seqs) await add(s);
    const organisation = await organisationOf(
      ledger,
      seqs.map((s) => entries.get(s)!),
      size,
    );
    for (const s of organisation) await add(s);
    cases.push({ caseId, seqs, organisation });
  }

  // Core entries before the checkpoint, by kind.
  const core = async (kind: string) => {
    const out: StoredEntry[] = [];
    for (const s of await ledger.lookup(CORE_KIND_INDEX, kind)) if (s < size) out.push(await ledger.get(s));
    return out;
  };
  const registers = await core(KEY_REGISTER_KIND);
  const revokes = await core(KEY_REVOKE_KIND);
  const declares = await core(KIND_DECLARE_KIND);
  const registerOf = new Map<string, StoredEntry>();
  for (const e of registers)
    if (isCoreKind(e, KEY_REGISTER_KIND)) registerOf.set(ledger.suite.keyId(e.body.publicKey), e);
  // Signers to justify: those of the carried entries and the exporter, then the signers of their registrations.
  const todo = [...[...entries.values()].map((e) => e.signer), opts.exporter.keyId];
  const done = new Set<string>();
  const kinds = new Set<string>();
  while (todo.length) {
    const keyId = todo.pop()!;
    if (done.has(keyId)) continue;
    done.add(keyId);
    const reg = registerOf.get(keyId);
    if (reg) {
      await add(reg.seq);
      todo.push(reg.signer);
    }
    for (const r of revokes)
      if (isCoreKind(r, KEY_REVOKE_KIND) && toHex(r.body.keyId) === keyId) {
        await add(r.seq);
        todo.push(r.signer);
      }
  }
  for (const e of entries.values()) kinds.add(e.kind);
  for (const d of declares)
    if (isCoreKind(d, KIND_DECLARE_KIND) && kinds.has(d.body.kind)) {
      await add(d.seq);
      if (!done.has(d.signer)) {
        const reg = registerOf.get(d.signer);
        if (reg) await add(reg.seq);
      }
    }

  const bundleEntries: BundleEntry[] = [];
  for (const e of [...entries.values()].sort((a, b) => a.seq - b.seq))
    bundleEntries.push({ entry: e.bytes, proof: await ledger.inclusionProof(e.seq, size) });

  let consistency: { size: number; proof: Uint8Array[] } | undefined;
  const held = opts.inspectorSize;
  if (held !== undefined && held > 0 && held !== size) {
    const [a, b] = held < size ? [held, size] : [size, held];
    consistency = { size: held, proof: await ledger.consistencyProof(a, b) };
  }

  const content: Uint8Array[] = [];
  if (opts.content) {
    const max = opts.maxContentBytes ?? 256 * 1024;
    const seen = new Set<string>();
    for (const e of entries.values())
      for (const ref of e.content) {
        const hex = toHex(ref.digest);
        if (ref.size > max || seen.has(hex)) continue;
        seen.add(hex);
        const bytes = await opts.content(ref);
        if (bytes) content.push(bytes);
      }
  }

  return buildBundle(
    {
      origin: ledger.origin,
      checkpoint: note,
      entries: bundleEntries,
      cases,
      ruleSet: opts.ruleSet ?? JINCHENG_RULE_SET,
      ...(opts.calendar ? { calendar: opts.calendar } : {}),
      ...(consistency ? { consistency } : {}),
      content,
      ...(sample ? { sample } : {}),
      exported: (opts.clock ?? Date.now)(),
      suite: ledger.suite,
    },
    opts.exporter,
  );
}
