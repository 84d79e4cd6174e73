/**
 * Issue 13, finding 4: damage is located, never an abort. Bytes of the LevelDB table files themselves are flipped (a
 * data block of an .ldb file, below the API): `verify` — plain and `--content` — reports located problems (a seq or a
 * range of seqs and a code) and exits 1; exit 3 is kept for a store that cannot be read at all. And a store that
 * cannot be locked for writing — held open by a writer, on read-only media (EROFS), without write permission (EACCES)
 * — still verifies in full, records and content included (read through a private copy, nothing written to it).
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmod, cp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { folderPaths } from '../../src/cli/folder';
import { Ledger } from '../../src/ledger';
import { isProblemCode } from '../../src/problems';
import { cli, tempDir } from './helpers';

let tmp: { dir: string; cleanup: () => Promise<void> };
let D: string;
let table: string;

beforeAll(async () => {
  tmp = await tempDir('el-verify-damage-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
  // Reopening turns LevelDB's write-ahead log into a sorted table (.ldb): the bytes damaged below.
  const db = new ClassicLevel(folderPaths(D).ledger);
  await db.open();
  await db.close();
  const files = await readdir(folderPaths(D).ledger);
  table = files.find((f) => f.endsWith('.ldb'))!;
  expect(table).toBeDefined();
}, 120_000);
afterAll(async () => {
  await chmod(tmp.dir, 0o700).catch(() => {});
  await tmp.cleanup();
});

/**
 * A copy of the demo folder with one byte of its table file flipped at `offset`; with `ledgerOnly`, a copy of its
 * ledger folder alone (what `Ledger.verify` reads), without the keys and content the CLI needs.
 */
async function damagedCopy(offset: number, name = `flip-${offset}`, ledgerOnly = false): Promise<string> {
  const dir = join(tmp.dir, name);
  await rm(dir, { recursive: true, force: true });
  if (ledgerOnly) await cp(folderPaths(D).ledger, folderPaths(dir).ledger, { recursive: true });
  else await cp(D, dir, { recursive: true });
  const path = join(folderPaths(dir).ledger, table);
  const bytes = await readFile(path);
  bytes[offset]! ^= 0x10;
  await writeFile(path, bytes);
  return dir;
}

describe('verify on damaged LevelDB blocks (issue 13.4)', () => {
  /** Offsets in the table's front half (its data blocks: entries first, then tree nodes), and what each gave. */
  const seen: Array<{ offset: number; codes: string[]; unreadableRange: boolean }> = [];

  it('every flipped byte of the data blocks gives located problems, never a throw', async () => {
    const size = (await readFile(join(folderPaths(D).ledger, table))).length;
    for (let offset = 0; offset < size / 2; offset += 173) {
      const dir = await damagedCopy(offset, 'scan', true);
      const r = await Ledger.verify(folderPaths(dir).ledger);
      for (const p of r.problems) {
        expect(isProblemCode(p.code), p.code).toBe(true);
        expect(p.seq).toBeGreaterThanOrEqual(-1);
      }
      seen.push({
        offset,
        codes: r.problems.map((p) => p.code),
        unreadableRange: r.problems.some(
          (p) => p.code === 'ENTRIES_UNREADABLE' && p.seq > 0 && /entries \d+–\d+/.test(p.message),
        ),
      });
    }
    // Most flips land in an entry: each is located at an entry (seq ≥ 0), whatever the block's compression made of it.
    const located = seen.filter((s) => s.codes.length > 0);
    expect(located.length).toBeGreaterThan(seen.length / 2);
    // Some break a block itself (LevelDB: "corrupted compressed block contents", "bad entry in block"): a range.
    expect(seen.some((s) => s.unreadableRange)).toBe(true);
  }, 600_000);

  it('a block that cannot be read is a located range: verify and verify --content exit 1, not 3', async () => {
    const hit = seen.find((s) => s.unreadableRange)!;
    const dir = await damagedCopy(hit.offset);
    const plain = await cli(['-d', dir, '--json', 'verify']);
    expect(plain.code).toBe(1);
    const report = JSON.parse(plain.stdout);
    const range = report.problems.find((p: { code: string }) => p.code === 'ENTRIES_UNREADABLE');
    expect(range.seq).toBeGreaterThan(0);
    expect(range.message).toMatch(/entries \d+–\d+ cannot be read/);
    expect(report.checks.find((c: { name: string }) => c.name === 'entries').status).toBe('failed');
    const content = await cli(['-d', dir, '--lang', 'en', 'verify', '--content']);
    expect(content.stderr).toBe('');
    expect(content.code).toBe(1);
    expect(content.stdout).toContain(`#${range.seq} ENTRIES_UNREADABLE`);
  }, 120_000);

  it('a damaged entry (not its block) is one located problem from verify --content too', async () => {
    const hit = seen.find(
      (s) => s.codes.length === 1 && ['BAD_SIGNATURE', 'ENTRY_MALFORMED'].includes(s.codes[0]!),
    );
    expect(hit).toBeDefined();
    const dir = await damagedCopy(hit!.offset);
    const r = await cli(['-d', dir, '--json', 'verify', '--content']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).problems).toHaveLength(1);
  }, 120_000);
});

