/**
 * The command line on a PostgreSQL ledger (a real server): `init --ledger postgres://…` keeps the folder's keys,
 * content and config on disk and the ledger in PostgreSQL; the folder's commands use it; `verify` takes the folder or
 * the URL itself, and finds damage written to the table behind the ledger's back.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeIndexStores, openStore } from '../../src/cli/folder';
import { freshDatabase } from '../setup/pg-database';
import { cli, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let url: string;
let D: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-pg-');
  D = join(tmp.dir, 'agency');
  url = await freshDatabase();
});
afterAll(() => tmp.cleanup());

describe('the command line on a PostgreSQL ledger', () => {
  it('init --ledger puts the ledger in PostgreSQL; checkpoint and verify use it, by folder or by URL', async () => {
    const init = await cli(['-d', D, '--json', 'init', '--ledger', url, '--origin', 'test.example/cli-pg']);
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(D, 'config.json'), 'utf8')).ledger).toBe(url);
    // Nothing of the ledger on disk: its entries are in PostgreSQL.
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const n = await c.query('SELECT size FROM enforcement_ledger.head');
      expect(Number(n.rows[0].size)).toBe(JSON.parse(init.stdout).size);
    } finally {
      await c.end();
    }
    const ck = await cli(['-d', D, '--json', 'checkpoint', '--out', join(tmp.dir, 'ck.txt')]);
    expect(ck.code, ck.stderr).toBe(0);
    const byFolder = await cli(['-d', D, '--json', 'verify', '--checkpoint', join(tmp.dir, 'ck.txt')]);
    expect(byFolder.code, byFolder.stderr).toBe(0);
    const v = JSON.parse(byFolder.stdout);
    expect(v.ok).toBe(true);
    const byUrl = await cli(['-d', url, '--json', 'verify', '--checkpoint', join(tmp.dir, 'ck.txt')]);
    expect(byUrl.code, byUrl.stderr).toBe(0);
    expect(JSON.parse(byUrl.stdout)).toMatchObject({ ok: true, size: v.size, root: v.root });
    // --content needs the folder.
    const content = await cli(['-d', url, 'verify', '--content']);
    expect(content.code).toBe(2);
    expect(content.stderr).toContain('--content');
  });

  it('on a PostgreSQL folder the witness state and the content index are state rows of the ledger database', async () => {
    // The witness: no --state, so its state is a row of the ledger's database, and it refuses to go back.
    const g = await cli(['-d', D, 'keys', 'generate', 'wit']);
    expect(g.code, g.stderr).toBe(0);
    const ck1 = join(tmp.dir, 'w1.txt');
    const ck2 = join(tmp.dir, 'w2.txt');
    expect((await cli(['-d', D, 'checkpoint', '--out', ck1])).code).toBe(0);
    const w1 = await cli(['-d', D, '--json', 'witness', 'cosign', ck1, '--key', 'wit', '--name', 'w.test']);
    expect(w1.code, w1.stderr).toBe(0);
    expect((await cli(['-d', D, 'checkpoint', '--out', ck2])).code).toBe(0);
    const w2 = await cli(['-d', D, '--json', 'witness', 'cosign', ck2, '--key', 'wit', '--name', 'w.test']);
    expect(w2.code, w2.stderr).toBe(0);
    expect(JSON.parse(w2.stdout).oldSize).toBe(JSON.parse(w1.stdout).size);
    const back = await cli(['-d', D, 'witness', 'cosign', ck1, '--key', 'wit', '--name', 'w.test']);
    expect(back.code).not.toBe(0);
    expect(back.stderr).toMatch(/^error WITNESS_[A-Z_]+: /);
    expect(existsSync(join(D, 'witness'))).toBe(false);
    // --state postgres://…: another database schema of the witness's own, created on first use.
    const own = `${url}?schema=witness_w`;
    const o1 = await cli([
      '-d',
      D,
      '--json',
      'witness',
      'cosign',
      ck2,
      '--key',
      'wit',
      '--name',
      'w.test',
      '--state',
      own,
    ]);
    expect(o1.code, o1.stderr).toBe(0);
    expect(JSON.parse(o1.stdout).oldSize).toBe(0);
    const o2 = await cli([
      '-d',
      D,
      'witness',
      'cosign',
      ck1,
      '--key',
      'wit',
      '--name',
      'w.test',
      '--state',
      own,
    ]);
    expect(o2.stderr).toMatch(/^error WITNESS_[A-Z_]+: /);
    // The content index: the bytes in <folder>/content, size and chunk hashes in the database.
    const store = await openStore(D);
    const ref = await store.put(
      (async function* () {
        yield new Uint8Array(5000).fill(9);
      })(),
    );
    const again = await openStore(D);
    expect(await again.stat(ref.digest)).toEqual({ size: 5000 });
    await closeIndexStores();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const rows = await c.query('SELECT k, v FROM enforcement_ledger.state ORDER BY k');
      const keys = rows.rows.map((r) => (r.k as Buffer).toString('latin1'));
      expect(keys[0]).toBe(`c${Buffer.from(ref.digest).toString('latin1')}`);
      expect((rows.rows[0].v as Buffer)[0]).toBe(1);
      expect(keys[1]?.startsWith('ww.test\0test.example/cli-pg')).toBe(true);
      expect(JSON.parse((rows.rows[1].v as Buffer).toString('utf8')).size).toBe(JSON.parse(w2.stdout).size);
      // Nothing of it in the log's table, and the log still verifies.
      const stray = await c.query(
        `SELECT count(*)::int AS n FROM enforcement_ledger.kv WHERE get_byte(k, 0) = 115`,
      );
      expect(stray.rows[0].n).toBe(0);
    } finally {
      await c.end();
    }
    expect(
      readdirSync(join(D, 'content', 'objects'), { recursive: true }).some((f) =>
        String(f).endsWith('.chunks'),
      ),
    ).toBe(false);
    const v = await cli(['-d', D, '--json', 'verify', '--content']);
    expect(v.code, v.stderr).toBe(0);
  });

  it('verify by URL finds a byte changed in the table, at its entry, exit 1', async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(
        `UPDATE enforcement_ledger.kv SET v = set_byte(v, 30, get_byte(v, 30) # 1) WHERE k = $1`,
        [Buffer.from([0x65, 0, 0, 0, 0, 0, 0, 0, 1])],
      );
    } finally {
      await c.end();
    }
    const r = await cli(['-d', url, '--json', 'verify']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.ok).toBe(false);
    expect(v.problems[0].seq).toBe(1);
  });

  it('init --ledger refuses what is not a postgres URL', async () => {
    const r = await cli(['-d', join(tmp.dir, 'other'), 'init', '--ledger', 'mysql://x/y']);
    expect(r.code).toBe(2);
  });
});
