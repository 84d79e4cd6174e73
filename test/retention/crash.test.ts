/**
 * Acceptance (issue 7): a SIGKILL between the purge entry and the deletion leaves "purge recorded, content present";
 * verify says so (PURGE_INCOMPLETE, a warning, not a violation); re-running the purge completes it; verify is clean.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyArchive } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { RET, Retention, expiryOf } from '../../src/retention';
import { bundleChild } from '../setup/bundle-child';
import { buildWorld, entriesOfKind, people, tempDir } from './helpers';

describe('crash between the purge entry and the deletion', () => {
  const { dir, cleanup } = tempDir('el-ret-crash-');
  afterAll(cleanup);

  it('SIGKILL after the entry is durable; re-running purge completes it and verify is clean', async () => {
    const w = await buildWorld(dir);
    const [a, b] = (await entriesOfKind(w.ledger, KIND.segment)).slice(0, 2);
    if (!a || !b) throw new Error('the penalty case has segments');
    const targets = [a, b].map((e) => ({ seq: e.seq, digest: e.content[0]!.digest }));
    const ret = new Retention(w.ledger, w.store, { clock: w.clock });
    await ret.requestPurge(
      { requestId: 'PR-1', targets, reason: '期满', requestedAt: w.now },
      people.archivist,
    );
    await w.er.approve(
      'purge',
      { approvalId: 'PA-1', decision: 'approved', decidedAt: w.now, targets, reason: '同意' },
      people.head,
    );
    const at = Math.max(...[a, b].map((e) => expiryOf((e.body as { endedAt: number }).endedAt, 6)));
    const sizeBefore = w.ledger.size;
    await w.close();

    // purge-child.ts, bundled (test/setup/bundle-child.ts): node starts it without tsx.
    const child = await bundleChild(fileURLToPath(new URL('./purge-child.ts', import.meta.url)));
    const proc = spawn(process.execPath, [child, dir, String(at), 'PG-1', 'PR-1', 'PA-1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<void>((r) => proc.on('exit', () => r()));
    const seq = await new Promise<number>((resolve, reject) => {
      let buf = '';
      proc.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /recorded (\d+)\n/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      void exited.then(() => reject(new Error(`child exited: ${err}`)));
    });
    proc.kill('SIGKILL');
    await exited;
    expect(seq).toBe(sizeBefore);

    w.now = at;
    await w.reopen();
    // The purge entry survived; the content did not go.
    expect((await w.ledger.get(seq)).kind).toBe(RET.purge);
    for (const t of targets) expect(await w.store.has(t.digest)).toBe(true);
    expect((await w.ledger.verify()).problems).toEqual([]);
    const mid = await verifyArchive(w.ledger, w.store);
    expect(mid.ok).toBe(true);
    expect(mid.findings.map((f) => [f.code, f.severity])).toEqual([
      ['PURGE_INCOMPLETE', 'warning'],
      ['PURGE_INCOMPLETE', 'warning'],
    ]);

    const again = new Retention(w.ledger, w.store, { clock: w.clock });
    const r = await again.purge({ purgeId: 'PG-1', requestId: 'PR-1', approvalId: 'PA-1' }, people.archivist);
    expect(r).toMatchObject({ purgeSeq: seq, resumed: true });
    expect(r.removed.length).toBe(2);
    expect(w.ledger.size).toBe(sizeBefore + 1); // no second purge entry
    for (const t of targets) {
      expect(await w.store.has(t.digest)).toBe(false);
      expect(await w.store.purgedBy(t.digest)).toBe(seq);
    }
    const after = await verifyArchive(w.ledger, w.store);
    expect(after.findings).toEqual([]);
    expect(after.retention).toMatchObject({ purged: 2, missing: 0 });
    await w.close();
  });
});
