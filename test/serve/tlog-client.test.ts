/**
 * The tlog-tiles API read by an independent client: test/serve/tlog-client/main.go, built here from Debian's
 * golang-go with the Go project's golang.org/x/mod/sumdb/tlog and note packages (golang-golang-x-mod-dev; `.ci/run`
 * installs both; without them this file fails, it never skips). Over a real HTTP socket, the client opens the
 * checkpoint with the log's verifier key, authenticates every tile it reads against the checkpoint's root
 * (tlog.TileHashReader), recomputes the root, proves every entry of every entry bundle included, and proves the tree
 * consistent with an older checkpoint (of size 256: one full level-0 tile and a level-1 tile of width 1). Its leaf
 * hashes are compared with the ledger's. A flipped byte in a level-0 tile, a level-1 tile or an entry bundle, and a
 * checkpoint checked with another key, each make it fail. Tile paths are compared with Go's Tile.Path().
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve as nodeServe } from '@hono/node-server';
import fc from 'fast-check';
import { MemoryLevel } from 'memory-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { formatVerifierKey, noteKey } from '../../src/checkpoint';
import type { Ledger } from '../../src/ledger';
import { createApp, tilePath } from '../../src/serve';
import { noteBody, noteLedger, tempDir, testSigner } from '../ledger/helpers';
import { publicReadServing } from './helpers';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = join(ROOT, 'test', 'serve', 'tlog-client');
/** Where Debian's golang-golang-x-mod-dev puts golang.org/x/mod (a GOPATH). */
const GOPATH = '/usr/share/gocode';
const { dir, cleanup } = tempDir('el-tlog-client-');

function goBinary(): string {
  for (const g of ['go', '/usr/lib/go/bin/go']) {
    const r = spawnSync(g, ['version'], { encoding: 'utf8' });
    if (r.status === 0) return g;
  }
  throw new Error(
    'no Go toolchain: install the Debian packages golang-go and golang-golang-x-mod-dev (.ci/run does)',
  );
}

