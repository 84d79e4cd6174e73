/**
 * The log's side of witnessing: build a tlog-witness add-checkpoint request from a ledger, check the cosignature
 * that comes back, record it as a `core/cosignature` entry, and put recorded cosignatures back on a checkpoint note.
 */
import { verifyCosignature } from '../checkpoint/cosignature';
import { type NoteKeyInput, SIG_COSIGNATURE_V1, toNoteKey } from '../checkpoint/note-key';
import { noteSignatureLines, parseNote } from '../checkpoint/note';
import type { AddCheckpointRequest } from '../checkpoint/witness';
import { portableSuiteById } from '../crypto/registry';
import type { CryptoSuite, Signer } from '../crypto/types';
import { CryptoError, PolicyError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import { COSIGNATURE_KIND, SUITE_ID } from '../ledger/registry';
import { CORE_KIND_INDEX } from '../ledger/rows';

/** Delivers a request to a witness and resolves to its cosignature line(s); rejects with the witness's refusal. */
export type WitnessClient = (req: AddCheckpointRequest) => Promise<string>;

export interface RecordedCosignature {
  readonly seq: number;
  readonly size: number;
  readonly witness: string;
  readonly line: string;
}

/** `core/cosignature` entries of the ledger, in log order. */
export async function recordedCosignatures(ledger: Ledger): Promise<RecordedCosignature[]> {
  const out: RecordedCosignature[] = [];
  for (const seq of await ledger.lookup(CORE_KIND_INDEX, COSIGNATURE_KIND)) {
    const { body: b } = await ledger.get(seq, COSIGNATURE_KIND);
    out.push({ seq, size: b.size, witness: b.witness, line: b.line });
  }
  return out;
}

/** Appends signature lines to a signed note (C2SP: a cosigned checkpoint is the note with more signature lines). */
export function addSignatureLines(note: string, lines: readonly string[]): string {
  const have = new Set(noteSignatureLines(note));
  const extra: string[] = [];
  for (const l of lines.flatMap((x) => x.split('\n').filter(Boolean)))
    if (!have.has(l)) {
      have.add(l);
      extra.push(l);
    }
  const out = note + extra.map((l) => `${l}\n`).join('');
  parseNote(out); // the lines must be well-formed signature lines
  return out;
}

/** The checkpoint note of `size` (default: the newest) with every cosignature recorded for it. */
export async function cosignedCheckpoint(ledger: Ledger, size?: number): Promise<string> {
  const notes = await ledger.checkpoints();
  const note = size === undefined ? notes[0] : notes.find((n) => ledger.verifyOwnCheckpoint(n).size === size);
  if (note === undefined)
    throw new PolicyError(
      'CHECKPOINT_MISSING',
      size === undefined ? 'the ledger has no checkpoint' : `no checkpoint of size ${size}`,
    );
  const cpSize = ledger.verifyOwnCheckpoint(note).size;
  const lines = (await recordedCosignatures(ledger)).filter((c) => c.size === cpSize).map((c) => c.line);
  return addSignatureLines(note, lines);
}

export interface WitnessLedgerOptions {
  /** The witness's name and public key (type 0x04 cosignature/v1). */
  readonly witness: NoteKeyInput;
  readonly client: WitnessClient;
  /** Signs the `core/cosignature` entry: the checkpoint key or an admin key. */
  readonly signer: Signer;
  /** Checkpoint note to submit; default: the newest recorded one (one is signed when there is none). */
  readonly checkpoint?: string;
}

/** The size this witness last cosigned, as recorded in the ledger (0 when none). */
async function lastWitnessedSize(ledger: Ledger, name: string): Promise<number> {
  const mine = (await recordedCosignatures(ledger)).filter((c) => c.witness === name);
  return mine.reduce((m, c) => Math.max(m, c.size), 0);
}

export async function buildAddCheckpointRequest(
  ledger: Ledger,
  note: string,
  oldSize: number,
): Promise<AddCheckpointRequest> {
  const { size } = ledger.verifyOwnCheckpoint(note);
  const consistencyProof = oldSize > 0 && oldSize < size ? await ledger.consistencyProof(oldSize, size) : [];
  return { oldSize, consistencyProof, checkpointNote: note };
}

/**
 * Finds the valid cosignature of `witness` over the checkpoint `note` among the response's signature line(s).
 * Returns that line and its timestamp; throws CRYPTO_BAD_NOTE when there is none.
 */
export function checkCosignatureLine(
  note: string,
  response: string,
  witness: NoteKeyInput,
  suite: CryptoSuite = portableSuiteById(witness.suite ?? SUITE_ID),
): { line: string; timestamp: number } {
  const key = toNoteKey({ ...witness, type: SIG_COSIGNATURE_V1 }, SIG_COSIGNATURE_V1, suite.id);
  const base = parseNote(note);
  for (const line of response.split('\n').filter(Boolean)) {
    const [sig] = parseNote(`${base.text}\n${line}\n`).signatures;
    const t = sig ? verifyCosignature(base.text, sig, key, suite) : undefined;
    if (t !== undefined) return { line, timestamp: t };
  }
  throw new CryptoError('CRYPTO_BAD_NOTE', `no valid cosignature by ${key.name} in the witness response`);
}

/**
 * Submits the ledger's checkpoint to a witness, checks the returned cosignature and records it in the ledger as a
 * `core/cosignature` entry. On a 409 (the witness knows another size) it retries once with the witness's size.
 * Refusals (fork, truncation, bad proof) propagate as the witness's PolicyError with its evidence.
 */
export async function witnessLedger(
  ledger: Ledger,
  opts: WitnessLedgerOptions,
): Promise<{ note: string; line: string; seq: number }> {
  const note = opts.checkpoint ?? (await ledger.checkpoints(1))[0] ?? (await ledger.checkpoint());
  const name = opts.witness.name;
  let req = await buildAddCheckpointRequest(ledger, note, await lastWitnessedSize(ledger, name));
  let line: string;
  try {
    line = await opts.client(req);
  } catch (err) {
    const size =
      err instanceof PolicyError && err.code === 'WITNESS_OLD_SIZE_MISMATCH' ? err.details?.size : undefined;
    if (typeof size !== 'number') throw err;
    req = await buildAddCheckpointRequest(ledger, note, size);
    line = await opts.client(req);
  }
  return recordCosignature(ledger, note, line, opts.witness, opts.signer);
}

/** Checks a witness's cosignature line and records it (`core/cosignature`). Returns the cosigned note. */
export async function recordCosignature(
  ledger: Ledger,
  note: string,
  line: string,
  witness: NoteKeyInput,
  signer: Signer,
): Promise<{ note: string; line: string; seq: number }> {
  const { size } = ledger.verifyOwnCheckpoint(note);
  const clean = checkCosignatureLine(note, line, witness, ledger.suite).line;
  const r = await ledger.append(
    { kind: COSIGNATURE_KIND, body: { size, witness: witness.name, line: clean } },
    signer,
  );
  return { note: addSignatureLines(note, [clean]), line: clean, seq: r.seq };
}
