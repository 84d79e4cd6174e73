/**
 * Checkpoints and cosignatures under both suites. Ed25519 keeps the assigned signature types (0x01, 0x04) and so
 * the Go/C2SP key ids; sm2-sm3 uses the signed-note spec's 0xff provision. An SM2 note signature is a plain SM2
 * signature (GM/T 0009 default id) over the note text, so OpenSSL verifies it from the note and the public key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromBase64, toHex, utf8 } from '../../src/bytes';
import {
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  cosign,
  formatVerifierKey,
  noteKey,
  noteKeyId,
  parseNote,
  parseVerifierKey,
  signCheckpoint,
  verifyCheckpoint,
} from '../../src/checkpoint';
import { suiteById } from '../../src/crypto/node-registry';
import { sm2SignatureToDer } from '../../src/crypto/sm2-keys';

const dir = mkdtempSync(join(tmpdir(), 'el-sm2note-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sm2 = suiteById('sm2-sm3');
const ed = suiteById('ed25519-sha256');
const CP = { origin: 'jincheng.example/ledger', size: 5, rootHash: sm2.hash(utf8('root')) };

describe('signed notes under sm2-sm3', () => {
  it('signs a checkpoint with a 0xff-typed key and verifies it with the sm2-sm3 suite only', async () => {
    const log = sm2.createSigner(sm2.generatePrivateKey());
    const note = await signCheckpoint(CP, CP.origin, log);
    const v = verifyCheckpoint(note, [{ name: CP.origin, publicKey: log.publicKey }], sm2);
    expect(v.checkpoint.size).toBe(5);
    expect(v.signers[0]!.suite).toBe('sm2-sm3');
    // The key id covers 0xff ‖ identifier, not Ed25519's 0x01.
    const sig = parseNote(note).signatures[0]!;
    expect(sig.keyId).toBe(noteKeyId(CP.origin, log.publicKey, SIG_ED25519, 'sm2-sm3'));
    expect(sig.keyId).not.toBe(noteKeyId(CP.origin, log.publicKey.subarray(0, 32), SIG_ED25519));
    // A changed body fails.
    const forged = note.replace('\n5\n', '\n6\n');
    expect(() => verifyCheckpoint(forged, [{ name: CP.origin, publicKey: log.publicKey }], sm2)).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_NOTE' }),
    );
    // An sm2 key handed to the Ed25519 verifier is refused as a key, not mis-verified.
    expect(() => verifyCheckpoint(note, [{ name: CP.origin, publicKey: log.publicKey }], ed)).toThrow(
      RangeError,
    );
  });

  it('OpenSSL verifies the SM2 signature of a note over its text (distid 1234567812345678)', async () => {
    const log = sm2.createSigner(sm2.generatePrivateKey());
    const note = await signCheckpoint(CP, CP.origin, log);
    const parsed = parseNote(note);
    const textPath = join(dir, 'note-text');
    writeFileSync(textPath, utf8(parsed.text));
    const sigPath = join(dir, 'note-sig');
    writeFileSync(sigPath, sm2SignatureToDer(parsed.signatures[0]!.signature));
    const pubPath = join(dir, 'log.pub.pem');
    writeFileSync(pubPath, sm2.publicKeyToPem(log.publicKey));
    const r = spawnSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        pubPath,
        '-rawin',
        '-digest',
        'sm3',
        '-in',
        textPath,
        '-sigfile',
        sigPath,
        '-pkeyopt',
        'distid:1234567812345678',
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout).toMatch(/Signature Verified Successfully/);
  });

  it('round-trips verifier keys of both suites and roles, with the type bytes of each', () => {
    for (const suite of [ed, sm2])
      for (const type of [SIG_ED25519, SIG_COSIGNATURE_V1] as const) {
        const pub = suite.publicKeyFromPrivateKey(suite.generatePrivateKey());
        const key = noteKey('w.example/k', pub, type, suite.id);
        const vkey = formatVerifierKey(key);
        const back = parseVerifierKey(vkey);
        expect([back.suite, back.type, back.keyId, toHex(back.publicKey)]).toEqual([
          suite.id,
          type,
          key.keyId,
          toHex(pub),
        ]);
        const raw = fromBase64(vkey.split('+').slice(2).join('+'));
        const typeHex = type === SIG_ED25519 ? suite.noteSignatureType : suite.cosignatureType;
        expect(toHex(raw.subarray(0, typeHex.length / 2))).toBe(typeHex);
      }
    expect(
      toHex(
        fromBase64(
          formatVerifierKey(noteKey('a', ed.publicKeyFromPrivateKey(ed.generatePrivateKey())))
            .split('+')
            .slice(2)
            .join('+'),
        ),
      ).slice(0, 2),
    ).toBe('01');
  });

  it('cosigns with an SM2 witness key and reports the cosignature', async () => {
    const log = sm2.createSigner(sm2.generatePrivateKey());
    const witness = sm2.createSigner(sm2.generatePrivateKey());
    const note = await signCheckpoint(CP, CP.origin, log);
    const body = parseNote(note).text;
    const line = await cosign(body, 'witness.example/w1', witness, 1_780_000_000);
    const v = verifyCheckpoint(`${note}${line}`, [{ name: CP.origin, publicKey: log.publicKey }], sm2, [
      { name: 'witness.example/w1', publicKey: witness.publicKey },
    ]);
    expect(v.cosigners.map((c) => c.timestamp)).toEqual([1_780_000_000]);
  });
});
