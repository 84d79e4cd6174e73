/** c2sp.org/tlog-checkpoint and tlog-cosignature/v1 against an independent Python/OpenSSL implementation. */
import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesEqual, toHex, utf8 } from '../../src/bytes';
import {
  cosign,
  cosignatureMessage,
  cosignatureTimestamp,
  formatCheckpoint,
  noteKey,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  signCheckpoint,
  verifyCheckpoint,
  verifyCosignature,
} from '../../src/checkpoint';
import { CryptoError } from '../../src/errors';
import { b64, hex, signerFromSeed, suite, vectors } from './helpers';

const py = vectors('python-cryptography.json');
const spec = vectors('c2sp-spec-examples.json');
const fmt = vectors('transparency-dev-formats.json');
const logKey = parseVerifierKey(py.log.vkey);
const witnessKey = parseVerifierKey(py.witness.vkey);

function code(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return err instanceof CryptoError ? err.code : (err as Error).name;
  }
  return 'no throw';
}

describe('tlog-checkpoint', () => {
  const cp = { origin: py.checkpoint.origin, size: py.checkpoint.size, rootHash: hex(py.checkpoint.rootHex) };

  it('formats and parses the body exactly', () => {
    expect(formatCheckpoint(cp)).toBe(py.checkpoint.body);
    expect(parseCheckpoint(py.checkpoint.body)).toEqual(cp);
    const withExt = { ...cp, extensions: ['ext one', 'two'] };
    expect(parseCheckpoint(formatCheckpoint(withExt))).toEqual(withExt);
    expect(parseCheckpoint(formatCheckpoint({ ...cp, size: 0 })).size).toBe(0);
    expect(parseCheckpoint(formatCheckpoint({ ...cp, size: Number.MAX_SAFE_INTEGER })).size).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    const specBody = parseNote(spec.checkpointNote).text;
    expect(parseCheckpoint(specBody)).toMatchObject({
      origin: 'example.com/behind-the-sofa',
      size: 20852163,
    });
  });

  it('signCheckpoint reproduces the independent signature; verifyCheckpoint accepts it', async () => {
    const signer = signerFromSeed(hex(py.log.seed));
    expect(await signCheckpoint(cp, py.log.name, signer)).toBe(py.note);
    const v = verifyCheckpoint(py.note, [logKey], suite);
    expect(v.checkpoint).toEqual(cp);
    expect(v.body).toBe(py.checkpoint.body);
    expect(v.signers.map((k) => k.name)).toEqual([py.log.name]);
    expect(v.cosigners).toEqual([]);
    // A plain { name, publicKey } is a log key.
    expect(
      verifyCheckpoint(py.note, [{ name: py.log.name, publicKey: hex(py.log.publicKey) }], suite).signers,
    ).toHaveLength(1);
  });

  it('rejects malformed bodies', () => {
    const root = 'SBNJTRN+FjG7owHVrKtue7eqdM4RhdRWVl71HXN2d7I=';
    const bad = [
      `o\n1\n${root}`, // no final newline
      `o\n1\n`,
      `\n1\n${root}\n`, // empty origin
      `o\n01\n${root}\n`, // leading zero
      `o\n00\n${root}\n`,
      `o\n+1\n${root}\n`,
      `o\n-1\n${root}\n`,
      `o\n1 \n${root}\n`, // extra space
      `o\n 1\n${root}\n`,
      `o\n1.0\n${root}\n`,
      `o\n1e3\n${root}\n`,
      `o\n9007199254740992\n${root}\n`, // 2^53
      `o\n1\n${root.replace('7I=', '7J=')}\n`, // non-canonical base64
      `o\n1\n${root.slice(0, -1)}\n`, // missing padding
      `o\n1\n${root} \n`,
      `o\n1\nAAAA\n`, // 3-byte root
      `o\n1\n${root}\n\n`, // empty extension line
    ];
    for (const body of bad) expect(code(() => parseCheckpoint(body))).toBe('CRYPTO_BAD_NOTE');
    expect(() => formatCheckpoint({ ...cp, origin: 'a\nb' })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...cp, size: -1 })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...cp, rootHash: new Uint8Array(31) })).toThrow(RangeError);
    expect(() => formatCheckpoint({ ...cp, extensions: [''] })).toThrow(RangeError);
  });

  it('verifyCheckpoint: tampered, unsigned, wrongly keyed or malformed notes fail with CRYPTO_BAD_NOTE', async () => {
    const note: string = py.note;
    const otherLog = noteKey(py.log.name, hex(py.witness.publicKey));
    const cases = [
      note.replace('1234567', '1234568'), // size
      note.replace('SBNJ', 'SBNK'), // root
      note.replace('ledger.example/vectors\n', 'ledger.example/vectorz\n'), // origin
      note.replace('\n\n', '\n'), // missing blank line
    ];
    for (const c of cases) expect(code(() => verifyCheckpoint(c, [logKey], suite))).toBe('CRYPTO_BAD_NOTE');
    expect(code(() => verifyCheckpoint(note, [otherLog], suite))).toBe('CRYPTO_BAD_NOTE');
    expect(code(() => verifyCheckpoint(note, [], suite))).toBe('CRYPTO_BAD_NOTE');
    // Signed by the right key over a body that is not a checkpoint.
    const signer = signerFromSeed(hex(py.log.seed));
    const { signNote } = await import('../../src/checkpoint');
    const notCp = await signNote('hello\nworld\n', py.log.name, signer);
    expect(code(() => verifyCheckpoint(notCp, [logKey], suite))).toBe('CRYPTO_BAD_NOTE');
    // A cosignature alone is not a log signature.
    const onlyCosig = `${py.checkpoint.body}\n${py.cosignature.line}`;
    expect(code(() => verifyCheckpoint(onlyCosig, [logKey], suite, [witnessKey]))).toBe('CRYPTO_BAD_NOTE');
  });
});

