/**
 * Appends over HTTP (`enforcement-ledger serve`) against the embedded ledger, in the same run: 64 concurrent callers
 * each opening cases (`enf/case`, signed by officer Wang's key, checked against the agency and officers) until N cases
 * are appended.
 *
 *   embedded   EnforcementRecords.openCase in this process, 64 concurrent awaited calls (LevelDB)
 *   http       64 concurrent fetch clients → `serve` child process(es) → the same call, acknowledged after commit
 *
 * LevelDB has one writer process, so its HTTP row has one server. With `--pg=<postgres://…>` (a database the bench
 * may fill; each row uses a fresh schema-less ledger name) the PostgreSQL rows run with `--servers` processes (default
 * 1 and 4) sharing it, clients spread round-robin. The clients run in this process: on a 2-core machine client, server
 * and database share the cores, so the ratio to the embedded row is the figure to read.
 *
 *   npx tsx bench/serve.ts [--quick] [--n=2000] [--clients=64] [--pg=postgres://…] [--servers=1,4]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EnforcementRecords } from '../src/domain';
import { exampleSigner } from '../src/domain';
import { nodeSuite } from '../src/crypto/node';
import { TOKENS, auth, caseBody, servedFixture } from '../test/serve/helpers';
import { header, table } from './util';

const args = new Map(
  process.argv
    .slice(2)
    .filter((a) => a.startsWith('--'))
    .map((a) => {
      const [k, v] = a.slice(2).split('=');
      return [k!, v ?? 'true'] as const;
    }),
);
const quick = args.has('quick');
const N = Number(args.get('n') ?? (quick ? 500 : 2000));
const CLIENTS = Number(args.get('clients') ?? 64);
const PG = args.get('pg');
const SERVERS = (args.get('servers') ?? '1,4').split(',').map(Number);
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

interface Row {
  readonly name: string;
  readonly n: number;
  readonly ms: number;
  readonly errors: number;
  /** CPU (user + system) of the ledger's process(es) per append, µs. */
  readonly serverCpu: number;
  /** CPU of the HTTP clients (this process) per append, µs; 0 for the embedded row. */
  readonly clientCpu: number;
}

/** CPU time (user + system) of a process so far, µs, from /proc (Linux). */
function procCpu(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) / 100) * 1e6; // utime, stime in clock ticks (100/s)
}
const selfCpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** `clients` workers taking case numbers from one counter until `n` are appended; returns the wall time. */
async function drive(
  n: number,
  clients: number,
  appendOne: (i: number, worker: number) => Promise<boolean>,
): Promise<{ ms: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, w) => {
      for (let i = next++; i < n; i = next++) if (!(await appendOne(i, w))) errors++;
    }),
  );
  return { ms: performance.now() - t, errors };
}

async function embedded(dir: string): Promise<Row> {
  await servedFixture(dir);
  const er = await EnforcementRecords.open(join(dir, 'ledger'));
  const wang = exampleSigner('P-wang', nodeSuite.hash);
  try {
    const c0 = selfCpu();
    const r = await drive(N, CLIENTS, async (i) => {
      await er.openCase(caseBody(`B-emb-${i}`) as never, wang);
      return true;
    });
    const serverCpu = (selfCpu() - c0) / N;
    return { name: `embedded LevelDB, ${CLIENTS} concurrent callers`, n: N, ...r, serverCpu, clientCpu: 0 };
  } finally {
    await er.ledger.close();
  }
}

function startServe(target: string, config: string): { proc: ChildProcess; url: Promise<string> } {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'serve', target, '--config', config, '--port', '0', '--host', '127.0.0.1'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', (code) => reject(new Error(`serve exited (${code}): ${err}`)));
  });
  return { proc, url };
}

async function overHttp(name: string, target: string, config: string, servers: number): Promise<Row> {
  const procs = Array.from({ length: servers }, () => startServe(target, config));
  try {
    const urls = await Promise.all(procs.map((p) => p.url));
    const s0 = procs.map((p) => procCpu(p.proc.pid!));
    const c0 = selfCpu();
    const r = await drive(N, CLIENTS, async (i, w) => {
      const res = await fetch(`${urls[w % urls.length]}/v1/records/case`, {
        method: 'POST',
        headers: auth(TOKENS.wang),
        body: JSON.stringify({ body: caseBody(`B-http-${i}`) }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    });
    const clientCpu = (selfCpu() - c0) / N;
    const serverCpu = procs.reduce((a, p, i) => a + procCpu(p.proc.pid!) - s0[i]!, 0) / N;
    return { name, n: N, ...r, serverCpu, clientCpu };
  } finally {
    for (const p of procs) p.proc.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.proc.exitCode !== null ? r(0) : p.proc.once('exit', r)))));
  }
}

const rows: Row[] = [];
const load0 = loadavg()[0]!;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'el-bench-serve-'));
  dirs.push(d);
  return d;
};
try {
  rows.push(await embedded(tmp()));
  {
    const d = tmp();
    const config = await servedFixture(d);
    rows.push(await overHttp(`HTTP → 1 serve process, LevelDB, ${CLIENTS} clients`, join(d, 'ledger'), config, 1));
  }
  if (PG) {
    for (const servers of SERVERS) {
      const d = tmp();
      const config = await servedFixture(d, {}, PG);
      rows.push(
        await overHttp(`HTTP → ${servers} serve processes, one PostgreSQL, ${CLIENTS} clients`, PG, config, servers),
      );
    }
  }
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
const base = rows[0]!;
const cmd = `npx tsx bench/serve.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
process.stdout.write(`${header('Appends over HTTP (issue 16)', cmd)}\n`);
process.stdout.write(
  `One run; 1-minute load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end. Each append is one enf/case record, acknowledged after its commit. Ledger-side CPU: the embedded process, or the serve process(es) (user + system, all threads).\n\n`,
);
process.stdout.write(
  `${table(
    ['setup', 'appends', 'rate', 'rate × embedded', 'ledger-side CPU/append', 'CPU × embedded', 'client CPU/append', 'errors'],
    rows.map((r) => [
      r.name,
      r.n,
      `${((r.n / r.ms) * 1000).toFixed(0)}/s`,
      (base.ms / r.ms).toFixed(2),
      `${(r.serverCpu / 1000).toFixed(2)} ms`,
      (r.serverCpu / base.serverCpu).toFixed(2),
      r.clientCpu ? `${(r.clientCpu / 1000).toFixed(2)} ms` : '—',
      r.errors,
    ]),
  )}\n`,
);
