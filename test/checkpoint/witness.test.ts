/** c2sp.org/tlog-witness add-checkpoint: state machine, refusals with evidence, request text shapes. */
import { describe, expect, it } from 'vitest';
import {
  type AddCheckpointRequest,
  formatAddCheckpointRequest,
  noteKey,
  parseAddCheckpointRequest,
  parseNote,
  verifyCheckpoint,
  Witness,
  type WitnessState,
} from '../../src/checkpoint';
import { PolicyError } from '../../src/errors';
import { hex, makeSignedLog, signerFromSeed, suite, vectors } from './helpers';

const ORIGIN = 'ledger.example/witnessed';
const logSigner = signerFromSeed(hex('11'.repeat(32)));
const logKey = noteKey(ORIGIN, logSigner.publicKey);
const wSigner = signerFromSeed(hex('22'.repeat(32)));
const wKey = noteKey('witness.example/w', wSigner.publicKey, 0x04);

/** A log of ORIGIN signed by logSigner. */
const makeLog = (prefix: string) => makeSignedLog(ORIGIN, logSigner, prefix);

function memoryStore() {
  const map = new Map<string, WitnessState>();
  return {
    map,
    get: async (o: string) => map.get(o),
    set: async (o: string, s: WitnessState) => void map.set(o, s),
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

describe('Witness', () => {
  it('cosigns a growing log, each cosignature verifies, and the state follows', async () => {
    const log = makeLog('a');
    const store = memoryStore();
    const w = new Witness({ name: wKey.name, signer: wSigner, suite, store });
    let old = 0;
    for (const [grow, t] of [
      [5, 100],
      [0, 101],
      [3, 102],
      [120, 103],
    ] as const) {
      log.append(grow);
      const size = old + grow;
      const note = await log.note(size);
      const req = { oldSize: old, consistencyProof: log.proof(old, size), checkpointNote: note };
      // Through the wire format and back.
      const line = await w.addCheckpoint(
        parseAddCheckpointRequest(formatAddCheckpointRequest(req)),
        [logKey],
        t,
      );
      const v = verifyCheckpoint(note + line, [logKey], suite, [wKey]);
      expect(v.cosigners.map((c) => c.timestamp)).toEqual([t]);
      expect(store.map.get(ORIGIN)?.size).toBe(size);
      old = size;
    }
  });

  it('refuses a stale or unknown old size with 409 and the size body', async () => {
    const log = makeLog('b');
    log.append(10);
    const w = new Witness({ name: wKey.name, signer: wSigner, suite, store: memoryStore() });
    await w.addCheckpoint(
      { oldSize: 0, consistencyProof: [], checkpointNote: await log.note(4) },
      [logKey],
      1,
    );
    log.append(0);
    const e = await refusal(
      w.addCheckpoint({ oldSize: 0, consistencyProof: [], checkpointNote: await log.note(10) }, [logKey], 2),
    );
    expect(e.code).toBe('WITNESS_OLD_SIZE_MISMATCH');
    expect(e.details).toMatchObject({ status: 409, size: 4, body: '4\n' });
  });

  it('detects a fork (same size, other root) and returns both signed checkpoints', async () => {
    const honest = makeLog('c');
    const forked = makeLog('x');
    honest.append(8);
    forked.append(8);
    const w = new Witness({ name: wKey.name, signer: wSigner, suite, store: memoryStore() });
    const first = await honest.note(8);
    await w.addCheckpoint({ oldSize: 0, consistencyProof: [], checkpointNote: first }, [logKey], 1);
    const second = await forked.note(8);
    const e = await refusal(
      w.addCheckpoint({ oldSize: 8, consistencyProof: [], checkpointNote: second }, [logKey], 2),
    );
    expect(e.code).toBe('WITNESS_FORK');
    expect(e.details).toMatchObject({ status: 409, previous: first, submitted: second });
    // Both pieces of evidence verify under the log key and name the same size with different roots.
    const a = verifyCheckpoint(e.details!.previous as string, [logKey], suite).checkpoint;
    const b = verifyCheckpoint(e.details!.submitted as string, [logKey], suite).checkpoint;
    expect(a.size).toBe(b.size);
    expect(a.rootHash).not.toEqual(b.rootHash);
  });

  it('refuses an inconsistent extension (422) and a truncation (400), keeping its state', async () => {
    const honest = makeLog('d');
    const forked = makeLog('y');
    honest.append(20);
    forked.append(30);
    const store = memoryStore();
    const w = new Witness({ name: wKey.name, signer: wSigner, suite, store });
    await w.addCheckpoint(
      { oldSize: 0, consistencyProof: [], checkpointNote: await honest.note(20) },
      [logKey],
      1,
    );
    const e = await refusal(
      w.addCheckpoint(
        { oldSize: 20, consistencyProof: forked.proof(20, 30), checkpointNote: await forked.note(30) },
        [logKey],
        2,
      ),
    );
    expect(e.code).toBe('WITNESS_BAD_PROOF');
    expect(e.details).toMatchObject({ status: 422 });
    const t = await refusal(
      w.addCheckpoint(
        { oldSize: 20, consistencyProof: [], checkpointNote: await honest.note(12) },
        [logKey],
        3,
      ),
    );
    expect(t.code).toBe('WITNESS_TRUNCATION');
    expect(t.details).toMatchObject({ status: 400 });
    expect(store.map.get(ORIGIN)?.size).toBe(20);
  });

  it('refuses notes not signed by the log key (403) and malformed proofs', async () => {
    const log = makeLog('e');
    log.append(6);
    const w = new Witness({ name: wKey.name, signer: wSigner, suite, store: memoryStore() });
    const other = noteKey(ORIGIN, wSigner.publicKey);
    const e = await refusal(
      w.addCheckpoint({ oldSize: 0, consistencyProof: [], checkpointNote: await log.note(6) }, [other], 1),
    );
    expect(e.code).toBe('WITNESS_UNVERIFIED');
    expect(e.details).toMatchObject({ status: 403 });
    const f = await refusal(
      w.addCheckpoint(
        { oldSize: 0, consistencyProof: [new Uint8Array(32)], checkpointNote: await log.note(6) },
        [logKey],
        1,
      ),
    );
    expect(f.details).toMatchObject({ status: 400 });
  });

  it('serialises concurrent requests per origin: one of two racing requests from the same old size loses', async () => {
    const log = makeLog('f');
    log.append(9);
    const w = new Witness({ name: wKey.name, signer: wSigner, suite, store: memoryStore() });
    const reqs: AddCheckpointRequest[] = [
      { oldSize: 0, consistencyProof: [], checkpointNote: await log.note(9) },
      { oldSize: 0, consistencyProof: [], checkpointNote: await log.note(5) },
    ];
    const results = await Promise.allSettled(reqs.map((r) => w.addCheckpoint(r, [logKey], 1)));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});

describe('add-checkpoint request text', () => {
  it('parses the tlog-witness spec example', () => {
    const body: string = vectors('c2sp-spec-examples.json').addCheckpointRequest;
    const req = parseAddCheckpointRequest(body);
    expect(req.oldSize).toBe(20852014);
    expect(req.consistencyProof).toHaveLength(4);
    expect(parseNote(req.checkpointNote).signatures).toHaveLength(2);
    expect(formatAddCheckpointRequest(req)).toBe(body);
  });

  it('rejects malformed requests', () => {
    const note = 'o\n1\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— o AAAAAAA=\n';
    const h = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
    for (const body of [
      `old 1\n${note}`, // no empty line: the checkpoint lines read as bad proof lines
      `old 01\n\n${note}`,
      `old -1\n\n${note}`,
      `old  1\n\n${note}`,
      `Old 1\n\n${note}`,
      `old 1\n${h.slice(0, -1)}\n\n${note}`,
      `old 1\nAAAA\n\n${note}`,
      `old 1\n${`${h}\n`.repeat(64)}\n${note}`,
    ])
      expect(() => parseAddCheckpointRequest(body)).toThrow(PolicyError);
  });
});
