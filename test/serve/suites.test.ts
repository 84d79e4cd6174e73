/**
 * `serve` on an `init --suite sm2-sm3` folder with keys held outside the server process, end to end through the real
 * command line (one server process): officers registered through the server with SM2 keys, signed by the root key in
 * a signing process; appends signed with SM2 keys from a PEM file, from a worker pool and from a child process
 * standing in for a signature server or UKey (test/crypto/fixtures/sign-server.mjs, which signs with sm-crypto-v2's
 * own hashing, not ours); reads, SM3 inclusion and consistency proofs, the checkpoint with the SM2 signature type of
 * docs/FORMAT.md, tiles (SM3: the Go client of test/serve/tlog-client hard-codes SHA-256 and cannot check them; the
 * root is recomputed here from the tiles with SM3), a bundle verified by `verify-bundle` pinned to the SM2 log key,
 * and the verify endpoint. A signing process that returns bad signatures gets 502 CRYPTO_SIGNER_FAILED with nothing
 * written. Then, in this process, the same key store on the default suite: the checkpoint key in a child process, a
 * faulty one refused, and a key of the other suite refused by name.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex, utf8 } from '../../src/bytes';
import { SIG_ED25519, formatVerifierKey, noteKey, verifyCheckpoint } from '../../src/checkpoint';
import { suiteById } from '../../src/crypto/node-registry';
import { readAnyPrivateKeyFile, writePrivateKeyFile } from '../../src/crypto/keyfile';
import type { SuiteId } from '../../src/crypto/types';
import { hashChildren, hashLeaf, verifyConsistency, verifyInclusion } from '../../src/merkle';
import {
  type KeySourceInput,
  type ServeConfigInput,
  createApp,
  listen,
  loadServeConfig,
  openServed,
  tokenDigest,
} from '../../src/serve';
import { VERSION } from '../../src/cli/program';
import { cli } from '../cli/helpers';
import { tempDir } from '../ledger/helpers';
import { TOKENS, auth, caseBody, servedFixture, startServe } from './helpers';

const SIGN_SERVER = join(import.meta.dirname, '../crypto/fixtures/sign-server.mjs');
const FAULTY = 'token-of-a-faulty-signer-0123456';
const sm = suiteById('sm2-sm3');
const ed = suiteById('ed25519-sha256');
/** The private key of example key `label` in `suite` (as exampleSigner derives it). */
const keyOf = (label: string, suite = sm) => suite.hash(utf8(`enforcement-ledger example key: ${label}`));
/** A key store entry naming the signing process, holding `label`'s key (`mode` corrupt: every signature is bad). */
const processKey = (suiteId: SuiteId, label: string, mode = 'ok'): KeySourceInput => ({
  process: {
    suite: suiteId,
    command: process.execPath,
    args: [SIGN_SERVER],
    env: {
      SIGN_SERVER_SUITE: suiteId,
      SIGN_SERVER_KEY: toHex(keyOf(label, suiteById(suiteId))),
      SIGN_SERVER_MODE: mode,
    },
  },
});

const { dir, cleanup } = tempDir('el-serve-sm2-');
const folder = join(dir, 'jc');
let server: ReturnType<typeof startServe>;
let base: string;
let rootPub: Uint8Array;
/** A key store entry naming the signing process, holding `privateKey` (`mode` corrupt: every signature is bad). */
const processKeyOf = (suiteId: SuiteId, privateKey: Uint8Array, mode = 'ok'): KeySourceInput => ({
  process: {
    suite: suiteId,
    command: process.execPath,
    args: [SIGN_SERVER],
    env: { SIGN_SERVER_SUITE: suiteId, SIGN_SERVER_KEY: toHex(privateKey), SIGN_SERVER_MODE: mode },
  },
});
const PEOPLE = [
  { personId: 'P-wang', name: '王军', roles: ['officer'], certificateNo: '14050012001' },
  { personId: 'P-li', name: '李娜', roles: ['officer'], certificateNo: '14050012002' },
  { personId: 'P-sun', name: '孙档案', roles: ['archivist'] },
];

