/**
 * `enforcement-ledger serve` in-process on a loopback port, driven with fetch: authentication and scopes, schema
 * refusals with code and path (nothing written), the body limit, append → read back → inclusion proof checked with the
 * library's verifier, checkpoints as C2SP notes, the OpenAPI document, verification and bundle export.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex } from '../../src/bytes';
import { verifyCheckpoint } from '../../src/checkpoint';
import { nodeSuite } from '../../src/crypto/node';
import { exampleSigner } from '../../src/domain';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../src/merkle';
import { type RunningServer, type Served, listen, openServed, readServeConfig } from '../../src/serve';
import { verifyChunkExcerpt } from '../../src/content';
import { declareArchiveKinds } from '../../src/access';
import { verifyBundle } from '../../src/bundles';
import { VERSION } from '../../src/cli/program';
import { tempDir } from '../ledger/helpers';
import { TOKENS, auth, caseBody, servedFixture } from './helpers';

const { dir, cleanup } = tempDir('el-serve-');
let srv: RunningServer;
let served: Served;
let base: string;
const root = exampleSigner('root', nodeSuite.hash);

beforeAll(async () => {
  const configPath = await servedFixture(dir, { maxBodyBytes: 4096 });
  const config = await readServeConfig(configPath);
  served = await openServed(join(dir, 'ledger'), {
    checkpointSigner: config.signers.get('root')!,
    contentDir: join(dir, 'content'),
  });
  srv = await listen({ served, config, port: 0, host: '127.0.0.1', version: VERSION, log: () => {} });
  base = srv.url;
});
afterAll(async () => {
  await srv?.close();
  cleanup();
});

const get = (path: string, token?: string) =>
  fetch(base + path, token ? { headers: auth(token, false) } : {});
const post = (path: string, body: unknown, token?: string) =>
  fetch(base + path, {
    method: 'POST',
    headers: token ? auth(token) : { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const size = async () => ((await (await get('/healthz')).json()) as { size: number }).size;

describe('serve: authentication and scopes', () => {
  it('answers the health endpoint without a token', async () => {
    const r = await get('/healthz');
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok', origin: 'ledger.jcwjw.example/penalty' });
  });

  it('refuses a missing or unknown token (401) and a principal without the scope or the key (403); nothing written', async () => {
    const before = await size();
    const body = { body: caseBody('C-auth-1') };
    const none = await post('/v1/records/case', body);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('AUTH_REQUIRED');
    const wrong = await post('/v1/records/case', body, 'not-a-token');
    expect(wrong.status).toBe(401);
    const reader = await post('/v1/records/case', body, TOKENS.reader);
    expect(reader.status).toBe(403);
    expect(((await reader.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_SCOPE');
    // Officer Wang's principal may not sign with the root key.
    const key = await post('/v1/records/case', { ...body, signAs: 'root' }, TOKENS.wang);
    expect(key.status).toBe(403);
    expect(((await key.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_KEY');
    expect((await get('/v1/log')).status).toBe(401);
    expect((await get('/tile/0/000')).status).toBe(401);
    expect(await size()).toBe(before);
  });

  it('lets the ledger refuse a key whose roles do not allow the kind (an officer registering the agency)', async () => {
    const before = await size();
    const r = await post(
      '/v1/entries',
      { records: [{ kind: 'enf/agency', body: { agencyId: 'x', name: 'x', region: '140500' } }] },
      TOKENS.wang,
    );
    expect(r.status).toBe(403);
    expect(await size()).toBe(before);
  });
});

describe('serve: bad requests', () => {
  it('refuses a record that fails its kind schema with every issue and its path (400), nothing written', async () => {
    const before = await size();
    const { title: _t, ...noTitle } = caseBody('C-bad-1');
    const r = await post('/v1/records/case', { body: { ...noTitle, openedAt: 'yesterday' } }, TOKENS.wang);
    expect(r.status).toBe(400);
    const e = (
      (await r.json()) as { error: { code: string; issues: Array<{ code: string; path: unknown[] }> } }
    ).error;
    expect(e.code).toBe('VALIDATION_FAILED');
    const paths = e.issues.map((i) => i.path.join('.'));
    expect(paths).toContain('body.title');
    expect(paths).toContain('body.openedAt');
    expect(await size()).toBe(before);
  });

  it('refuses a request of the wrong shape, bad JSON, the wrong media type and a dangling reference', async () => {
    const before = await size();
    const extra = await post('/v1/records/case', { body: caseBody('C-bad-2'), sign: 'x' }, TOKENS.wang);
    expect(extra.status).toBe(400);
    const ee = ((await extra.json()) as { error: { issues: Array<{ code: string; path: unknown[] }> } })
      .error;
    expect(ee.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: [] });
    const json = await post('/v1/records/case', '{"body": ', TOKENS.wang);
    expect(json.status).toBe(400);
    expect(
      ((await json.json()) as { error: { issues: Array<{ code: string }> } }).error.issues[0]!.code,
    ).toBe('invalid_json');
    const media = await fetch(`${base}/v1/records/case`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.wang}`, 'content-type': 'text/plain' },
      body: JSON.stringify({ body: caseBody('C-bad-3') }),
    });
    expect(media.status).toBe(415);
    const dangling = await post(
      '/v1/records/case',
      { body: { ...caseBody('C-bad-4'), agencyId: 'no-such-agency' } },
      TOKENS.wang,
    );
    expect(dangling.status).toBe(400);
    const de = ((await dangling.json()) as { error: { issues: Array<{ code: string; path: unknown[] }> } })
      .error;
    expect(de.issues.some((i) => i.path.join('.') === 'body.agencyId')).toBe(true);
    const seq = await get('/v1/entries/abc', TOKENS.reader);
    expect(seq.status).toBe(400);
    expect(
      ((await seq.json()) as { error: { issues: Array<{ path: unknown[] }> } }).error.issues[0]!.path,
    ).toEqual(['params', 'seq']);
    expect(await size()).toBe(before);
  });

  it('refuses a body over the limit with 413, nothing written', async () => {
    const before = await size();
    const big = { body: { ...caseBody('C-big'), title: 'x'.repeat(8000) } };
    const r = await post('/v1/records/case', big, TOKENS.wang);
    expect(r.status).toBe(413);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
    expect(await size()).toBe(before);
  });

  it('answers an unknown route with a JSON 404', async () => {
    const r = await get('/v2/nothing', TOKENS.reader);
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });
});

describe('serve: append, read back, prove', () => {
  it('appends a case signed by the caller’s own key; the entry reads back and its inclusion proof verifies', async () => {
    const r = await post('/v1/records/case', { body: caseBody('C-srv-1') }, TOKENS.wang);
    expect(r.status).toBe(201);
    const a = (await r.json()) as { seq: number; leafHash: string; kind: string };
    expect(a.kind).toBe('enf/case');
    const e = (await (await get(`/v1/entries/${a.seq}`, TOKENS.reader)).json()) as {
      kind: string;
      body: { caseId: string };
      signer: string;
      bytes: string;
      leafHash: string;
    };
    expect(e).toMatchObject({ kind: 'enf/case', body: { caseId: 'C-srv-1' }, leafHash: a.leafHash });
    expect(e.signer).toBe(exampleSigner('P-wang', nodeSuite.hash).keyId);
    // The leaf hash is recomputed from the signed bytes, not taken from the server.
    const leaf = hashLeaf(nodeSuite.hash, fromBase64(e.bytes));
    expect(Buffer.from(leaf).toString('hex')).toBe(a.leafHash);
    const p = (await (await get(`/v1/proofs/inclusion?seq=${a.seq}`, TOKENS.reader)).json()) as {
      treeSize: number;
      root: string;
      proof: string[];
    };
    expect(
      verifyInclusion(nodeSuite.hash, a.seq, p.treeSize, leaf, p.proof.map(fromHex), fromHex(p.root)),
    ).toBe(true);
    // A proof against another root fails (the check can fail).
    const bad = fromHex(p.root);
    bad[0]! ^= 1;
    expect(verifyInclusion(nodeSuite.hash, a.seq, p.treeSize, leaf, p.proof.map(fromHex), bad)).toBe(false);
    const cases = (await (await get('/v1/cases/C-srv-1', TOKENS.reader)).json()) as {
      entries: Array<{ seq: number }>;
    };
    expect(cases.entries.map((x) => x.seq)).toEqual([a.seq]);
  });

  it('appends atomically through the generic route: a batch with one bad record writes none', async () => {
    const before = await size();
    const bad = await post(
      '/v1/entries',
      {
        records: [
          { kind: 'enf/case', body: caseBody('C-batch-1') },
          { kind: 'enf/case', body: { caseId: 'C-batch-2' } },
        ],
      },
      TOKENS.wang,
    );
    expect(bad.status).toBe(400);
    const issues = ((await bad.json()) as { error: { issues: Array<{ path: unknown[] }> } }).error.issues;
    expect(issues.every((i) => i.path[0] === 1)).toBe(true);
    expect(await size()).toBe(before);
    const ok = await post(
      '/v1/entries',
      {
        records: [
          { kind: 'enf/case', body: caseBody('C-batch-1') },
          { kind: 'enf/case', body: caseBody('C-batch-2') },
        ],
      },
      TOKENS.wang,
    );
    expect(ok.status).toBe(201);
    const { entries } = (await ok.json()) as { entries: Array<{ seq: number }> };
    expect(entries.map((x) => x.seq)).toEqual([before, before + 1]);
  });

  it('signs a checkpoint (C2SP note, verified with the root key held here) and proves consistency', async () => {
    const first = await post('/v1/checkpoints', '', TOKENS.admin);
    expect(first.status).toBe(201);
    const note1 = await first.text();
    await post('/v1/records/case', { body: caseBody('C-srv-2') }, TOKENS.wang);
    const note2 = await (await post('/v1/checkpoints', '', TOKENS.admin)).text();
    expect(await (await get('/checkpoint', TOKENS.reader)).text()).toBe(note2);
    const manifestName = (
      (await (await get('/v1/entries/0', TOKENS.reader)).json()) as {
        body: { checkpointKey: { name: string } };
      }
    ).body.checkpointKey.name;
    const keys = [{ name: manifestName, publicKey: root.publicKey }];
    const c1 = verifyCheckpoint(note1, keys, nodeSuite).checkpoint;
    const c2 = verifyCheckpoint(note2, keys, nodeSuite).checkpoint;
    expect(c2.size).toBeGreaterThan(c1.size);
    // A note signed by another key does not verify.
    expect(() =>
      verifyCheckpoint(
        note2,
        [{ name: manifestName, publicKey: exampleSigner('x', nodeSuite.hash).publicKey }],
        nodeSuite,
      ),
    ).toThrow();
    const p = (await (
      await get(`/v1/proofs/consistency?from=${c1.size}&to=${c2.size}`, TOKENS.reader)
    ).json()) as {
      proof: string[];
    };
    expect(
      verifyConsistency(nodeSuite.hash, c1.size, c2.size, p.proof.map(fromHex), c1.rootHash, c2.rootHash),
    ).toBe(true);
  });

  it('verifies the ledger for a principal with the verify scope, and refuses an officer', async () => {
    expect((await post('/v1/verify', {}, TOKENS.wang)).status).toBe(403);
    const r = await post('/v1/verify', {}, TOKENS.reader);
    expect(r.status).toBe(200);
    expect(((await r.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('exports a proof bundle that verifies offline against the root key', async () => {
    const r = await post('/v1/bundles', { caseIds: ['C-srv-1'] }, TOKENS.archivist);
    expect(r.status).toBe(200);
    const bytes = new Uint8Array(await r.arrayBuffer());
    const manifest = (
      (await (await get('/v1/entries/0', TOKENS.reader)).json()) as {
        body: { checkpointKey: { name: string } };
      }
    ).body.checkpointKey.name;
    const report = verifyBundle(bytes, { logKey: { name: manifest, publicKey: root.publicKey } });
    expect(report.ok).toBe(true);
    // Pinned to another key, the same bundle does not verify.
    const other = exampleSigner('x', nodeSuite.hash).publicKey;
    expect(verifyBundle(bytes, { logKey: { name: manifest, publicKey: other } }).ok).toBe(false);
  });
});

describe('serve: excerpts', () => {
  it('answers an approved chunk request with the excerpt document, logged as a retrieval; refuses without approval', async () => {
    // A recording of the case (its file in the content store) and the head's approval for archivist Sun.
    let seg: { seq: number; digest: string; size: number; caseId: string } | undefined;
    for await (const e of served.ledger.entries())
      if (e.kind === 'enf/segment' && e.content.length)
        seg ??= {
          seq: e.seq,
          digest: toHex(e.content[0]!.digest),
          size: e.content[0]!.size,
          caseId: (e.body as { caseId: string }).caseId,
        };
    expect(seg).toBeDefined();
    const { seq, digest, caseId } = seg!;
    const ask = (over: Record<string, unknown> = {}) =>
      post(
        '/v1/access/excerpt',
        { seq, chunk: 0, requesterId: 'P-sun', purpose: '摘录核查', ...over },
        TOKENS.archivist,
      );

    // The worked case's ledger predates the access kinds (a folder from `init` declares them).
    await declareArchiveKinds(served.ledger, root);
    const before = await size();
    const refused = await ask();
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RETRIEVAL_NO_APPROVAL');
    expect(await size()).toBe(before + 1); // the refusal is logged

    const approvalId = 'RA-serve-excerpt';
    await served.records.approve(
      'retrieval',
      {
        approvalId,
        decision: 'approved',
        decidedAt: Date.now() - 60_000,
        slipNo: approvalId,
        requesterId: 'P-sun',
        purpose: '摘录核查',
        caseId,
        maxUses: 5,
      },
      exampleSigner('P-chen', nodeSuite.hash),
    );
    // A chunk beyond the file: 400, nothing logged.
    const n = await size();
    const beyond = await ask({ approvalId, chunk: 1 });
    expect(beyond.status).toBe(400);
    expect(await size()).toBe(n);

    const r = await ask({ approvalId });
    const text = await r.text();
    expect(r.status, text).toBe(200);
    const x = JSON.parse(text) as {
      format: string;
      seq: number;
      ledgerId: string;
      caseId: string;
      content: { digest: string; size: number; chunkRoot: string };
      chunk: { index: number; start: number; end: number; bytes: string; proof: string[] };
    };
    expect(x).toMatchObject({ format: 'enforcement-ledger/excerpt@1', seq, caseId, content: { digest } });
    // The retrieval event names the chunk.
    const ev = await served.ledger.get(Number(r.headers.get('x-event-seq')));
    expect(ev.kind).toBe('acc/retrieval');
    expect(ev.body).toMatchObject({ outcome: 'granted', approvalId, chunk: 0, target: { seq } });
    // The chunk checks against the recorded chunkRoot with the library's verifier, and the file is the whole chunk.
    const bytes = fromBase64(x.chunk.bytes);
    expect(x.chunk).toMatchObject({ index: 0, start: 0, end: seg!.size });
    expect(toHex(nodeSuite.hash(bytes))).toBe(digest);
    // The chunkRoot is the one recorded in the entry, not only the one the document states.
    const recorded = (await served.ledger.get(seq)).content[0]!;
    expect(x.content.chunkRoot).toBe(toHex(recorded.chunkRoot));
    const target = { size: recorded.size, chunkRoot: recorded.chunkRoot };
    const excerpt = { index: 0, bytes, proof: x.chunk.proof.map(fromHex) };
    expect(verifyChunkExcerpt(nodeSuite.hash, target, excerpt)).toMatchObject({ ok: true });
    bytes[0]! ^= 1;
    expect(verifyChunkExcerpt(nodeSuite.hash, target, excerpt)).toMatchObject({
      ok: false,
      code: 'EXCERPT_PROOF_INVALID',
    });
  });
});

describe('serve: the OpenAPI document', () => {
  it('is JSON listing every route with its method, and docs/openapi.json is the same document', async () => {
    const doc = (await (await get('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(listed.sort()).toEqual(srv.app.routes.map((r) => `${r.method} ${r.path}`).sort());
    expect(listed).toContain('post /v1/records/case');
    expect(listed).toContain('get /tile/{tile}');
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const file = join(import.meta.dirname, '../../docs/openapi.json');
    // Compared as JSON: a formatter may lay the file out its own way.
    if (process.env.UPDATE_DOCS) writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(doc);
  });
});
