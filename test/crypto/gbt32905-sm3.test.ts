/** SM3 (GB/T 32905-2016) on both paths: the standard's examples, agreement on random inputs, `openssl dgst -sm3`. */

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { nodeSm3 } from '../../src/crypto/node-sm2';
import { portableSm3 } from '../../src/crypto/sm3';

const VECTORS = JSON.parse(
  readFileSync(join(import.meta.dirname, '../vectors/gm/gbt32905-sm3.json'), 'utf8'),
) as {
  vectors: { name: string; message: string; digest: string }[];
};
const IMPLS = { node: nodeSm3, portable: portableSm3 };

describe('SM3 (GB/T 32905-2016)', () => {
  for (const [name, sm3] of Object.entries(IMPLS)) {
    it(`gives the Appendix A digests (${name})`, () => {
      for (const v of VECTORS.vectors) expect(toHex(sm3(utf8(v.message))), v.name).toBe(v.digest);
    });
    it(`refuses non-bytes with a TypeError (${name})`, () => {
      expect(() => sm3('abc' as unknown as Uint8Array)).toThrow(TypeError);
    });
  }

  it('node:crypto (OpenSSL) offers sm3 on this Node', async () => {
    expect((await import('node:crypto')).getHashes()).toContain('sm3');
  });

  it('gives equal digests on both paths for random inputs, including subarray views and block edges', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(8), (bytes, cut) => {
        const view = bytes.subarray(Math.min(cut, bytes.length));
        expect(toHex(portableSm3(view))).toBe(toHex(nodeSm3(view)));
      }),
      { numRuns: 300 },
    );
    for (const n of [55, 56, 63, 64, 65, 119, 120, 128]) {
      const b = new Uint8Array(n).fill(0x61);
      expect(toHex(portableSm3(b)), `length ${n}`).toBe(toHex(nodeSm3(b)));
    }
  });

  it('agrees with `openssl dgst -sm3` on a 1 MiB input', () => {
    const data = new Uint8Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
    const r = spawnSync('openssl', ['dgst', '-sm3', '-r'], { input: data, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const digest = r.stdout.split(' ')[0];
    expect(toHex(nodeSm3(data))).toBe(digest);
    expect(toHex(portableSm3(data))).toBe(digest);
  });
});
