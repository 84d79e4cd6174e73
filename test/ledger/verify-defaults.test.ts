/**
 * Issue 13, finding 3: a clean enforcement ledger verifies `ok` with no options, from the API and the command line;
 * what cannot be checked without the kinds' definitions is reported as not checked, never as problems. And one
 * flipped byte in an entry reads as one problem, at that entry — not its consequences (the leaf, the chain to the
 * next entry, its index rows, the checkpoints after it).
 */
import { cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderPaths } from '../../src/cli/folder';
import { Ledger } from '../../src/ledger';
import { entryKey } from '../../src/ledger/keyspace';
import { cli, tempDir } from '../cli/helpers';

const BIN = { keyEncoding: 'view', valueEncoding: 'view' } as const;
let tmp: { dir: string; cleanup: () => Promise<void> };
let D: string;

beforeAll(async () => {
  tmp = await tempDir('el-verify-defaults-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
}, 120_000);
afterAll(() => tmp.cleanup());

/** A copy of the demo's ledger with one byte of entry `seq`'s stored value flipped at `at` (negative: from the end). */
async function flipped(seq: number, at: number): Promise<string> {
  const dir = join(tmp.dir, `flip-${seq}-${at}`);
  await rm(dir, { recursive: true, force: true });
  await cp(folderPaths(D).ledger, dir, { recursive: true });
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, BIN);
  const v = (await db.get(entryKey(seq), BIN))!;
  const bytes = Uint8Array.from(v);
  bytes[at < 0 ? bytes.length + at : at]! ^= 0x01;
  await db.put(entryKey(seq), bytes, BIN);
  await db.close();
  return dir;
}

describe('verify with no options (issue 13.3)', () => {
  it('Ledger.verify(location) finds a clean enforcement ledger ok; rows of undefined kinds are not checked', async () => {
    const r = await Ledger.verify(folderPaths(D).ledger);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    const rows = r.checks.find((c) => c.name === 'index-rows')!;
    expect(rows.status).toBe('passed');
    expect(rows.detail).toMatch(/not checked: no definition here for kinds .*enf\/case/);
    expect(r.checks.find((c) => c.name === 'bodies')!.detail).toMatch(/not checked/);
    expect(r.checks.map((c) => c.status)).not.toContain('failed');
  });

  it('the command line finds it ok too, and says what the ledger alone cannot show', async () => {
    const r = await cli(['-d', D, '--lang', 'en', 'verify']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK:/);
    expect(r.stdout).toMatch(/no checkpoint held elsewhere/);
  });

  it.each([
    ['in the signature', -5],
    ['in the entry bytes', 40],
  ])('one flipped byte %s of an entry is one problem, at that entry', async (_, at) => {
    const { size } = await Ledger.verify(folderPaths(D).ledger);
    for (const seq of [Math.floor(size / 3), Math.floor((2 * size) / 3)]) {
      const r = await Ledger.verify(await flipped(seq, at));
      expect(r.problems, `seq ${seq}`).toHaveLength(1);
      expect(r.problems[0]!.seq).toBe(seq);
      expect(['BAD_SIGNATURE', 'ENTRY_MALFORMED', 'SIGNER_UNKNOWN']).toContain(r.problems[0]!.code);
    }
  });
});
