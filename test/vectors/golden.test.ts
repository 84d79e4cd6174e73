/**
 * Golden vectors of the v1 formats (docs/FORMAT.md): what the code writes today must equal the committed bytes, and
 * the committed bytes are checked with independent tools (cborg's decoder, node:crypto SHA-256, @noble Ed25519, a
 * recursive RFC 9162 MTH written here) so the documentation, the vectors and the code cannot drift together.
 */
import { createHash } from 'node:crypto';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import { decode as cborgDecode, encode as cborgEncode, rfc8949EncodeOptions } from 'cborg';
import { describe, expect, it } from 'vitest';
import golden from './golden/ledger-v1.json';
import { buildGolden } from './golden/build';

ed.hashes.sha512 = sha512;
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const unhex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const cat = (...xs: Uint8Array[]) => new Uint8Array(Buffer.concat(xs));

/** RFC 9162 §2.1.1, recursively, straight from the text. */
function mth(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return sha256(cat(Uint8Array.of(1), mth(leaves.slice(0, k)), mth(leaves.slice(k))));
}

describe('golden vectors, format v1', () => {
  it('the code writes exactly the committed bytes', async () => {
    expect(await buildGolden()).toEqual(golden);
  });

  it('entries decode (cborg) to the documented fields, chain, and verify (noble)', () => {
    let prev = new Uint8Array(32);
    golden.entries.forEach((g, seq) => {
      const signed = unhex(g.signed);
      const [entryBytes, sig] = cborgDecode(signed) as [Uint8Array, Uint8Array];
      const e = cborgDecode(entryBytes, { useMaps: false }) as Record<string, unknown>;
      expect(Object.keys(e).sort()).toEqual(['a', 'b', 'c', 'k', 'l', 'p', 's', 't', 'v']);
      expect(e.v).toBe(1);
      expect(e.s).toBe(seq);
      expect(e.k).toBe(g.kind);
      expect(hex(e.l as Uint8Array)).toBe(golden.ledgerId);
      expect(hex(e.p as Uint8Array)).toBe(hex(prev));
      const signerPub =
        seq < 2 || g.kind.startsWith('core/') ? golden.rootPublicKey : golden.officerPublicKey;
      expect(hex(e.a as Uint8Array)).toBe(hex(sha256(unhex(signerPub))));
      const msg = cat(new TextEncoder().encode('enforcement-ledger/entry/v1'), Uint8Array.of(0), entryBytes);
      expect(ed.verify(sig, msg, unhex(signerPub))).toBe(true);
      expect(g.leafHash).toBe(hex(sha256(cat(Uint8Array.of(0), signed))));
      prev = sha256(entryBytes);
    });
  });

  it('the ledger id is the hash of the manifest body', () => {
    const [entryBytes] = cborgDecode(unhex(golden.entries[0]!.signed)) as [Uint8Array];
    const e = cborgDecode(entryBytes, { useMaps: false }) as { b: unknown };
    // Re-encode the body with cborg's RFC 8949 deterministic options: an independent canonical encoder.
    expect(hex(sha256(cborgEncode(e.b, rfc8949EncodeOptions)))).toBe(golden.ledgerId);
  });

  it('roots are the RFC 9162 roots of the leaves at every size', () => {
    const leaves = golden.entries.map((e) => unhex(e.leafHash));
    golden.roots.forEach((r, i) => expect(r).toBe(hex(mth(leaves.slice(0, i + 1)))));
  });

  it('the checkpoint is a C2SP signed note over the documented body', () => {
    const size = golden.entries.length - 1; // the checkpoint entry itself comes after the size it signs
    const [body, sigLine] = golden.checkpoint.split('\n\n') as [string, string];
    expect(body).toBe(
      `golden.example/ledger\n${size}\n${Buffer.from(unhex(golden.roots[size - 1]!)).toString('base64')}`,
    );
    const m = /^\u2014 (\S+) (\S+)\n$/.exec(sigLine);
    expect(m?.[1]).toBe('golden.example/ledger');
    const raw = new Uint8Array(Buffer.from(m![2]!, 'base64'));
    const keyId = sha256(
      cat(new TextEncoder().encode('golden.example/ledger\n'), Uint8Array.of(1), unhex(golden.rootPublicKey)),
    ).slice(0, 4);
    expect(hex(raw.slice(0, 4))).toBe(hex(keyId));
    expect(ed.verify(raw.slice(4), new TextEncoder().encode(`${body}\n`), unhex(golden.rootPublicKey))).toBe(
      true,
    );
  });
});