/** Every file and folder under `dir` with its size and modification time: what any write would change. */
async function fingerprint(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const s = await stat(join(dir, name));
    out.push(`${relative(dir, join(dir, name))} ${s.isDirectory() ? 'dir' : s.size} ${s.mtimeMs}`);
  }
  return out;
}

/**
 * Runs the built CLI's `verify --content` on `dir` inside `sh -c`, under the command prefix `wrap`, after `setup`
 * (shell lines run under the same prefix). The script first tries to create a file in the ledger folder and prints
 * whether it could: the protection is in force for the very process that verifies.
 */
function verifyUnder(
  wrap: readonly string[],
  setup: string,
  dir: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `${setup}
if touch "$D/ledger/probe" 2>/dev/null; then echo writable; else echo protected; fi
exec "$NODE" "$CLI" -d "$D" --lang en --json verify --content`;
  const cliJs = join(inject('packageRoot'), 'dist', 'cli.js');
  return new Promise((resolve) => {
    execFile(
      wrap[0] ?? 'sh',
      [...wrap.slice(1), ...(wrap.length ? ['sh'] : []), '-c', script],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: '/tmp',
          LANG: 'C.UTF-8',
          D: dir,
          NODE: process.execPath,
          CLI: cliJs,
        },
        encoding: 'utf8',
      },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

/** The verify report is clean and complete: the record, checkpoint and content checks ran too. */
function expectFullClean(r: { code: number; stdout: string; stderr: string }): void {
  expect(r.stderr).toBe('');
  const [probe, json] = r.stdout.trim().split('\n');
  expect(probe).toBe('protected');
  expect(r.code).toBe(0);
  const report = JSON.parse(json!);
  expect(report.ok).toBe(true);
  expect(report.problems).toEqual([]);
  expect(report.records.checked).toBeGreaterThan(0);
  expect(report.logCheckpoints.length).toBeGreaterThan(0);
  expect(report.content.files).toBeGreaterThan(0);
  expect(report.content.ok).toBe(report.content.files);
}

/** A copy of the demo folder as it would be found on other media (its LevelDB LOCK file included). */
async function protectedCopy(name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await cp(D, dir, { recursive: true });
  expect(await readdir(folderPaths(dir).ledger)).toContain('LOCK');
  return dir;
}

const asRoot = process.getuid?.() === 0;
/** A private mount namespace (root, or a user namespace for others) where a bind mount can be made read-only. */
const unshareArgs = asRoot ? ['unshare', '-m', '--propagation', 'private'] : ['unshare', '-r', '-m'];
const canUnshare = spawnSync(unshareArgs[0]!, [...unshareArgs.slice(1), 'true']).status === 0;

describe('verify without a write lock (issue 13.4)', () => {
  it('verifies a ledger another process holds open for writing, records and content included', async () => {
    const held = await Ledger.open(folderPaths(D).ledger);
    try {
      const r = await Ledger.verify(folderPaths(D).ledger);
      expect(r.problems).toEqual([]);
      const cliRun = await cli(['-d', D, '--json', 'verify', '--content']);
      expect(cliRun.code).toBe(0);
      const report = JSON.parse(cliRun.stdout);
      expect(report.records.checked).toBeGreaterThan(0);
      expect(report.content.files).toBeGreaterThan(0);
      expect(report.content.ok).toBe(report.content.files);
    } finally {
      await held.close();
    }
  }, 120_000);

  it('verifies a folder it has no permission to write (EACCES), writing nothing', async () => {
    const dir = await protectedCopy('no-write');
    spawnSync('chmod', ['-R', 'a-w', dir]);
    const before = await fingerprint(dir);
    try {
      // Root ignores file modes; without CAP_DAC_OVERRIDE (and its kin) it obeys them like any user.
      const wrap = asRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search,-fowner'] : [];
      expectFullClean(await verifyUnder(wrap, '', dir));
      expect(await fingerprint(dir)).toEqual(before);
    } finally {
      spawnSync('chmod', ['-R', 'u+w', dir]);
    }
  }, 180_000);

  it.skipIf(!canUnshare)(
    'verifies a folder on a read-only mount (EROFS), writing nothing',
    async () => {
      const dir = await protectedCopy('read-only');
      const before = await fingerprint(dir);
      const mount = 'mount --bind "$D" "$D" && mount -o remount,bind,ro "$D" || exit 97';
      expectFullClean(await verifyUnder(unshareArgs, mount, dir));
      expect(await fingerprint(dir)).toEqual(before);
    },
    180_000,
  );
});
