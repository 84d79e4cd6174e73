/**
 * Witnessing a real ledger (issue 8): consistent checkpoints are cosigned and recorded; truncated and forked logs are
 * refused with both signed checkpoints as evidence; the witness's state survives in its own file; the air-gapped
 * file exchange; cosignature lines checked against the C2SP key-id and message layout with node:crypto.
 */
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCheckpoint, verifyCheckpoint } from '../../src/checkpoint/checkpoint';
import { parseNote } from '../../src/checkpoint/note';
import { Witness } from '../../src/checkpoint/witness';
import { nodeSuite } from '../../src/crypto/node';
import { PolicyError, StorageError } from '../../src/errors';
import { Ledger } from '../../src/ledger/ledger';
import {
  answerWitnessRequest,
  readWitnessResponse,
  recordWitnessResponse,
  writeWitnessRequest,
} from '../../src/witness/exchange';
import { FileWitnessStore } from '../../src/witness/file-store';
import { cosignedCheckpoint, recordedCosignatures, witnessLedger } from '../../src/witness/ledger';
import { checkWitnessQuorum } from '../../src/witness/policy';
import { noteBody, noteKind, stepClock, testSigner } from '../ledger/helpers';
import { cleanup, tempDir, witnessKey } from '../bundles/helpers';

afterAll(cleanup);

const ORIGIN = 'ledger.example/witnessed';
const root = testSigner(1);
const officer = testSigner(2);

/** A deterministic ledger: same calls, same bytes. `variant` changes the text of note `at` (a fork). */
async function makeLedger(notes: number, variant?: { at: number }) {
  const ledger = await Ledger.create(await tempDir('el-witness-'), {
    origin: ORIGIN,
    signer: root,
    clock: stepClock(),
    kinds: [noteKind],
    sync: false,
  });
  await ledger.registerKey({ publicKey: officer.publicKey, principal: 'P-1', roles: ['officer'] }, root);
  for (let i = 0; i < notes; i++)
    await ledger.append(
      { kind: 'test/note', body: { ...noteBody(i), ...(variant?.at === i ? { text: 'forked' } : {}) } },
      officer,
    );
  return ledger;
}

const logKeys = (l: Ledger) => [
  { name: l.manifest.checkpointKey.name, publicKey: l.manifest.checkpointKey.publicKey },
];

async function fileWitness(i: number, dir?: string) {
  const w = witnessKey(i);
  const path = join(dir ?? (await tempDir('el-wstate-')), 'state.json');
  const store = new FileWitnessStore(path);
  return {
    ...w,
    path,
    store,
    witness: new Witness({ name: w.name, signer: w.signer, suite: nodeSuite, store }),
  };
}

