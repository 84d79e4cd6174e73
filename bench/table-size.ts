/**
 * What LevelDB tables of TABLE_FILE_BYTES (1 MiB) cost the writer, beside LevelDB's default of 2 MiB measured in the
 * same run (issue 13, constant memory; docs/design/storage.md §Memory of a full read): the same ledger appended
 * through `appendBatch` (5,000 per batch, `sync: false`) into a store of each table size, the two sizes alternating,
 * then random reads of it (`get` and `inclusionProof` of random seqs) through the writer's handle. Process CPU (all
 * threads, so LevelDB's background compactions count) per entry and per read; medians of the rounds.
 *
 * Run: npx tsx bench/table-size.ts [--n 200000] [--rounds 2] [--reads 20000]
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { createSigner } from '../src/crypto/signer';
import { Ledger } from '../src/ledger';
import { TABLE_FILE_BYTES } from '../src/ledger/level-store';
import { header, machine, median, table } from './util';
import { VERIFY_BENCH_KIND } from './verify-kind';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('--n', 200_000);
const ROUNDS = arg('--rounds', 2);
const READS = arg('--reads', 20_000);
const LEVELDB_DEFAULT = 2 << 20;

const seed = (i: number) => new Uint8Array(createHash('sha256').update(`bench key ${i}`).digest());
const root = createSigner(seed(0));
const officer = createSigner(seed(1));
const body = (i: number) => ({
  caseId: `JC-2026-${String(i % 5000).padStart(5, '0')}`,
  number: `晋卫监〔2026〕${i}号`,
  summary: `现场检查 ${i}: on-site inspection summary ${'x'.repeat(120)}`,
});

function cpuMs(since: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(since);
  return (c.user + c.system) / 1000;
}

/** One round at one table size: append N entries, then READS random reads; CPU µs per entry and per read. */
async function round(maxFileSize: number): Promise<{ appendUs: number; readUs: number; tables: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'el-table-size-'));
  try {
    const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, 'l'), {
      keyEncoding: 'view',
      valueEncoding: 'view',
      maxFileSize,
    });
    await db.open();
    const l = await Ledger.create(db, {
      origin: 'bench.example/table-size',
      signer: root,
      kinds: [VERIFY_BENCH_KIND],
      sync: false,
    });
    await l.registerKey(
      { publicKey: officer.publicKey, principal: 'officer-0001', roles: ['officer'] },
      root,
    );
    const c0 = process.cpuUsage();
    while (l.size < N) {
      const inputs = [];
      for (let j = l.size; j < Math.min(N, l.size + 5000); j++)
        inputs.push({ kind: 'bench/record', body: body(j) });
      await l.appendBatch(inputs, officer);
    }
    const appendUs = (cpuMs(c0) * 1000) / N;
    let x = 12345;
    const next = () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x % l.size;
    };
    const c1 = process.cpuUsage();
    for (let r = 0; r < READS; r++) {
      const seq = next();
      const e = await l.get(seq);
      if (e.seq !== seq) throw new Error(`read ${e.seq} for ${seq}`);
      await l.inclusionProof(seq);
    }
    const readUs = (cpuMs(c1) * 1000) / READS;
    await l.close();
    await db.close();
    const tables = readdirSync(join(dir, 'l')).filter((f) => f.endsWith('.ldb')).length;
    return { appendUs, readUs, tables };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const command = `npx tsx bench/table-size.ts ${process.argv.slice(2).join(' ')}`.trim();
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const runs = new Map<number, Array<{ appendUs: number; readUs: number; tables: number }>>([
    [LEVELDB_DEFAULT, []],
    [TABLE_FILE_BYTES, []],
  ]);
  for (let r = 0; r < ROUNDS; r++)
    for (const size of r % 2 === 0
      ? [LEVELDB_DEFAULT, TABLE_FILE_BYTES]
      : [TABLE_FILE_BYTES, LEVELDB_DEFAULT]) {
      const res = await round(size);
      runs.get(size)!.push(res);
      process.stderr.write(`${size}: ${JSON.stringify(res)}\n`);
    }
  const med = (size: number, k: 'appendUs' | 'readUs' | 'tables') => median(runs.get(size)!.map((x) => x[k]));
  console.log(header('LevelDB table size: what 1 MiB tables cost the writer (issue 13)', command));
  console.log(
    `${machine()}; load average at start ${load}, at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(', ')}. ${N} entries, ${READS} random reads, ${ROUNDS} rounds, sizes alternating; medians.\n`,
  );
  const mib = (b: number) => `${b / 2 ** 20} MiB`;
  console.log(
    table(
      ['measure', `tables of ${mib(TABLE_FILE_BYTES)}`, `LevelDB's default ${mib(LEVELDB_DEFAULT)}`, 'ratio'],
      [
        [
          `appendBatch, CPU per entry (${N} entries)`,
          `${med(TABLE_FILE_BYTES, 'appendUs').toFixed(1)} µs`,
          `${med(LEVELDB_DEFAULT, 'appendUs').toFixed(1)} µs`,
          (med(TABLE_FILE_BYTES, 'appendUs') / med(LEVELDB_DEFAULT, 'appendUs')).toFixed(2),
        ],
        [
          'get + inclusionProof of a random seq, CPU per read',
          `${med(TABLE_FILE_BYTES, 'readUs').toFixed(1)} µs`,
          `${med(LEVELDB_DEFAULT, 'readUs').toFixed(1)} µs`,
          (med(TABLE_FILE_BYTES, 'readUs') / med(LEVELDB_DEFAULT, 'readUs')).toFixed(2),
        ],
        [
          'table files at the end',
          String(med(TABLE_FILE_BYTES, 'tables')),
          String(med(LEVELDB_DEFAULT, 'tables')),
          (med(TABLE_FILE_BYTES, 'tables') / med(LEVELDB_DEFAULT, 'tables')).toFixed(2),
        ],
      ],
    ),
  );
}

await main();
