/**
 * Issue 16.3: the server signs as itself only where a kind lets the system sign. `systemKey` (a key registered with
 * role `system`) is the default signer of the archive operator's events when the caller names none of its own keys;
 * it never signs an officer's record, and a caller cannot pick it for one.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareArchiveKinds } from '../../src/access';
import { utf8 } from '../../src/bytes';
import { nodeSuite } from '../../src/crypto/node';
import { writePrivateKeyFile } from '../../src/crypto/keyfile';
import { exampleSigner } from '../../src/domain';
import {
  type RunningServer,
  type Served,
  listen,
  openServed,
  readServeConfig,
  tokenDigest,
} from '../../src/serve';
import { VERSION } from '../../src/cli/program';
import { tempDir } from '../ledger/helpers';
import { TOKENS, auth, caseBody, servedFixture } from './helpers';

const { dir, cleanup } = tempDir('el-serve-system-');
const DESK = 'token-of-the-archive-desk-0123456';
const root = exampleSigner('root', nodeSuite.hash);
const systemSeed = nodeSuite.hash(utf8('enforcement-ledger test key: system'));
const system = nodeSuite.createSigner(systemSeed);
let srv: RunningServer;
let served: Served;

beforeAll(async () => {
  const configPath = await servedFixture(dir, {
    keys: { root: 'keys/root.pem', wang: 'keys/wang.pem', sun: 'keys/sun.pem', system: 'keys/system.pem' },
    systemKey: 'system',
    principals: [
      { id: 'ecs-wang', tokenSha256: tokenDigest(TOKENS.wang), scopes: ['read', 'append'], keys: ['wang'] },
      // The archive desk holds two people's keys: without `signAs` its archive events fall back to the system key.
      {
        id: 'archive-desk',
        tokenSha256: tokenDigest(DESK),
        scopes: ['read', 'access', 'append'],
        keys: ['sun', 'wang'],
      },
    ],
  });
  await writePrivateKeyFile(join(dir, 'keys', 'system.pem'), systemSeed);
  const config = await readServeConfig(configPath);
  served = await openServed(join(dir, 'ledger'), { contentDir: join(dir, 'content') });
  await served.ledger.registerKey(
    { publicKey: system.publicKey, principal: 'ecs-system', roles: ['system'] },
    root,
  );
  await declareArchiveKinds(served.ledger, root);
  srv = await listen({ served, config, port: 0, host: '127.0.0.1', version: VERSION, log: () => {} });
});
afterAll(async () => {
  await srv?.close();
  cleanup();
});

const post = (path: string, body: unknown, token: string) =>
  fetch(srv.url + path, { method: 'POST', headers: auth(token), body: JSON.stringify(body) });

describe('serve: the server’s own key (systemKey)', () => {
  it('signs an archive event when the caller names none of its keys, and the event says who asked', async () => {
    let target: number | undefined;
    for await (const e of served.ledger.entries()) if (e.kind === 'enf/document') target ??= e.seq;
    const before = served.ledger.size;
    const r = await post('/v1/access/retrieve', { seq: target, requesterId: 'P-sun', purpose: '核查' }, DESK);
    expect(r.status).toBe(403); // no approval: refused, and the refusal is logged
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe('RETRIEVAL_NO_APPROVAL');
    expect(served.ledger.size).toBe(before + 1);
    const ev = await served.ledger.get(before);
    expect(ev.kind).toBe('acc/retrieval');
    expect(ev.signer).toBe(system.keyId);
    expect(ev.body).toMatchObject({ outcome: 'refused', requesterId: 'P-sun' });

    // Naming one of its own keys signs with that key instead.
    const own = await post(
      '/v1/access/retrieve',
      { seq: target, requesterId: 'P-sun', purpose: '核查', signAs: 'sun' },
      DESK,
    );
    expect(own.status).toBe(403);
    expect((await served.ledger.get(before + 1)).signer).toBe(exampleSigner('P-sun', nodeSuite.hash).keyId);
  });

  it('never signs an officer’s record: without signAs the desk must choose, and it cannot choose the system key', async () => {
    const before = served.ledger.size;
    const unnamed = await post('/v1/records/case', { body: caseBody('JC-SYS-1') }, DESK);
    expect(unnamed.status).toBe(400);
    expect(await unnamed.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', issues: [{ path: ['signAs'] }] },
    });
    const asSystem = await post('/v1/records/case', { body: caseBody('JC-SYS-2'), signAs: 'system' }, DESK);
    expect(asSystem.status).toBe(403);
    expect(((await asSystem.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN_KEY');
    expect(served.ledger.size).toBe(before);
  });
});
