/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temporary folder, `pg_ctl start` on a free
 * loopback port (listen_addresses=127.0.0.1, its Unix socket in the same folder), `stop` removes it all. The server
 * binaries are Debian's (/usr/lib/postgresql/<version>/bin; `.ci/run` installs the postgresql package), or the folder
 * in EL_PG_BIN. PostgreSQL refuses to run as root: as root, the cluster is made and run by the `postgres` system user.
 * Nothing is mocked: when the server cannot start, `startCluster` throws with the server's own log.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';

export interface Cluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  readonly url: string;
  readonly dir: string;
  /** The server's major version (from its binaries' folder). */
  readonly version: string;
  stop(): void;
}

let counter = 0;

/** A new empty database on the server at `baseUrl`; its postgres:// URL. */
export async function createDatabase(baseUrl: string): Promise<string> {
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const c = new pg.Client({ connectionString: baseUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The folder holding initdb and pg_ctl: EL_PG_BIN, else the newest /usr/lib/postgresql/<n>/bin, else undefined. */
export function findPgBin(): string | undefined {
  const given = process.env.EL_PG_BIN;
  if (given) return existsSync(join(given, 'initdb')) ? given : undefined;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => /^\d+$/.test(v) && existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0]!, 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function postgresIds(): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/** Runs a server binary, as the `postgres` user when we are root. */
function run(bin: string, args: string[]): string {
  const asRoot = process.getuid?.() === 0;
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
}

/** Stops the cluster made by `startCluster` in `dir` (if it runs) and removes the folder. */
export function stopCluster(dir: string): void {
  const data = join(dir, 'data');
  const bin = findPgBin();
  try {
    if (bin && existsSync(join(data, 'postmaster.pid')))
      run(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
}

export async function startCluster(): Promise<Cluster> {
  const bin = findPgBin();
  if (!bin)
    throw new Error(
      'PostgreSQL server binaries not found (no /usr/lib/postgresql/<n>/bin/initdb, EL_PG_BIN unset): ' +
        'install them with `apt-get install postgresql` (.ci/run does on a fresh machine)',
    );
  const dir = mkdtempSync(join(tmpdir(), 'el-pg-'));
  const data = join(dir, 'data');
  const sock = join(dir, 'sock');
  mkdirSync(sock);
  if (process.getuid?.() === 0) {
    const { uid, gid } = postgresIds();
    for (const p of [dir, sock]) chownSync(p, uid, gid);
  }
  const log = join(dir, 'server.log');
  const stop = () => stopCluster(dir);
  try {
    run(join(bin, 'initdb'), [
      '-D',
      data,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    const port = await freePort();
    run(join(bin, 'pg_ctl'), [
      '-D',
      data,
      '-l',
      log,
      '-w',
      '-t',
      '300',
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${sock} -c max_connections=200`,
      'start',
    ]);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      dir,
      version: basename(dirname(bin)),
      stop,
    };
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    let serverLog = '';
    try {
      serverLog = readFileSync(log, 'utf8').slice(-2000);
    } catch {}
    stop();
    throw new Error(
      `PostgreSQL could not start (${bin}): ${e.stderr?.trim() || e.message}${serverLog ? `\nserver log:\n${serverLog}` : ''}`,
    );
  }
}
