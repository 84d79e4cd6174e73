/** c2sp.org/signed-note against golang.org/x/mod/sumdb/note vectors, plus strict-parsing negatives. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toBase64, utf8 } from '../../src/bytes';
import {
  formatNote,
  formatVerifierKey,
  keyIdHex,
  noteKey,
  noteKeyId,
  noteSignatureLines,
  noteText,
  parseNote,
  parseVerifierKey,
  signNote,
  verifyNote,
} from '../../src/checkpoint';
import { CryptoError } from '../../src/errors';
import { goSkeySeed, signerFromSeed, suite, vectors } from './helpers';

const go = vectors('go-sumdb-note.json');
const fmt = vectors('transparency-dev-formats.json');
const peter = parseVerifierKey(go.peter.vkey);
const enoch = parseVerifierKey(go.enoch.vkey);
const { text } = go;

function noteCode(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return err instanceof CryptoError ? err.code : (err as Error).name;
  }
  return 'no throw';
}

describe('verifier keys', () => {
  it('parse and re-format the Go and transparency-dev keys; key ids match (types 0x01 and 0x04)', () => {
    for (const vkey of [go.peter.vkey, go.enoch.vkey, ...fmt.goodVkeys]) {
      const key = parseVerifierKey(vkey);
      expect(formatVerifierKey(key)).toBe(vkey);
      expect(noteKeyId(key.name, key.publicKey, key.type)).toBe(key.keyId);
    }
    expect(peter.keyId).toBe(0xc74f20a3);
    expect(parseVerifierKey(fmt.goodVkeys[1]).type).toBe(0x04);
    expect(keyIdHex(0x0000abcd)).toBe('0000abcd');
  });

  it('refuses every proper substring and every single-character change of a vkey (as Go does)', () => {
    const v: string = go.peter.vkey;
    for (let i = 0; i <= v.length; i++)
      for (let j = i + 1; j <= v.length; j++)
        if (i !== 0 || j !== v.length) expect(() => parseVerifierKey(v.slice(i, j))).toThrow(RangeError);
    for (let i = 0; i < v.length; i++) {
      const changed = v.slice(0, i) + String.fromCharCode(v.charCodeAt(i) + 1) + v.slice(i + 1);
      expect(() => parseVerifierKey(changed)).toThrow(RangeError);
    }
    for (const bad of [...go.badVkeys, ...fmt.badVkeys])
      expect(() => parseVerifierKey(bad)).toThrow(RangeError);
    expect(() => parseVerifierKey(go.peter.vkey.replace('c74f20a3', 'C74F20A3'))).toThrow(RangeError);
  });

  it('key names: no spaces, plus or newlines', () => {
    const pub = peter.publicKey;
    for (const name of ['', 'a b', 'a+b', 'a\nb', 'a\u00a0b', 'a\u2003b', 'a\tb'])
      expect(() => noteKey(name, pub)).toThrow(RangeError);
    expect(noteKey('example.com/log-1', pub).name).toBe('example.com/log-1');
  });
});

describe('signed notes (golang.org/x/mod/sumdb/note vectors)', () => {
  it('signNote reproduces the Go signature byte for byte', async () => {
    const signer = signerFromSeed(goSkeySeed(go.peter.skey));
    expect(toBase64(signer.publicKey)).toBe(toBase64(peter.publicKey));
    expect(await signNote(text, 'PeterNeumann', signer)).toBe(go.signed);
  });

  it('verifies one known signature and ignores the unknown one', () => {
    const msg = `${text}\n${go.peter.sigLine}${go.enoch.sigLine}`;
    const n = verifyNote(msg, [peter], suite);
    expect(n.text).toBe(text);
    expect(n.verified.map((v) => v.key.name)).toEqual(['PeterNeumann']);
    expect(n.signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(verifyNote(msg, [peter, enoch], suite).verified.map((v) => v.key.name)).toEqual([
      'PeterNeumann',
      'EnochRoot',
    ]);
    // NoteKeyInput: name + publicKey is enough (type 0x01 by default).
    expect(verifyNote(msg, [{ name: 'EnochRoot', publicKey: enoch.publicKey }], suite).verified).toHaveLength(
      1,
    );
  });

  it('requires a known valid signature; a bad known signature rejects the note', () => {
    const msg = `${text}\n${go.peter.sigLine}${go.enoch.sigLine}`;
    expect(noteCode(() => verifyNote(msg, [], suite))).toBe('CRYPTO_BAD_NOTE');
    const forged = go.peter.sigLine.slice(0, 60) + 'ABCD' + go.peter.sigLine.slice(60);
    expect(noteCode(() => verifyNote(`${text}\n${forged}`, [peter], suite))).toBe('CRYPTO_BAD_NOTE');
    // The forged line is from an unknown key when only Enoch is trusted: ignored.
    expect(verifyNote(`${text}\n${forged}${go.enoch.sigLine}`, [enoch], suite).verified).toHaveLength(1);
    // Same name, other key id; same key id, other name: unknown keys, ignored.
    const misnamed = go.peter.sigLine.replace('PeterNeumann', 'CarmenSandiego');
    expect(noteCode(() => verifyNote(`${text}\n${misnamed}`, [peter], suite))).toBe('CRYPTO_BAD_NOTE');
    const otherKey = noteKey('PeterNeumann', enoch.publicKey);
    expect(noteCode(() => verifyNote(go.signed, [otherKey], suite))).toBe('CRYPTO_BAD_NOTE');
  });

  it('flipping any byte of the text or any bit of the signature fails', () => {
    const sig = parseNote(go.signed).signatures[0]!;
    for (let i = 0; i < text.length - 1; i++) {
      if (text[i] === '\n') continue;
      const changed = text.slice(0, i) + (text[i] === 'x' ? 'y' : 'x') + text.slice(i + 1);
      expect(noteCode(() => verifyNote(`${changed}\n${go.peter.sigLine}`, [peter], suite))).toBe(
        'CRYPTO_BAD_NOTE',
      );
    }
    for (let bit = 0; bit < sig.signature.length * 8; bit += 7) {
      const s = sig.signature.slice();
      s[bit >> 3]! ^= 1 << (bit & 7);
      const note = formatNote({ text, signatures: [{ ...sig, signature: s }] });
      expect(noteCode(() => verifyNote(note, [peter], suite))).toBe('CRYPTO_BAD_NOTE');
    }
  });

  it('parseNote rejects the malformed notes of the Go tests and more', () => {
    const line = go.peter.sigLine as string;
    const bad = [
      text,
      `${text}\n`,
      `${text}\n${line.slice(0, -1)}`,
      `\u0001${text}\n${line}`,
      `${text}\n\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
      `${text}\n${line}Unexpected line.\n`,
      `${text}\n${line.repeat(101)}`,
      `${text}${line}`, // missing blank line
      `${text}\n${line.replace('\u2014', '-')}`, // hyphen, not em dash
      `${text}\n${line.replace('\u2014', '\u2013')}`, // en dash
      `${text}\n${line.replace('\u2014 ', '\u2014  ')}`, // extra space before name
      `${text}\n${line.replace('Neumann ', 'Neumann  ')}`, // extra space before signature
      `${text}\n${line.replace('\n', ' \n')}`, // trailing space
      `${text}\n${line.replace('AM=', 'AN=')}`, // non-canonical base64 (trailing bits)
      `${text}\n${line.replace('=\n', '\n')}`, // missing padding
      `${text}\n\u2014 PeterNeumann AAAA\n`, // shorter than key id + 1 byte
      `${text}\r\n${line}`,
      `${text.slice(0, -1)}\n\n${line}\n`, // blank line after the signatures
      `a\ud800b\n\n${line}`, // lone surrogate
    ];
    for (const msg of bad) expect(noteCode(() => parseNote(msg))).toBe('CRYPTO_BAD_NOTE');
    expect(noteCode(() => parseNote(new Uint8Array([0xff, 0x0a, 0x0a])))).toBe('CRYPTO_BAD_NOTE');
    expect(parseNote(utf8(go.signed)).text).toBe(text);
    // The text may itself contain blank lines: the last one separates the signatures.
    const poem = vectors('c2sp-spec-examples.json').signedNoteExample as string;
    const n = parseNote(poem);
    expect(n.text.endsWith('ed è subito sera.\n')).toBe(true);
    expect(n.text.includes('\n\n')).toBe(true);
    expect(n.signatures[0]!.name).toBe('quasimodo.example/salvatore');
    // noteText / noteSignatureLines split by the same rule (the first blank line would cut the poem short).
    expect(noteText(poem)).toBe(n.text);
    expect(noteText(poem).length).toBeGreaterThan(poem.indexOf('\n\n') + 1);
    expect(
      noteSignatureLines(poem)
        .map((l) => `${l}\n`)
        .join(''),
    ).toBe(poem.slice(n.text.length + 1));
    for (const msg of bad) expect(noteCode(() => noteText(msg))).toBe('CRYPTO_BAD_NOTE');
  });

  it('duplicate signature lines of a known key verify once', () => {
    const n = verifyNote(
      `${text}\n${go.peter.sigLine}${go.peter.sigLine}${go.enoch.sigLine}`,
      [peter],
      suite,
    );
    expect(n.verified).toHaveLength(1);
  });

  it('two different trusted keys with one name and key id are ambiguous', () => {
    // SHA-256("k44948") and SHA-256("k98033") as keys named PeterNeumann share key id 960d9fda (birthday search).
    const a = noteKey('PeterNeumann', new Uint8Array(createHash('sha256').update('k44948').digest()));
    const b = noteKey('PeterNeumann', new Uint8Array(createHash('sha256').update('k98033').digest()));
    expect(a.keyId).toBe(0x960d9fda);
    expect(b.keyId).toBe(a.keyId);
    const note = formatNote({
      text,
      signatures: [{ name: 'PeterNeumann', keyId: a.keyId, signature: new Uint8Array(64) }],
    });
    expect(() => verifyNote(note, [a, b], suite)).toThrow(/ambiguous/);
    expect(noteCode(() => verifyNote(note, [a, b], suite))).toBe('CRYPTO_BAD_NOTE');
    // A key whose stated keyId is not its own is refused outright.
    expect(() => verifyNote(go.signed, [{ ...b, keyId: peter.keyId }], suite)).toThrow(RangeError);
  });

  it('formatNote refuses malformed input; signNote refuses bad text and names', async () => {
    const sig = parseNote(go.signed).signatures[0]!;
    expect(() => formatNote({ text: 'abc', signatures: [sig] })).toThrow(CryptoError);
    expect(() => formatNote({ text, signatures: [] })).toThrow(RangeError);
    expect(() => formatNote({ text, signatures: [{ ...sig, name: 'a+b' }] })).toThrow(RangeError);
    const signer = signerFromSeed(goSkeySeed(go.peter.skey));
    await expect(signNote('abc', 'PeterNeumann', signer)).rejects.toThrow(CryptoError);
    await expect(signNote(text, 'bad name', signer)).rejects.toThrow(RangeError);
    const failing = { ...signer, sign: async () => new Uint8Array(10) };
    await expect(signNote(text, 'PeterNeumann', failing)).rejects.toMatchObject({
      code: 'CRYPTO_SIGNER_FAILED',
    });
  });
});
