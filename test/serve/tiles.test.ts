/**
 * The C2SP tlog-tiles read API: tile paths (3-digit groups, x prefixes, partial widths) both ways, and the tiles of a
 * 600-entry log reproduce its root: level-0 tiles give every leaf hash (checked against the entry bundles' bytes),
 * the level-1 partial tile gives the 256-leaf subtree roots, and the root recomputed from them is the checkpoint's.
 */
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../src/checkpoint';
import { nodeSuite } from '../../src/crypto/node';
import type { Ledger } from '../../src/ledger';
import { hashChildren, hashLeaf, rootFromLeafHashes } from '../../src/merkle';
import { type ServeApp, createApp, parseTilePath, tilePath } from '../../src/serve';
import { noteBody, noteLedger, testSigner } from '../ledger/helpers';
import { publicReadServing } from './helpers';

describe('tile paths', () => {
  it.each([
    ['0/000', { level: 0, index: 0, width: 256 }],
    ['0/067', { level: 0, index: 67, width: 256 }],
    ['1/x001/x234/067', { level: 1, index: 1234067, width: 256 }],
    ['2/x001/000.p/17', { level: 2, index: 1000, width: 17 }],
    ['entries/005.p/255', { level: 'entries', index: 5, width: 255 }],
  ])('reads %s', (path, tile) => {
    expect(parseTilePath(path)).toEqual(tile);
    expect(tilePath(tile as never)).toBe(path);
  });

  it.each([
    '0/1',
    '0/0001',
    '0/x000/001',
    '64/000',
    '01/000',
    '0/000.p/0',
    '0/000.p/256',
    '0/001/002',
    'x/000',
    '0/000.p',
    '',
  ])('refuses %s', (path) => {
    expect(parseTilePath(path)).toBeUndefined();
  });

  it('writes and reads back any tile', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant('entries' as const)),
        fc.maxSafeNat(),
        fc.integer({ min: 1, max: 256 }),
        (level, index, width) => {
          const t = { level, index, width };
          expect(parseTilePath(tilePath(t))).toEqual(t);
        },
      ),
    );
  });
});

describe('tiles of a 600-entry log', () => {
  const root = testSigner(1);
  const officer = testSigner(2);
  const ORIGIN = 'tiles.test/log';
  let ledger: Ledger;
  let sa: ServeApp;

  beforeAll(async () => {
    ledger = await noteLedger(
      new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' }) as never,
      ORIGIN,
      root,
      officer,
    );
    const batch = [];
    for (let i = ledger.size; i < 599; i++) batch.push({ kind: 'test/note', body: noteBody(i) });
    for (let i = 0; i < batch.length; i += 200) await ledger.appendBatch(batch.slice(i, i + 200), officer);
    const { config, served } = await publicReadServing(ledger);
    sa = createApp({ served, config, log: () => {} });
  });
  afterAll(() => ledger.close());

  const tile = async (path: string) => {
    const r = await sa.app.request(`/tile/${path}`);
    return { status: r.status, bytes: new Uint8Array(await r.arrayBuffer()) };
  };

  it('serves no checkpoint before one is signed', async () => {
    expect((await sa.app.request('/checkpoint')).status).toBe(404);
  });

  it('reproduces the checkpoint’s root from tiles alone; the entry bundles hash to the level-0 tiles', async () => {
    await ledger.checkpoint(); // of the 599 entries; recorded as entry 599
    expect(ledger.size).toBe(600);
    const r = await sa.app.request('/checkpoint');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    // Checked with the root key held here, not with anything the server says.
    const cp = verifyCheckpoint(
      await r.text(),
      [{ name: ORIGIN, publicKey: root.publicKey }],
      nodeSuite,
    ).checkpoint;
    expect(cp.size).toBe(599);
    const size = cp.size;
    const leaves: Uint8Array[] = [];
    for (let n = 0; n * 256 < size; n++) {
      const w = Math.min(256, size - n * 256);
      const name = `${String(n).padStart(3, '0')}${w === 256 ? '' : `.p/${w}`}`;
      const t = await tile(`0/${name}`);
      expect(t.status).toBe(200);
      expect(t.bytes.length).toBe(32 * w);
      const b = await tile(`entries/${name}`);
      expect(b.status).toBe(200);
      // The bundle: uint16 length + signed entry, each hashing to the tile's leaf hash.
      let off = 0;
      for (let i = 0; i < w; i++) {
        const len = (b.bytes[off]! << 8) | b.bytes[off + 1]!;
        const entry = b.bytes.subarray(off + 2, off + 2 + len);
        off += 2 + len;
        const leaf = t.bytes.subarray(32 * i, 32 * i + 32);
        expect(hashLeaf(nodeSuite.hash, entry)).toEqual(leaf);
        leaves.push(leaf);
      }
      expect(off).toBe(b.bytes.length);
    }
    expect(leaves.length).toBe(size);
    expect(rootFromLeafHashes(nodeSuite.hash, leaves)).toEqual(cp.rootHash);

    // Level 1 (subtrees of 256 leaves): a partial tile of width 2, each hash the root of its leaves.
    const l1 = await tile('1/000.p/2');
    expect(l1.status).toBe(200);
    for (let i = 0; i < 2; i++)
      expect(l1.bytes.subarray(32 * i, 32 * i + 32)).toEqual(
        rootFromLeafHashes(nodeSuite.hash, leaves.slice(256 * i, 256 * i + 256)),
      );
    // The root from the level-1 tile and the rest of level 0, as a tlog-tiles client computes it.
    const tail = rootFromLeafHashes(nodeSuite.hash, leaves.slice(512));
    const left = hashChildren(nodeSuite.hash, l1.bytes.subarray(0, 32), l1.bytes.subarray(32, 64));
    expect(hashChildren(nodeSuite.hash, left, tail)).toEqual(cp.rootHash);
    // A flipped byte in a leaf gives another root (the comparison can fail).
    const bad = leaves.map((l) => l.slice());
    bad[300]![0]! ^= 1;
    expect(rootFromLeafHashes(nodeSuite.hash, bad)).not.toEqual(cp.rootHash);
  });

  it('serves no tile the log does not hold whole, and no path that is not canonical', async () => {
    expect((await tile('0/002')).status).toBe(404); // entries 512–767: only 88 exist
    expect((await tile('0/002.p/89')).status).toBe(404);
    expect((await tile('0/002.p/88')).status).toBe(200);
    expect((await tile('1/000')).status).toBe(404);
    expect((await tile('1/000.p/3')).status).toBe(404);
    expect((await tile('entries/003.p/1')).status).toBe(404);
    expect((await tile('0/2')).status).toBe(404);
    const r = await sa.app.request('/tile/0/x000/001');
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await tile('0/000')).status).toBe(200);
  });
});
