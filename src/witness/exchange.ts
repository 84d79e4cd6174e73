/**
 * Air-gapped witnessing by files. The agency writes a request file (the c2sp.org/tlog-witness add-checkpoint body:
 * `old <size>\n`, consistency proof lines, blank line, checkpoint note); the superior agency's witness machine reads
 * it and writes a response file; the agency reads the response and records the cosignature.
 *
 * Response file (JSON, `enforcement-ledger/witness-response@1`): `{ format, status, origin, size, line? , refusal? }`
 * with `status` the tlog-witness HTTP status (200 cosigned; 409 old size mismatch or fork; 400 bad request or
 * truncation; 403 unverified; 422 bad proof), `line` the cosignature line on success, and on a refusal
 * `refusal: { code, message, size?, previous?, submitted? }` — `previous` and `submitted` are the two signed
 * checkpoints proving an equivocation.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { parseCheckpoint } from '../checkpoint/checkpoint';
import type { NoteKeyInput } from '../checkpoint/note-key';
import { parseNote } from '../checkpoint/note';
import {
  type AddCheckpointRequest,
  formatAddCheckpointRequest,
  parseAddCheckpointRequest,
  type Witness,
} from '../checkpoint/witness';
import type { Signer } from '../crypto/types';
import { LedgerError, PolicyError, StorageError } from '../errors';
import type { Ledger } from '../ledger/ledger';
import { buildAddCheckpointRequest, recordCosignature } from './ledger';

export const WITNESS_RESPONSE_FORMAT = 'enforcement-ledger/witness-response@1';

export interface WitnessRefusal {
  readonly code: string;
  readonly message: string;
  readonly size?: number;
  readonly previous?: string;
  readonly submitted?: string;
}

export interface WitnessResponse {
  readonly format: typeof WITNESS_RESPONSE_FORMAT;
  readonly status: number;
  readonly origin: string;
  readonly size: number;
  readonly line?: string;
  readonly refusal?: WitnessRefusal;
}

async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const h = await open(tmp, 'w');
  try {
    await h.writeFile(text, 'utf8');
    await h.sync();
  } finally {
    await h.close();
  }
  await rename(tmp, path);
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new StorageError(
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'STORAGE_NOT_FOUND' : 'STORAGE_IO',
      `cannot read ${path}`,
      { cause: err },
    );
  }
}

/** Agency side: writes the add-checkpoint request for `note` (default: newest checkpoint) given the witness's last size. */
export async function writeWitnessRequest(
  ledger: Ledger,
  path: string,
  opts: { readonly oldSize: number; readonly checkpoint?: string },
): Promise<AddCheckpointRequest> {
  const note = opts.checkpoint ?? (await ledger.checkpoints(1))[0] ?? (await ledger.checkpoint());
  const req = await buildAddCheckpointRequest(ledger, note, opts.oldSize);
  await writeDurably(path, formatAddCheckpointRequest(req));
  return req;
}

/**
 * Witness side: answers a request file with a response file. `logs` names the log keys the witness trusts, per
 * origin. Never throws for a refused or malformed request (the refusal is the response); throws StorageError on I/O.
 */
export async function answerWitnessRequest(opts: {
  readonly witness: Witness;
  readonly logs: ReadonlyMap<string, readonly NoteKeyInput[]>;
  readonly requestPath: string;
  readonly responsePath: string;
  /** POSIX seconds (injected clock). */
  readonly now: number;
}): Promise<WitnessResponse> {
  const text = await readText(opts.requestPath);
  let origin = '';
  let size = 0;
  let response: WitnessResponse;
  try {
    const req = parseAddCheckpointRequest(text);
    const cp = parseCheckpoint(parseNote(req.checkpointNote).text);
    origin = cp.origin;
    size = cp.size;
    const keys = opts.logs.get(origin);
    if (!keys)
      throw new PolicyError('WITNESS_UNKNOWN_LOG', `origin ${origin} is not a log this witness follows`, {
        status: 404,
      });
    const line = await opts.witness.addCheckpoint(req, keys, opts.now);
    response = { format: WITNESS_RESPONSE_FORMAT, status: 200, origin, size, line };
  } catch (err) {
    if (!(err instanceof LedgerError) || err instanceof StorageError) throw err;
    const d = err instanceof PolicyError ? (err.details ?? {}) : {};
    const refusal: WitnessRefusal = {
      code: err.code,
      message: err.message,
      ...(typeof d.size === 'number' ? { size: d.size } : {}),
      ...(typeof d.previous === 'string' ? { previous: d.previous } : {}),
      ...(typeof d.submitted === 'string' ? { submitted: d.submitted } : {}),
    };
    const status = typeof d.status === 'number' ? d.status : 400;
    response = { format: WITNESS_RESPONSE_FORMAT, status, origin, size, refusal };
  }
  await writeDurably(opts.responsePath, `${JSON.stringify(response, null, 2)}\n`);
  return response;
}

/** Reads a response file strictly. Throws STORAGE_CORRUPT when it is not one. */
export async function readWitnessResponse(path: string): Promise<WitnessResponse> {
  const text = await readText(path);
  let r: WitnessResponse;
  try {
    r = JSON.parse(text) as WitnessResponse;
  } catch (err) {
    throw new StorageError('STORAGE_CORRUPT', `${path} is not JSON`, { cause: err });
  }
  if (
    !r ||
    r.format !== WITNESS_RESPONSE_FORMAT ||
    !Number.isSafeInteger(r.status) ||
    typeof r.origin !== 'string' ||
    !Number.isSafeInteger(r.size) ||
    (r.status === 200 ? typeof r.line !== 'string' : !r.refusal || typeof r.refusal.code !== 'string')
  )
    throw new StorageError('STORAGE_CORRUPT', `${path} is not a ${WITNESS_RESPONSE_FORMAT} file`);
  return r;
}

/**
 * Agency side: reads the response file; on success checks the cosignature and records it (`core/cosignature`);
 * on a refusal throws PolicyError with the witness's code and its evidence (`details.previous`, `details.submitted`).
 */
export async function recordWitnessResponse(
  ledger: Ledger,
  path: string,
  opts: { readonly request: AddCheckpointRequest; readonly witness: NoteKeyInput; readonly signer: Signer },
): Promise<{ note: string; line: string; seq: number }> {
  const r = await readWitnessResponse(path);
  if (r.status !== 200 || r.line === undefined) {
    const f = r.refusal!;
    throw new PolicyError(f.code, `witness refused: ${f.message}`, { status: r.status, ...f });
  }
  return recordCosignature(ledger, opts.request.checkpointNote, r.line, opts.witness, opts.signer);
}