beforeAll(async () => {
  // An sm2-sm3 folder as an agency makes it: init with the agency record, an SM2 root key in keys/root.pem.
  const init = await cli([
    ...['-d', folder, 'init', '--suite', 'sm2-sm3', '--origin', 'ledger.jcwjw.example/sm2'],
    ...['--agency-id', 'jc-wjw', '--agency-name', '晋城市卫生健康委员会'],
  ]);
  expect(init.code, init.stderr).toBe(0);
  const root = await readAnyPrivateKeyFile(join(folder, 'keys', 'root.pem'));
  expect(root.suite).toBe('sm2-sm3');
  rootPub = sm.publicKeyFromPrivateKey(root.privateKey);
  mkdirSync(join(dir, 'keys'));
  await writePrivateKeyFile(join(dir, 'keys', 'wang.pem'), keyOf('P-wang'), { suite: 'sm2-sm3' });
  await writePrivateKeyFile(join(dir, 'keys', 'sun.pem'), keyOf('P-sun'), { suite: 'sm2-sm3' });
  const config: ServeConfigInput = {
    format: 'enforcement-ledger/serve@1',
    keys: {
      wang: 'keys/wang.pem',
      sun: { file: 'keys/sun.pem', pool: { threads: 1 } },
      // The root key (checkpoints, registrations) stays in the signing process: the server never reads root.pem.
      root: processKeyOf('sm2-sm3', root.privateKey),
      faulty: processKeyOf('sm2-sm3', keyOf('P-wang'), 'corrupt'),
    },
    checkpointKey: 'root',
    exporterKey: 'sun',
    principals: [
      { id: 'ecs-wang', tokenSha256: tokenDigest(TOKENS.wang), scopes: ['read', 'append'], keys: ['wang'] },
      { id: 'ecs-admin', tokenSha256: tokenDigest(TOKENS.admin), scopes: ['admin'], keys: ['root'] },
      { id: 'inspector', tokenSha256: tokenDigest(TOKENS.reader), scopes: ['read', 'verify'] },
      {
        id: 'archive-sun',
        tokenSha256: tokenDigest(TOKENS.archivist),
        scopes: ['read', 'export'],
        keys: ['sun'],
      },
      { id: 'faulty', tokenSha256: tokenDigest(FAULTY), scopes: ['append'], keys: ['faulty'] },
    ],
  };
  writeFileSync(join(dir, 'serve.json'), JSON.stringify(config));
  server = startServe(folder, join(dir, 'serve.json'));
  base = await server.url;
}, 120_000);
afterAll(async () => {
  if (server && server.proc.exitCode === null) {
    server.proc.kill('SIGTERM');
    expect(await server.exit).toBe(0);
  }
  cleanup();
}, 60_000);