async function refusal(p: Promise<unknown>): Promise<PolicyError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PolicyError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('witnessing a ledger in process', () => {
  it('cosigns a consistent sequence, records each cosignature, and keeps its state in its own file', async () => {
    const ledger = await makeLedger(3);
    const w = await fileWitness(1);
    let t = 1_772_000_000;
    const client = (req: Parameters<Witness['addCheckpoint']>[0]) =>
      w.witness.addCheckpoint(req, logKeys(ledger), t++);
    const sizes: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2 + round; i++)
        await ledger.append({ kind: 'test/note', body: noteBody(100 + i) }, officer);
      const note = await ledger.checkpoint();
      const r = await witnessLedger(ledger, { witness: w, client, signer: root });
      const size = ledger.verifyOwnCheckpoint(note).size;
      sizes.push(size);
      expect((await ledger.get(r.seq)).kind).toBe('core/cosignature');
      // The file holds this size and root; a fresh store reading the file agrees.
      const state = await new FileWitnessStore(w.path).get(ORIGIN);
      expect(state?.size).toBe(size);
      expect(state?.rootHash).toEqual(await ledger.root(size));
      expect(state?.note).toBe(note);
    }
    expect(sizes[0]! < sizes[1]! && sizes[1]! < sizes[2]!).toBe(true);
    expect((await recordedCosignatures(ledger)).map((c) => c.size)).toEqual(sizes);
    // The cosigned note verifies with the log key and counts toward a quorum of 1 (not 2).
    const cosigned = await cosignedCheckpoint(ledger);
    const v = verifyCheckpoint(cosigned, logKeys(ledger), nodeSuite, [w]);
    expect(v.cosigners.map((c) => c.key.name)).toEqual([w.name]);
    const policy = { witnesses: [w, witnessKey(2)], quorum: 1 };
    expect(checkWitnessQuorum(cosigned, policy, nodeSuite).ok).toBe(true);
    expect(checkWitnessQuorum(cosigned, { ...policy, quorum: 2 }, nodeSuite).ok).toBe(false);
    expect((await readdir(join(w.path, '..'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await ledger.verify()).toMatchObject({ ok: true });
    await ledger.close();
  });

  it('refuses a truncated log with both signed checkpoints as evidence', async () => {
    const full = await makeLedger(10);
    const w = await fileWitness(1);
    const client = (l: Ledger) => (req: Parameters<Witness['addCheckpoint']>[0]) =>
      w.witness.addCheckpoint(req, logKeys(l), 1_772_000_000);
    const cosigned = await full.checkpoint();
    await witnessLedger(full, { witness: w, client: client(full), signer: root });
    // The same log cut back to 4 notes: its own checkpoint is smaller than the cosigned one.
    const cut = await makeLedger(4);
    const cutNote = await cut.checkpoint();
    const err = await refusal(witnessLedger(cut, { witness: w, client: client(cut), signer: root }));
    expect(err.code).toBe('WITNESS_TRUNCATION');
    const { previous, submitted } = err.details as { previous: string; submitted: string };
    expect(previous).toBe(cosigned);
    expect(submitted).toBe(cutNote);
    const a = verifyCheckpoint(previous, logKeys(full), nodeSuite).checkpoint;
    const b = verifyCheckpoint(submitted, logKeys(full), nodeSuite).checkpoint;
    expect(b.size).toBeLessThan(a.size);
    // Nothing was recorded in the truncated log, and the witness state did not move.
    expect(await recordedCosignatures(cut)).toEqual([]);
    expect((await w.store.get(ORIGIN))?.size).toBe(a.size);
    await full.close();
    await cut.close();
  });

  it('refuses a fork (same size, another root) and a diverging history, with the evidence', async () => {
    const honest = await makeLedger(6);
    const forked = await makeLedger(6, { at: 2 });
    const w = await fileWitness(1);
    const client = (l: Ledger) => (req: Parameters<Witness['addCheckpoint']>[0]) =>
      w.witness.addCheckpoint(req, logKeys(l), 1_772_000_000);
    const good = await honest.checkpoint();
    await witnessLedger(honest, { witness: w, client: client(honest), signer: root });
    const bad = await forked.checkpoint();
    const [ca, cb] = [good, bad].map((n) => parseCheckpoint(parseNote(n).text));
    expect(ca!.size).toBe(cb!.size);
    expect(ca!.rootHash).not.toEqual(cb!.rootHash);
    const err = await refusal(witnessLedger(forked, { witness: w, client: client(forked), signer: root }));
    expect(err.code).toBe('WITNESS_FORK');
    expect(err.details).toMatchObject({ previous: good, submitted: bad, status: 409 });
    // The forked log grows: its consistency proof from the cosigned size cannot verify against the honest root.
    await forked.append({ kind: 'test/note', body: noteBody(50) }, officer);
    const later = await forked.checkpoint();
    const err2 = await refusal(
      w.witness.addCheckpoint(
        {
          oldSize: ca!.size,
          consistencyProof: await forked.consistencyProof(ca!.size),
          checkpointNote: later,
        },
        logKeys(forked),
        1_772_000_001,
      ),
    );
    expect(err2.code).toBe('WITNESS_BAD_PROOF');
    expect(err2.details).toMatchObject({ previous: good, submitted: later });
    await honest.close();
    await forked.close();
  });
});

describe('air-gapped witnessing by files', () => {
  it('request file → witness → response file → recorded cosignature; a fork comes back as a refusal file', async () => {
    const ledger = await makeLedger(5);
    const dir = await tempDir('el-airgap-');
    const w = await fileWitness(3, dir);
    const logs = new Map([[ORIGIN, logKeys(ledger)]]);
    await ledger.checkpoint();
    const reqPath = join(dir, 'request.txt');
    const resPath = join(dir, 'response.json');
    const request = await writeWitnessRequest(ledger, reqPath, { oldSize: 0 });
    expect((await readFile(reqPath, 'utf8')).startsWith('old 0\n\n')).toBe(true);
    const res = await answerWitnessRequest({
      witness: w.witness,
      logs,
      requestPath: reqPath,
      responsePath: resPath,
      now: 1_772_000_100,
    });
    expect(res.status).toBe(200);
    const rec = await recordWitnessResponse(ledger, resPath, { request, witness: w, signer: root });
    expect(checkWitnessQuorum(rec.note, { witnesses: [w], quorum: 1 }, nodeSuite).cosigners).toEqual([
      { name: w.name, timestamp: 1_772_000_100 },
    ]);

    // Next round with a consistency proof from the cosigned size.
    const old = ledger.verifyOwnCheckpoint(request.checkpointNote).size;
    await ledger.append({ kind: 'test/note', body: noteBody(77) }, officer);
    await ledger.checkpoint();
    const req2 = await writeWitnessRequest(ledger, reqPath, { oldSize: old });
    expect(req2.consistencyProof.length).toBeGreaterThan(0);
    expect(
      (
        await answerWitnessRequest({
          witness: w.witness,
          logs,
          requestPath: reqPath,
          responsePath: resPath,
          now: 1_772_000_200,
        })
      ).status,
    ).toBe(200);
    await recordWitnessResponse(ledger, resPath, { request: req2, witness: w, signer: root });

    // A forked twin of the same size as the witnessed one.
    const size = ledger.verifyOwnCheckpoint(req2.checkpointNote).size;
    const twin = await makeLedger(5, { at: 0 });
    while (twin.size < size) await twin.append({ kind: 'test/note', body: noteBody(twin.size) }, officer);
    await twin.checkpoint();
    const forkReq = await writeWitnessRequest(twin, reqPath, { oldSize: size });
    const refused = await answerWitnessRequest({
      witness: w.witness,
      logs,
      requestPath: reqPath,
      responsePath: resPath,
      now: 1_772_000_300,
    });
    expect(refused).toMatchObject({
      status: 409,
      refusal: { code: 'WITNESS_FORK', previous: req2.checkpointNote, submitted: forkReq.checkpointNote },
    });
    const err = await refusal(
      recordWitnessResponse(twin, resPath, { request: forkReq, witness: w, signer: root }),
    );
    expect(err.code).toBe('WITNESS_FORK');
    expect(err.details).toMatchObject({ previous: req2.checkpointNote, submitted: forkReq.checkpointNote });

    // A log the witness does not follow, and a garbled request: refusals, not crashes.
    const other = await answerWitnessRequest({
      witness: w.witness,
      logs: new Map(),
      requestPath: reqPath,
      responsePath: resPath,
      now: 1,
    });
    expect(other).toMatchObject({ status: 404, refusal: { code: 'WITNESS_UNKNOWN_LOG' } });
    await writeFile(reqPath, 'old x\n\nnot a note\n');
    expect(
      (
        await answerWitnessRequest({
          witness: w.witness,
          logs,
          requestPath: reqPath,
          responsePath: resPath,
          now: 1,
        })
      ).refusal?.code,
    ).toBe('WITNESS_BAD_REQUEST');
    await writeFile(resPath, '{"format":"other"}');
    await expect(readWitnessResponse(resPath)).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
    await ledger.close();
    await twin.close();
  });
});

describe('FileWitnessStore', () => {
  it('keeps every origin across concurrent writes and refuses a corrupt file with a code', async () => {
    const path = join(await tempDir('el-wstore-'), 'w.json');
    const s = new FileWitnessStore(path);
    const root32 = (b: number) => new Uint8Array(32).fill(b);
    await Promise.all([1, 2, 3, 4].map((i) => s.set(`log-${i}`, { size: i, rootHash: root32(i) })));
    const again = await new FileWitnessStore(path).all();
    expect([...again.keys()].sort()).toEqual(['log-1', 'log-2', 'log-3', 'log-4']);
    expect(again.get('log-3')).toEqual({ size: 3, rootHash: root32(3) });
    await writeFile(
      path,
      '{"format":"enforcement-ledger/witness-state@1","logs":{"x":{"size":-1,"rootHash":""}}}',
    );
    await expect(new FileWitnessStore(path).get('x')).rejects.toBeInstanceOf(StorageError);
    await writeFile(path, 'not json');
    await expect(new FileWitnessStore(path).get('x')).rejects.toMatchObject({ code: 'STORAGE_CORRUPT' });
  });
});

describe('cosignature lines against the C2SP layout (independent check with node:crypto)', () => {
  it('key id = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[:4]; signature = u64 time ‖ Ed25519("cosignature/v1\\ntime <t>\\n" ‖ body)', async () => {
    const ledger = await makeLedger(2);
    const w = await fileWitness(4);
    const note = await ledger.checkpoint();
    const r = await witnessLedger(ledger, {
      witness: w,
      client: (req) => w.witness.addCheckpoint(req, logKeys(ledger), 1_700_000_123),
      signer: root,
    });
    const m = /^\u2014 (\S+) (\S+)$/.exec(r.line)!;
    expect(m[1]).toBe(w.name);
    const raw = Buffer.from(m[2]!, 'base64');
    expect(raw.length).toBe(4 + 8 + 64);
    const keyId = createHash('sha256')
      .update(Buffer.concat([Buffer.from(w.name), Buffer.from([0x0a, 0x04]), Buffer.from(w.publicKey)]))
      .digest()
      .subarray(0, 4);
    expect(raw.subarray(0, 4)).toEqual(keyId);
    expect(raw.readBigUInt64BE(4)).toBe(1_700_000_123n);
    const body = note.slice(0, note.indexOf('\n\n') + 1);
    const message = Buffer.from(`cosignature/v1\ntime 1700000123\n${body}`);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(w.publicKey)]);
    const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(nodeVerify(null, message, pub, raw.subarray(12))).toBe(true);
    // One changed byte of the body or the time and it no longer verifies.
    expect(
      nodeVerify(null, Buffer.from(`cosignature/v1\ntime 1700000124\n${body}`), pub, raw.subarray(12)),
    ).toBe(false);
    await ledger.close();
  });

  it('a tampered cosignature of a trusted witness is reported, an untrusted one ignored, duplicates counted once', async () => {
    const ledger = await makeLedger(1);
    const w1 = await fileWitness(5);
    const w2 = await fileWitness(6);
    await ledger.checkpoint();
    for (const w of [w1, w2])
      await witnessLedger(ledger, {
        witness: w,
        client: (req) => w.witness.addCheckpoint(req, logKeys(ledger), 1_700_000_000),
        signer: root,
      });
    const note = await cosignedCheckpoint(ledger);
    const policy = { witnesses: [w1, w2], quorum: 2 };
    expect(checkWitnessQuorum(note, policy, nodeSuite)).toMatchObject({ ok: true, invalid: [] });
    expect(checkWitnessQuorum(note, { witnesses: [w1, witnessKey(9)], quorum: 2 }, nodeSuite).ok).toBe(false);
    const lines = note.split('\n');
    const i = lines.findIndex((l) => l.includes(w2.name));
    const l = lines[i]!;
    const sig = Buffer.from(l.split(' ')[2]!, 'base64');
    sig[sig.length - 1]! ^= 1;
    lines[i] = `\u2014 ${w2.name} ${sig.toString('base64')}`;
    const bad = checkWitnessQuorum(lines.join('\n'), policy, nodeSuite);
    expect(bad).toMatchObject({ ok: false, invalid: [w2.name] });
    expect(bad.cosigners.map((c) => c.name)).toEqual([w1.name]);
    const dup = `${note}${note
      .split('\n')
      .filter((x) => x.includes(w1.name))
      .pop()}\n`;
    const dupResult = checkWitnessQuorum(dup, { witnesses: [w1, witnessKey(9)], quorum: 2 }, nodeSuite);
    expect(dupResult.ok).toBe(false);
    expect(dupResult.cosigners.map((c) => c.name)).toEqual([w1.name]);
    await ledger.close();
  });
});
