/**
 * PostgreSQL append throughput (issue 16), beside the embedded LevelDB ledger in the same run: durable appends of
 * ~300-byte records, (a) 64 concurrent awaited callers in one process, (b) the same spread over several processes
 * appending to one PostgreSQL ledger (aggregate rate, wall clock from a common start to the last acknowledgement),
 * (c) one awaited append at a time. The server is a throwaway cluster on loopback (test/setup/postgres-cluster.ts,
 * Debian's binaries), fsync on, synchronous_commit on.
 *
 *   npx tsx bench/postgres.ts [--quick] [--processes=3]
 *   (child mode, internal) npx tsx bench/postgres.ts --child <url> <worker> <count> <callers>
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { createSigner } from '../src/crypto/signer';
import { Ledger } from '../src/ledger';
import type { KindDefinition } from '../src/ledger/types';
import { createDatabase, startCluster } from '../test/setup/postgres-cluster';
import { recordBody } from './fixtures';
import { header, median, selfExecArgv, table } from './util';

const seed = (i: number) => new Uint8Array(createHash('sha256').update(`bench key ${i}`).digest());
const root = createSigner(seed(0));
const officer = createSigner(seed(1));
const kind: KindDefinition = { kind: 'bench/record', roles: ['officer'] };

async function concurrent(n: number, callers: number, one: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < n) await one(next++);
    }),
  );
}

async function fresh(location: string): Promise<Ledger> {
  const l = await Ledger.create(location, { origin: 'bench.example/pg', signer: root, kinds: [kind] });
  await l.registerKey({ publicKey: officer.publicKey, principal: 'officer-0001', roles: ['officer'] }, root);
  return l;
}

/** Entries per second of `n` appends by `callers` concurrent awaited callers (callers = 1: one at a time). */
async function rate(l: Ledger, n: number, callers: number, base = 0): Promise<number> {
  const t0 = performance.now();
  await concurrent(n, callers, (i) =>
    l.append({ kind: 'bench/record', body: recordBody(base + i) }, officer),
  );
  return n / ((performance.now() - t0) / 1000);
}

async function child(url: string, worker: number, count: number, callers: number): Promise<void> {
  const l = await Ledger.open(url, { kinds: [kind] });
  process.stdout.write('ready\n');
  await new Promise<void>((r) => process.stdin.once('data', () => r()));
  process.stdin.destroy(); // else the open pipe keeps this process alive after its work
  await concurrent(count, callers, (i) =>
    l.append({ kind: 'bench/record', body: recordBody(worker * 1_000_000 + i) }, officer),
  );
  await l.close();
  process.stdout.write('done\n');
}

/** Aggregate entries per second of `procs` processes appending `per` entries each, `callers` concurrent per process. */
async function multi(url: string, procs: number, per: number, callers: number): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const kids: ChildProcess[] = [];
  const ready: Promise<void>[] = [];
  const done: Promise<void>[] = [];
  for (let w = 0; w < procs; w++) {
    const k = spawn(
      process.execPath,
      [...selfExecArgv(), self, '--child', url, String(w + 1), String(per), String(callers)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    kids.push(k);
    let out = '';
    ready.push(
      new Promise((resolve, reject) => {
        k.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('ready\n')) resolve();
        });
        k.on('exit', (code) => (code ? reject(new Error(`child exited ${code}`)) : undefined));
      }),
    );
    done.push(
      new Promise((resolve, reject) =>
        k.on('exit', (code) =>
          code === 0 && out.includes('done\n') ? resolve() : reject(new Error(`child ${code}`)),
        ),
      ),
    );
  }
  await Promise.all(ready);
  const t0 = performance.now();
  for (const k of kids) k.stdin!.write('go\n');
  await Promise.all(done);
  return (procs * per) / ((performance.now() - t0) / 1000);
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]!, Number(args[2]), Number(args[3]), Number(args[4]));
  const quick = args.includes('--quick');
  const procs = Number(args.find((a) => a.startsWith('--processes='))?.split('=')[1] ?? 3);
  const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? (quick ? 1 : 3));
  const N = quick ? 1_000 : 3_000;
  const SEQ = quick ? 100 : 300;
  const load0 = loadavg()[0]!;
  const cluster = await startCluster();
  const dir = mkdtempSync(join(tmpdir(), 'el-bench-pg-'));
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number) => {
    rows[k] ??= [];
    rows[k].push(v);
  };
  try {
    for (let r = 0; r < runs; r++) {
      // LevelDB, embedded (one process).
      const lv = await fresh(join(dir, `level-${r}`));
      add('level-64', await rate(lv, N, 64));
      add('level-1', await rate(lv, SEQ, 1, N));
      await lv.close();
      // PostgreSQL, one process.
      const url1 = await createDatabase(cluster.url);
      const p1 = await fresh(url1);
      add('pg-64', await rate(p1, N, 64));
      add('pg-1', await rate(p1, SEQ, 1, N));
      await p1.close();
      // PostgreSQL, several processes on one ledger (64 callers spread over them).
      const url2 = await createDatabase(cluster.url);
      await (await fresh(url2)).close();
      add('pg-multi', await multi(url2, procs, Math.ceil(N / procs), Math.ceil(64 / procs)));
      const check = await Ledger.verify(url2);
      if (!check.ok)
        throw new Error(`the multi-process ledger does not verify: ${check.problems[0]?.message}`);
    }
  } finally {
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const m = (k: string) => median(rows[k]!);
  const k = (x: number) => `${(x / 1000).toFixed(2)}k/s`;
  const cmd = `npx tsx bench/postgres.ts${quick ? ' --quick' : ''} --processes=${procs} --runs=${runs}`;
  process.stdout.write(`${header('PostgreSQL append (issue 16)', cmd)}\n`);
  process.stdout.write(
    `Medians of ${runs} run(s), ${N} durable appends each (${SEQ} for one at a time); 1-minute load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end. PostgreSQL ${cluster.version} on loopback, fsync and synchronous_commit on.\n\n`,
  );
  process.stdout.write(
    `${table(
      ['measure', 'LevelDB (embedded)', 'PostgreSQL', 'PostgreSQL / LevelDB'],
      [
        [
          '64 concurrent callers, one process',
          k(m('level-64')),
          k(m('pg-64')),
          `${(m('pg-64') / m('level-64')).toFixed(2)}×`,
        ],
        [
          `64 callers over ${procs} processes, one ledger`,
          '— (one writer process)',
          k(m('pg-multi')),
          `${(m('pg-multi') / m('level-64')).toFixed(2)}× (vs. LevelDB's one process)`,
        ],
        [
          'one awaited append at a time',
          k(m('level-1')),
          k(m('pg-1')),
          `${(m('pg-1') / m('level-1')).toFixed(2)}×`,
        ],
      ],
    )}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
