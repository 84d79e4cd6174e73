/**
 * The command line on a PostgreSQL ledger (a real server): `init --ledger postgres://…` keeps the folder's keys,
 * content and config on disk and the ledger in PostgreSQL; the folder's commands use it; `verify` takes the folder or
 * the URL itself, and finds damage written to the table behind the ledger's back.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