describe('tlog-tiles read by golang.org/x/mod/sumdb/tlog', () => {
  const ORIGIN = 'tlog-client.test/log';
  const root = testSigner(1);
  const officer = testSigner(2);
  const vkey = formatVerifierKey(noteKey(ORIGIN, root.publicKey));
  let client: string;
  let ledger: Ledger;
  let server: Server;
  let base: string;
  let older: string;
  /** A byte to flip in the answer to one path (the rest of the log served as stored). */
  let mutate: { path: string; offset: number } | undefined;

  beforeAll(async () => {
    if (!existsSync(join(GOPATH, 'src/golang.org/x/mod/sumdb/tlog/tile.go')))
      throw new Error(`no golang.org/x/mod in ${GOPATH}: install the Debian package golang-golang-x-mod-dev`);
    client = join(dir, 'tlog-client');
    execFileSync(goBinary(), ['build', '-o', client, '.'], {
      cwd: SOURCE,
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOPATH,
        GOFLAGS: '',
        GOCACHE: join(ROOT, '.tmp', 'go-cache'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    ledger = await noteLedger(
      new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' }) as never,
      ORIGIN,
      root,
      officer,
    );
    const fill = async (size: number) => {
      const batch = [];
      for (let i = ledger.size; i < size; i++) batch.push({ kind: 'test/note', body: noteBody(i) });
      for (let i = 0; i < batch.length; i += 200) await ledger.appendBatch(batch.slice(i, i + 200), officer);
    };
    await fill(256);
    older = join(dir, 'older.checkpoint');
    writeFileSync(older, await ledger.checkpoint()); // size 256, recorded as entry 256
    await fill(700);
    await ledger.checkpoint(); // size 700: level-0 tiles 000, 001 and 002.p/188; level 1 000.p/2
    const { config, served } = await publicReadServing(ledger);
    const sa = createApp({ served, config, log: () => {} });
    const fetch = async (req: Request): Promise<Response> => {
      const res = await sa.app.fetch(req);
      const m = mutate;
      if (m === undefined || new URL(req.url).pathname !== m.path) return res;
      const bytes = new Uint8Array(await res.arrayBuffer());
      bytes[m.offset]! ^= 0x01;
      return new Response(bytes, { status: res.status, headers: res.headers });
    };
    server = await new Promise<Server>((resolve) => {
      const s = nodeServe({ fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (ledger) await ledger.close();
    cleanup();
  });

  /** Runs the client (asynchronously: the server answering it is in this process). */
  const run = (...args: string[]) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(client, args, { encoding: 'utf8', maxBuffer: 1 << 24 }, (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it('authenticates every tile, recomputes the root, proves each entry included and the tree consistent', async () => {
    const r = await run('check', base, vkey, older);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as {
      origin: string;
      size: number;
      root: string;
      entries: number;
      leafHashes: string[];
      consistency: number;
      paths: string[];
    };
    expect(out.origin).toBe(ORIGIN);
    expect(out.size).toBe(700);
    expect(out.root).toBe(toHex(await ledger.root(700)));
    expect(out.entries).toBe(700);
    expect(out.consistency).toBe(256);
    // The client's record hashes (RFC 6962 leaf hashes of the bundles' entries) are the ledger's leaf hashes.
    for (let seq = 0; seq < 700; seq++)
      expect(out.leafHashes[seq]).toBe(toHex((await ledger.get(seq)).leafHash));
    // It read partial tiles of the widths the size gives (.p/188 at level 0, .p/2 at level 1) and full ones.
    expect(out.paths.sort()).toEqual([
      'tile/0/000',
      'tile/0/001',
      'tile/0/002.p/188',
      'tile/1/000.p/2',
      'tile/entries/000',
      'tile/entries/001',
      'tile/entries/002.p/188',
    ]);
  });

  it.each([
    // x/mod 0.7.0's TileHashReader authenticates this child tile against its level-1 parent only when the tree
    // hash needs as many tiles as subtrees (its loop starts at len(stx)); here the wrong leaf hash then fails the
    // inclusion proof of the entries above it instead.
    [
      'a level-0 tile',
      '/tile/0/001',
      32 * 7 + 3,
      /downloaded inconsistent tile|entry 2[0-9][0-9] \(tile\/entries\/001\): invalid transparency proof/,
    ],
    ['the level-0 partial tile', '/tile/0/002.p/188', 32 * 187, /downloaded inconsistent tile/],
    ['the level-1 tile', '/tile/1/000.p/2', 40, /downloaded inconsistent tile/],
    ['an entry in a bundle', '/tile/entries/001', 2 + 50, /entry 256 \(tile\/entries\/001\)/],
    ['the checkpoint’s root', '/checkpoint', ORIGIN.length + 1 + 4 + 5, /checkpoint: .*(invalid|verif)/i],
  ])('fails on a flipped byte in %s', async (_what, path, offset, why) => {
    mutate = { path, offset };
    try {
      const r = await run('check', base, vkey);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(why);
    } finally {
      mutate = undefined;
    }
  });

  it('fails a checkpoint checked with another log’s key', async () => {
    const r = await run('check', base, formatVerifierKey(noteKey(ORIGIN, testSigner(9).publicKey)));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/checkpoint: .*(verif|unknown)/i);
  });

  it('names every tile as Go’s Tile.Path() does (x-prefixed groups, .p/<W>, entries)', async () => {
    const tiles = fc.sample(
      fc.record({
        level: fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constant('entries' as const)),
        index: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2 ** 40 })),
        width: fc.oneof(fc.constant(256), fc.integer({ min: 1, max: 255 })),
      }),
      200,
    );
    tiles.push({ level: 0, index: 1234067, width: 256 }, { level: 'entries', index: 999, width: 1 });
    const r = await run(
      'paths',
      ...tiles.flatMap((t) => [
        t.level === 'entries' ? '-1' : String(t.level),
        String(t.index),
        String(t.width),
      ]),
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(tiles.map((t) => `tile/${tilePath(t)}`));
  });
});
