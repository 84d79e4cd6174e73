/**
 * Graceful shutdown of `enforcement-ledger serve` run as a child process (the real bin source, a real port on
 * loopback): 8 clients append cases concurrently; SIGTERM arrives mid-load; the server exits 0, and every append it
 * acknowledged (201) is in the reopened ledger at its seq with its leaf hash, exactly once, every case it appended was
 * acknowledged (no answer cut off), refusals after the signal are 503 SHUTTING_DOWN, and the ledger verifies.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EnforcementRecords } from '../../src/domain';
import { INDEX } from '../../src/domain/spec';
import { tokenDigest } from '../../src/serve';
import { cli } from '../cli/helpers';
import { tempDir } from '../ledger/helpers';
import { TOKENS, auth, caseBody, expectEachAckOnce, servedFixture, startServe } from './helpers';

const { dir, cleanup } = tempDir('el-serve-stop-');
afterAll(cleanup);

describe('serve: graceful shutdown', () => {
  it('loses no acknowledged append when SIGTERM arrives mid-load, and exits 0', async () => {
    const config = await servedFixture(dir);
    const s = startServe(join(dir, 'ledger'), config);
    const base = await s.url;
    const acks = new Map<number, { caseId: string; leafHash: string }>();
    let stopped = false;
    const CLIENTS = 8;
    const PER_CLIENT = 60;
    const client = async (c: number) => {
      for (let i = 0; i < PER_CLIENT && !stopped; i++) {
        const caseId = `C-stop-${c}-${i}`;
        let r: Response;
        try {
          r = await fetch(`${base}/v1/records/case`, {
            method: 'POST',
            headers: auth(TOKENS.wang),
            body: JSON.stringify({ body: caseBody(caseId) }),
          });
        } catch {
          stopped = true; // connection refused or reset once the server stopped accepting
          break;
        }
        // Anything but an acknowledgement or a 503 (e.g. a 500 from a ledger closed under a request) fails here.
        if (r.status === 201) {
          const a = (await r.json()) as { seq: number; leafHash: string };
          expect(acks.has(a.seq)).toBe(false);
          acks.set(a.seq, { caseId, leafHash: a.leafHash });
        } else {
          // Refused by the draining server before the ledger closes, not by a closed ledger.
          const text = await r.text();
          expect(r.status, text).toBe(503);
          expect((JSON.parse(text) as { error: { code: string } }).error.code).toBe('SHUTTING_DOWN');
          stopped = true;
        }
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    // Stop once the load is well under way.
    while (acks.size < 40 && !stopped) await new Promise((r) => setTimeout(r, 20));
    s.proc.kill('SIGTERM');
    await load;
    expect(await s.exit).toBe(0);
    expect(s.stderr()).toContain('SIGTERM');
    expect(acks.size).toBeGreaterThanOrEqual(40);

    const er = await EnforcementRecords.open(join(dir, 'ledger'));
    try {
      await expectEachAckOnce(er, acks);
      // Every case the server appended was answered: no append was cut off from its acknowledgement.
      const stopCases = (await er.ledger.lookupRange(INDEX.id('case'))).filter((r) =>
        r.key.startsWith('C-stop-'),
      );
      expect(stopCases.length).toBe(acks.size);
      const report = await er.verify();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    } finally {
      await er.ledger.close();
    }
  });
});

describe('serve: a ledger folder made by init', () => {
  it('serves the folder’s ledger and content store; a config naming an unknown key is refused with its path', async () => {
    const folder = join(dir, 'jc');
    expect((await cli(['-d', folder, 'init', '--origin', 'serve.test/jc'])).code).toBe(0);
    const config = join(dir, 'jc.serve.json');
    writeFileSync(
      config,
      JSON.stringify({
        format: 'enforcement-ledger/serve@1',
        keys: { root: 'jc/keys/root.pem' },
        checkpointKey: 'root',
        principals: [
          { id: 'ops', tokenSha256: tokenDigest(TOKENS.admin), scopes: ['admin'], keys: ['root'] },
        ],
      }),
    );
    const s = startServe(folder, config);
    const base = await s.url;
    expect(s.stderr()).toContain(`LevelDB ledger ${join(folder, 'ledger')}`);
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ origin: 'serve.test/jc' });
    // The folder's content store is served: a file goes in and its ref comes back.
    const put = await fetch(`${base}/v1/content`, {
      method: 'POST',
      headers: { ...auth(TOKENS.admin, false), 'content-type': 'application/octet-stream' },
      body: new TextEncoder().encode('a scanned document'),
    });
    expect(put.status).toBe(201);
    expect(((await put.json()) as { size: number }).size).toBe(18);
    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);

    const bad = join(dir, 'bad.serve.json');
    writeFileSync(
      bad,
      JSON.stringify({
        format: 'enforcement-ledger/serve@1',
        keys: {},
        principals: [{ id: 'ops', tokenSha256: tokenDigest('x'), scopes: ['admin'], keys: ['root'] }],
      }),
    );
    const r = await cli(['--json', 'serve', folder, '--config', bad]);
    expect(r.code).toBe(2);
    const e = (
      JSON.parse(r.stdout) as { error: { code: string; issues: Array<{ code: string; path: unknown[] }> } }
    ).error;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues).toEqual([
      expect.objectContaining({ code: 'unknown_key', path: ['principals', 0, 'keys', 0] }),
    ]);
  });
});
