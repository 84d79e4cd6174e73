/**
 * Appends over HTTP (`enforcement-ledger serve`) against the embedded ledger, in the same run: 64 concurrent callers
 * each opening cases (`enf/case`, signed by officer Wang's key, checked against the agency and officers) until N cases
 * are appended.
 *
 *   embedded   EnforcementRecords.openCase in this process, 64 concurrent awaited calls (LevelDB)
 *   http       64 concurrent fetch clients → `serve` child process(es) → the same call, acknowledged after commit
 *
 * LevelDB has one writer process, so its HTTP row has one server. With `--pg` the PostgreSQL rows run too: the embedded
 * ledger on PostgreSQL (the storage peer), then `--servers` serve processes (default 1 and 4) on one ledger, clients
 * spread round-robin; each row gets a fresh database on a throwaway cluster (test/setup/postgres-cluster.ts), or on the
 * server of `--pg=<postgres://…>` (a role that may CREATE DATABASE). The clients run in this process: on a 2-core
 * machine client, server and database share the cores, so ratios to the embedded row and CPU per append are the
 * figures to read.
 *
 * `--check`: after each HTTP row, the log holds every acknowledged case exactly once at its acknowledged seq and nothing
 * else, and verifies (printed under the table).
 *
 *   npx tsx bench/serve.ts [--quick] [--n=2000] [--clients=64] [--pg[=postgres://…]] [--servers=1,4] [--no-level] [--check]
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { EnforcementRecords } from '../src/domain';
import { INDEX } from '../src/domain/spec';
import { isPostgresUrl } from '../src/ledger/pg-store';
import { exampleSigner } from '../src/domain';
import { nodeSuite } from '../src/crypto/node';
import { TOKENS, auth, caseBody, servedFixture, startServe } from '../test/serve/helpers';
import { type Cluster, startCluster } from '../test/setup/postgres-cluster';
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

interface Row {
  readonly name: string;
  readonly storage: 'LevelDB' | 'PostgreSQL';
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

async function embedded(dir: string, at: string, name: string): Promise<Row> {
  await servedFixture(dir, {}, at);
  const er = await EnforcementRecords.open(at);
  const wang = exampleSigner('P-wang', nodeSuite.hash);
  try {
    const c0 = selfCpu();
    const r = await drive(N, CLIENTS, async (i) => {
      await er.openCase(caseBody(`B-emb-${i}`) as never, wang);
      return true;
    });
    const serverCpu = (selfCpu() - c0) / N;
    return {
      name,
      storage: isPostgresUrl(at) ? 'PostgreSQL' : 'LevelDB',
      n: N,
      ...r,
      serverCpu,
      clientCpu: 0,
    };
  } finally {
    await er.ledger.close();
  }
}

async function overHttp(name: string, target: string, config: string, servers: number): Promise<Row> {
  const procs = Array.from({ length: servers }, () => startServe(target, config));
  procs.forEach((p) => {
    p.url.catch(() => {});
  });
  try {
    const urls = await Promise.all(procs.map((p) => p.url));
    const s0 = procs.map((p) => procCpu(p.proc.pid!));
    const c0 = selfCpu();
    const acked = new Map<number, string>();
    const r = await drive(N, CLIENTS, async (i, w) => {
      const res = await fetch(`${urls[w % urls.length]}/v1/records/case`, {
        method: 'POST',
        headers: auth(TOKENS.wang),
        body: JSON.stringify({ body: caseBody(`B-http-${i}`) }),
      });
      const text = await res.text();
      if (res.status !== 201) return false;
      const seq = (JSON.parse(text) as { seq: number }).seq;
      if (acked.has(seq)) throw new Error(`seq ${seq} acknowledged twice`);
      acked.set(seq, `B-http-${i}`);
      return true;
    });
    const clientCpu = (selfCpu() - c0) / N;
    const serverCpu = procs.reduce((a, p, i) => a + procCpu(p.proc.pid!) - s0[i]!, 0) / N;
    if (CHECK) {
      // Every acknowledged append in the log exactly once at its seq, nothing else appended, and verify.
      for (const p of procs) p.proc.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exit));
      const er = await EnforcementRecords.open(target);
      try {
        const rows = (await er.ledger.lookupRange(INDEX.id('case'))).filter((x) =>
          x.key.startsWith('B-http-'),
        );
        const keys = new Set(rows.map((x) => x.key));
        const atSeq = rows.every((x) => acked.get(x.seq) === x.key);
        const report = await er.verify();
        checks.push(
          `${name}: ${acked.size} acknowledged, ${rows.length} in the log (${keys.size} distinct), each at its acknowledged seq: ${atSeq && rows.length === acked.size && keys.size === rows.length ? 'yes' : 'NO'}; verify ${report.ok ? 'ok' : `FAILED (${report.problems.length} problems)`}`,
        );
      } finally {
        await er.ledger.close();
      }
    }
    return {
      name,
      storage: isPostgresUrl(target) ? 'PostgreSQL' : 'LevelDB',
      n: N,
      ...r,
      serverCpu,
      clientCpu,
    };
  } finally {
    for (const p of procs) if (p.proc.exitCode === null) p.proc.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exit));
  }
}

const CHECK = args.has('check');
const checks: string[] = [];
const rows: Row[] = [];
const load0 = loadavg()[0]!;
const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'el-bench-serve-'));
  dirs.push(d);
  return d;
};
let cluster: Cluster | undefined;
async function freshDatabase(): Promise<string> {
  let base = PG;
  if (!base || base === 'true') {
    cluster ??= await startCluster();
    base = cluster.url;
  }
  const name = `bench_serve_${Date.now().toString(36)}_${dirs.length}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

try {
  if (!args.has('no-level')) {
    const d0 = tmp();
    rows.push(await embedded(d0, join(d0, 'ledger'), `embedded LevelDB, ${CLIENTS} concurrent callers`));
    const d = tmp();
    const config = await servedFixture(d);
    rows.push(
      await overHttp(`HTTP → 1 serve process, LevelDB, ${CLIENTS} clients`, join(d, 'ledger'), config, 1),
    );
  }
  if (PG) {
    rows.push(
      await embedded(tmp(), await freshDatabase(), `embedded PostgreSQL, ${CLIENTS} concurrent callers`),
    );
    for (const servers of SERVERS) {
      const url = await freshDatabase();
      const config = await servedFixture(tmp(), {}, url);
      rows.push(
        await overHttp(
          `HTTP → ${servers} serve process(es), one PostgreSQL, ${CLIENTS} clients`,
          url,
          config,
          servers,
        ),
      );
    }
  }
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  cluster?.stop();
}
const embeddedOf = (storage: Row['storage']) => rows.find((r) => r.storage === storage && r.clientCpu === 0);
const level = embeddedOf('LevelDB');
const cmd = `npx tsx bench/serve.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`;
process.stdout.write(`${header('Appends over HTTP (issue 16)', cmd)}\n`);
process.stdout.write(
  `One run; 1-minute load average ${load0.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end. Each append is one enf/case record, acknowledged after its commit. Ledger-side CPU: the embedded process, or the serve process(es) (user + system, all threads).\n\n`,
);
process.stdout.write(
  `${table(
    [
      'setup',
      'appends',
      'rate',
      'rate × embedded LevelDB',
      'rate × embedded, same storage',
      'ledger-side CPU/append',
      'CPU × embedded, same storage',
      'client CPU/append',
      'errors',
    ],
    rows.map((r) => {
      const peer = embeddedOf(r.storage) ?? r;
      return [
        r.name,
        r.n,
        `${((r.n / r.ms) * 1000).toFixed(0)}/s`,
        level ? (level.ms / r.ms).toFixed(2) : '—',
        (peer.ms / r.ms).toFixed(2),
        `${(r.serverCpu / 1000).toFixed(2)} ms`,
        (r.serverCpu / peer.serverCpu).toFixed(2),
        r.clientCpu ? `${(r.clientCpu / 1000).toFixed(2)} ms` : '—',
        r.errors,
      ];
    }),
  )}\n`,
);
if (checks.length) process.stdout.write(`\nChecks:\n${checks.map((c) => `- ${c}`).join('\n')}\n`);