describe('tlog-cosignature/v1', () => {
  it('key ids use type 0x04', () => {
    expect(witnessKey.type).toBe(SIG_COSIGNATURE_V1);
    expect(noteKey(py.witness.name, hex(py.witness.publicKey), 0x04).keyId).toBe(witnessKey.keyId);
    expect(noteKey(py.witness.name, hex(py.witness.publicKey), 0x01).keyId).not.toBe(witnessKey.keyId);
  });

  it('the signed message is the spec example byte for byte', () => {
    const body = parseNote(spec.checkpointNote).text;
    expect(cosignatureMessage(body, spec.cosignatureTime)).toEqual(utf8(spec.cosignatureMessage));
    expect(cosignatureMessage(py.checkpoint.body, py.cosignature.time)).toEqual(utf8(py.cosignature.message));
  });

  it('timestamps decode from the spec example and transparency-dev vectors', () => {
    const sig = parseNote(spec.checkpointNote).signatures[1]!;
    expect(cosignatureTimestamp(sig.signature)).toBe(spec.cosignatureTime);
    for (const t of fmt.cosignatureTimestamps) {
      const raw = b64(t.base64).subarray(4);
      if (t.time === null) expect(code(() => cosignatureTimestamp(raw))).toBe('CRYPTO_BAD_NOTE');
      else expect(cosignatureTimestamp(raw)).toBe(t.time);
    }
    const huge = new Uint8Array(72).fill(0xff);
    expect(code(() => cosignatureTimestamp(huge))).toBe('CRYPTO_BAD_NOTE');
  });

  it('cosign reproduces the independent cosignature; verification reports the witness and time', async () => {
    const w = signerFromSeed(hex(py.witness.seed));
    expect(await cosign(py.checkpoint.body, py.witness.name, w, py.cosignature.time)).toBe(
      py.cosignature.line,
    );
    const v = verifyCheckpoint(py.cosignedNote, [logKey], suite, [witnessKey]);
    expect(v.signers.map((k) => k.name)).toEqual([py.log.name]);
    expect(v.cosigners.map((c) => [c.key.name, c.timestamp])).toEqual([
      [py.witness.name, py.cosignature.time],
    ]);
    // Unknown witness: ignored.
    expect(verifyCheckpoint(py.cosignedNote, [logKey], suite).cosigners).toEqual([]);
  });

  it('cosignatures made with node:crypto over the spec message verify; mutations fail', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const pub = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
    const key = noteKey('w.example/node', pub, 0x04);
    const body: string = py.checkpoint.body;
    const t = 1_700_000_000;
    const sig = new Uint8Array(nodeSign(null, utf8(`cosignature/v1\ntime ${t}\n${body}`), privateKey));
    const ts = new Uint8Array(8);
    new DataView(ts.buffer).setBigUint64(0, BigInt(t));
    const good = { name: key.name, keyId: key.keyId, signature: new Uint8Array([...ts, ...sig]) };
    expect(verifyCosignature(body, good, key, suite)).toBe(t);
    // Another time, another body, a flipped signature bit: no.
    const ts2 = ts.slice();
    ts2[7]! ^= 1;
    expect(
      verifyCosignature(body, { ...good, signature: new Uint8Array([...ts2, ...sig]) }, key, suite),
    ).toBe(undefined);
    expect(verifyCosignature(body.replace('1234567', '1234568'), good, key, suite)).toBe(undefined);
    const flipped = good.signature.slice();
    flipped[40]! ^= 0x10;
    expect(verifyCosignature(body, { ...good, signature: flipped }, key, suite)).toBe(undefined);
    // A plain Ed25519 signature over the body is not a cosignature.
    const plain = new Uint8Array(nodeSign(null, utf8(body), privateKey));
    expect(
      verifyCosignature(body, { ...good, signature: new Uint8Array([...ts, ...plain]) }, key, suite),
    ).toBe(undefined);
    expect(code(() => verifyCosignature(body, { ...good, signature: sig }, key, suite))).toBe(
      'CRYPTO_BAD_NOTE',
    );
  });

  it('a bad cosignature by a known witness rejects the note', () => {
    const line: string = py.cosignature.line;
    const i = line.length - 10;
    const bad = line.slice(0, i) + (line[i] === 'A' ? 'B' : 'A') + line.slice(i + 1);
    const note = py.note + bad;
    expect(code(() => verifyCheckpoint(note, [logKey], suite, [witnessKey]))).toBe('CRYPTO_BAD_NOTE');
    expect(verifyCheckpoint(note, [logKey], suite).signers).toHaveLength(1); // unknown witness: ignored
  });

  it('refuses bad cosign input', async () => {
    const w = signerFromSeed(hex(py.witness.seed));
    await expect(cosign('not a checkpoint\n', 'w', w, 1)).rejects.toThrow(RangeError);
    await expect(cosign(py.checkpoint.body, 'w', w, -1)).rejects.toThrow(RangeError);
    await expect(cosign(py.checkpoint.body, 'w w', w, 1)).rejects.toThrow(RangeError);
    expect(bytesEqual(hex(py.witness.publicKey), w.publicKey)).toBe(true);
    expect(toHex(w.publicKey)).toBe(py.witness.publicKey);
  });
});