const get = (path: string, token = TOKENS.reader) => fetch(base + path, { headers: auth(token, false) });
const post = (path: string, body: unknown, token: string) =>
  fetch(base + path, {
    method: 'POST',
    headers: auth(token),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const size = async () => ((await (await get('/healthz')).json()) as { size: number }).size;
const json = async <T>(r: Response | Promise<Response>) => (await (await r).json()) as T;

describe('serve on an sm2-sm3 ledger', () => {
  let caseSeq: number;
  let note1: string;

  it('registers officers with SM2 public keys (signed by the root key in the signing process); a key of the wrong length is refused, nothing written', async () => {
    const before = await size();
    const short = await post(
      '/v1/records/officer',
      {
        body: { ...PEOPLE[0], agencyId: 'jc-wjw' },
        publicKey: toHex(ed.publicKeyFromPrivateKey(keyOf('P-wang', ed))),
      },
      TOKENS.admin,
    );
    expect(short.status).toBe(400);
    expect(await size()).toBe(before);
    for (const p of PEOPLE) {
      const pub = sm.publicKeyFromPrivateKey(keyOf(p.personId));
      const r = await post(
        '/v1/records/officer',
        { body: { ...p, agencyId: 'jc-wjw' }, publicKey: toHex(pub) },
        TOKENS.admin,
      );
      expect(r.status, await r.clone().text()).toBe(201);
      const a = (await r.json()) as { seq: number };
      expect((await json<{ kind: string; signer: string }>(get(`/v1/entries/${a.seq}`))).signer).toBe(
        sm.keyId(rootPub),
      );
    }
    expect(await size()).toBeGreaterThan(before);
  });

  it('appends a case signed with an SM2 key file; the entry reads back, its SM3 inclusion proof verifies', async () => {
    const r = await post('/v1/records/case', { body: caseBody('C-sm2-1') }, TOKENS.wang);
    expect(r.status).toBe(201);
    const a = (await r.json()) as { seq: number; leafHash: string };
    caseSeq = a.seq;
    const e = await json<{ signer: string; bytes: string; body: { caseId: string } }>(
      get(`/v1/entries/${a.seq}`),
    );
    expect(e.body.caseId).toBe('C-sm2-1');
    expect(e.signer).toBe(sm.keyId(sm.publicKeyFromPrivateKey(keyOf('P-wang'))));
    expect(e.signer).toHaveLength(64); // SM3 key id
    const leaf = hashLeaf(sm.hash, fromBase64(e.bytes));
    expect(toHex(leaf)).toBe(a.leafHash);
    expect(toHex(hashLeaf(ed.hash, fromBase64(e.bytes)))).not.toBe(a.leafHash); // SM3, not SHA-256
    const p = await json<{ treeSize: number; root: string; proof: string[] }>(
      get(`/v1/proofs/inclusion?seq=${a.seq}`),
    );
    const proof = p.proof.map(fromHex);
    expect(verifyInclusion(sm.hash, a.seq, p.treeSize, leaf, proof, fromHex(p.root))).toBe(true);
    expect(verifyInclusion(ed.hash, a.seq, p.treeSize, leaf, proof, fromHex(p.root))).toBe(false);
  });

  it('stores an uploaded file under its SM3 digest (the folder’s content store opens in the ledger’s suite)', async () => {
    const bytes = utf8('现场检查笔录扫描件');
    const r = await fetch(`${base}/v1/content`, {
      method: 'POST',
      headers: { ...auth(TOKENS.wang, false), 'content-type': 'application/octet-stream' },
      body: Buffer.from(bytes),
    });
    expect(r.status).toBe(201);
    const ref = (await r.json()) as { digest: string; size: number; chunkRoot: string };
    expect(ref.digest).toBe(toHex(sm.hash(bytes)));
    expect(ref.digest).not.toBe(toHex(ed.hash(bytes)));
    expect(ref.chunkRoot).toBe(toHex(hashLeaf(sm.hash, bytes)));
    expect(ref.size).toBe(bytes.length);
  });

  it('answers 502 CRYPTO_SIGNER_FAILED when the signing process returns a bad signature; nothing written', async () => {
    const before = await size();
    const r = await post('/v1/records/case', { body: caseBody('C-sm2-bad') }, FAULTY);
    expect(r.status).toBe(502);
    expect((await json<{ error: { code: string } }>(r)).error.code).toBe('CRYPTO_SIGNER_FAILED');
    expect(await size()).toBe(before);
    const c = await get('/v1/cases/C-sm2-bad');
    expect(c.status === 404 || (await c.json()).entries?.length === 0).toBe(true);
  });

  it('signs checkpoints in the signing process with the SM2 note type; consistency verifies with SM3', async () => {
    const first = await post('/v1/checkpoints', '', TOKENS.admin);
    expect(first.status).toBe(201);
    note1 = await first.text();
    expect((await post('/v1/records/case', { body: caseBody('C-sm2-2') }, TOKENS.wang)).status).toBe(201);
    const note2 = await (await post('/v1/checkpoints', '', TOKENS.admin)).text();
    expect(await (await get('/checkpoint')).text()).toBe(note2);
    const name = note1.split('\n')[0]!;
    const keys = [{ name, publicKey: rootPub }];
    const c1 = verifyCheckpoint(note1, keys, sm).checkpoint;
    const c2 = verifyCheckpoint(note2, keys, sm).checkpoint;
    expect(c2.size).toBeGreaterThan(c1.size); // the case (and the first checkpoint's own entry)
    // The signature line: "— <name> <base64(key id ‖ r ‖ s)>", key id from the 0xff-prefixed SM2 type of FORMAT.md.
    const vkey = formatVerifierKey(noteKey(name, rootPub, SIG_ED25519, 'sm2-sm3'));
    const [, vkeyId, ...b64] = vkey.split('+'); // base64 may itself hold '+'
    const typed = fromBase64(b64.join('+'));
    expect(toHex(typed.subarray(0, 1))).toBe('ff');
    expect(new TextDecoder().decode(typed.subarray(1, typed.length - 65))).toBe(
      'enforcement-ledger/sm2-sm3/checkpoint',
    );
    const line = note2.split('\n').find((l) => l.startsWith('— '))!;
    const sig = fromBase64(line.split(' ')[2]!);
    expect(sig).toHaveLength(4 + 64); // key id and SM2 r ‖ s
    expect(toHex(sig.subarray(0, 4))).toBe(vkeyId);
    expect(() => verifyCheckpoint(note2, keys, ed)).toThrow();
    const p = await json<{ proof: string[] }>(get(`/v1/proofs/consistency?from=${c1.size}&to=${c2.size}`));
    const proof = p.proof.map(fromHex);
    expect(verifyConsistency(sm.hash, c1.size, c2.size, proof, c1.rootHash, c2.rootHash)).toBe(true);
    expect(verifyConsistency(ed.hash, c1.size, c2.size, proof, c1.rootHash, c2.rootHash)).toBe(false);
  });

  it('serves SM3 tiles from which the checkpoint root is recomputed (SHA-256 tooling cannot)', async () => {
    const note = await (await get('/checkpoint')).text();
    const name = note.split('\n')[0]!;
    const cp = verifyCheckpoint(note, [{ name, publicKey: rootPub }], sm).checkpoint;
    expect(cp.size).toBeLessThan(256); // one partial tile of each kind
    const tile = new Uint8Array(await (await get(`/tile/0/000.p/${cp.size}`)).arrayBuffer());
    expect(tile).toHaveLength(32 * cp.size);
    const leaves = Array.from({ length: cp.size }, (_, i) => tile.subarray(32 * i, 32 * i + 32));
    const bundle = new Uint8Array(await (await get(`/tile/entries/000.p/${cp.size}`)).arrayBuffer());
    let off = 0;
    for (let i = 0; i < cp.size; i++) {
      const n = (bundle[off]! << 8) | bundle[off + 1]!;
      expect(toHex(hashLeaf(sm.hash, bundle.subarray(off + 2, off + 2 + n)))).toBe(toHex(leaves[i]!));
      off += 2 + n;
    }
    expect(off).toBe(bundle.length);
    const root = (hash: (b: Uint8Array) => Uint8Array, xs: Uint8Array[]): Uint8Array => {
      if (xs.length === 1) return xs[0]!;
      let k = 1;
      while (k * 2 < xs.length) k *= 2;
      return hashChildren(hash, root(hash, xs.slice(0, k)), root(hash, xs.slice(k)));
    };
    expect(toHex(root(sm.hash, leaves))).toBe(toHex(cp.rootHash));
    expect(toHex(root(ed.hash, leaves))).not.toBe(toHex(cp.rootHash));
  });

  it('verifies the ledger', async () => {
    const r = await json<{ ok: boolean }>(post('/v1/verify', {}, TOKENS.reader));
    expect(r.ok).toBe(true);
  });

  it('exports a bundle (signed on a worker pool) that verify-bundle accepts pinned to the SM2 log key only', async () => {
    const r = await post('/v1/bundles', { caseIds: ['C-sm2-1'] }, TOKENS.archivist);
    expect(r.status).toBe(200);
    const file = join(dir, 'case.bundle');
    writeFileSync(file, new Uint8Array(await r.arrayBuffer()));
    const name = note1.split('\n')[0]!;
    const vkey = formatVerifierKey(noteKey(name, rootPub, SIG_ED25519, 'sm2-sm3'));
    const ok = await cli(['verify-bundle', file, '--log-key', vkey, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const otherKey = sm.publicKeyFromPrivateKey(keyOf('x'));
    const other = formatVerifierKey(noteKey(name, otherKey, SIG_ED25519, 'sm2-sm3'));
    expect((await cli(['verify-bundle', file, '--log-key', other, '--json'])).code).not.toBe(0);
    expect(caseSeq).toBeGreaterThan(0);
  });
});

describe('the key store on the default suite, in this process', () => {
  it('signs checkpoints in a child process, refuses a faulty one with 502, refuses a key of the other suite', async () => {
    const { dir: d2, cleanup: clean2 } = tempDir('el-serve-ed-');
    const configPath = await servedFixture(d2, {
      keys: {
        root: processKey('ed25519-sha256', 'root'),
        wang: 'keys/wang.pem',
        sun: 'keys/sun.pem',
        faulty: processKey('ed25519-sha256', 'P-wang', 'corrupt'),
      },
      principals: [
        { id: 'ecs-admin', tokenSha256: tokenDigest(TOKENS.admin), scopes: ['admin'], keys: ['root'] },
        { id: 'faulty', tokenSha256: tokenDigest(FAULTY), scopes: ['append'], keys: ['faulty'] },
      ],
    });
    const { readFileSync } = await import('node:fs');
    const config = await loadServeConfig(JSON.parse(readFileSync(configPath, 'utf8')), d2);
    try {
      const served = await openServed(join(d2, 'ledger'), { checkpointSigner: config.signers.get('root')! });
      config.checkSuite(served.ledger.suite.id);
      expect(() => config.checkSuite('sm2-sm3')).toThrow(
        expect.objectContaining({
          issues: expect.arrayContaining([
            expect.objectContaining({ code: 'wrong_suite', path: ['keys', 'root'] }),
          ]),
        }),
      );
      // An SM2 key in the store of an Ed25519 ledger: the app refuses to start, naming it.
      await writePrivateKeyFile(join(d2, 'keys', 'sm2.pem'), keyOf('x'), { suite: 'sm2-sm3' });
      const mixed = await loadServeConfig(
        {
          format: 'enforcement-ledger/serve@1',
          keys: { wang: 'keys/wang.pem', odd: 'keys/sm2.pem' },
          principals: [{ id: 'p', tokenSha256: tokenDigest(TOKENS.reader), scopes: ['read'] }],
        },
        d2,
      );
      expect(() => createApp({ served, config: mixed, version: VERSION, log: () => {} })).toThrow(
        expect.objectContaining({
          issues: [expect.objectContaining({ code: 'wrong_suite', path: ['keys', 'odd'] })],
        }),
      );
      await mixed.close();
      const srv = await listen({
        served,
        config,
        port: 0,
        host: '127.0.0.1',
        version: VERSION,
        log: () => {},
      });
      try {
        const at = (p: string) => srv.url + p;
        const note = await (
          await fetch(at('/v1/checkpoints'), { method: 'POST', headers: auth(TOKENS.admin) })
        ).text();
        const name = note.split('\n')[0]!;
        const pub = ed.publicKeyFromPrivateKey(keyOf('root', ed));
        // The note covers the log before its own checkpoint entry.
        expect(verifyCheckpoint(note, [{ name, publicKey: pub }], ed).checkpoint.size).toBe(
          served.ledger.size - 1,
        );
        expect(() => verifyCheckpoint(note, [{ name, publicKey: rootPub }], sm)).toThrow();
        const before = served.ledger.size;
        const bad = await fetch(at('/v1/records/case'), {
          method: 'POST',
          headers: auth(FAULTY),
          body: JSON.stringify({ body: caseBody('C-ed-bad') }),
        });
        expect(bad.status).toBe(502);
        expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('CRYPTO_SIGNER_FAILED');
        expect(served.ledger.size).toBe(before);
      } finally {
        await srv.close();
      }
    } finally {
      await config.close();
      clean2();
    }
  }, 60_000);

  it('refuses a key store entry of the wrong shape with its path, and a signing process that cannot start', async () => {
    const principals = [{ id: 'p', tokenSha256: tokenDigest(TOKENS.admin), scopes: ['read' as const] }];
    await expect(
      loadServeConfig(
        {
          format: 'enforcement-ledger/serve@1',
          keys: { k: { process: { suite: 'rsa', command: 'x' } } },
          principals,
        },
        dir,
      ),
    ).rejects.toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([
          expect.objectContaining({ path: expect.arrayContaining(['keys', 'k']) }),
        ]),
      }),
    );
    await expect(
      loadServeConfig(
        {
          format: 'enforcement-ledger/serve@1',
          keys: { k: { process: { suite: 'sm2-sm3', command: join(dir, 'no-such-signer') } } },
          principals,
        },
        dir,
      ),
    ).rejects.toThrow(expect.objectContaining({ code: 'CRYPTO_SIGNER_FAILED' }));
  });
});
