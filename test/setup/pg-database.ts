/**
 * PostgreSQL for a test file: `freshDatabase()` gives the URL of a new, empty database on the run's one cluster. The
 * first caller of the run starts the cluster (test/setup/postgres-cluster.ts) and announces it in the run folder of the
 * global setup (test/setup/postgres.ts), which stops it at the end; other test files wait for the announcement.
 * EL_TEST_POSTGRES_URL points the tests at a server of your own instead (a role that may CREATE DATABASE).
 * If the server cannot start, this throws: tests that need PostgreSQL fail, they never skip.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createDatabase, startCluster } from './postgres-cluster';

let cluster: Promise<string> | undefined;

async function announced(runDir: string): Promise<string> {
  const ok = join(runDir, 'cluster.json');
  const failed = join(runDir, 'cluster-failed.txt');
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    if (existsSync(ok)) return (JSON.parse(readFileSync(ok, 'utf8')) as { url: string }).url;
    if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
    if (Date.now() > deadline)
      throw new Error('PostgreSQL: no cluster was announced by the test file starting it');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The URL of the run's cluster (its `postgres` database), starting it if this is the first ask of the run. */
export function clusterUrl(): Promise<string> {
  cluster ??= (async () => {
    if (process.env.EL_TEST_POSTGRES_URL) return process.env.EL_TEST_POSTGRES_URL;
    const runDir = inject('postgresRunDir');
    try {
      mkdirSync(join(runDir, 'starting'));
    } catch {
      return announced(runDir);
    }
    try {
      const c = await startCluster();
      writeFileSync(join(runDir, 'cluster.tmp'), JSON.stringify({ url: c.url, dir: c.dir }));
      renameSync(join(runDir, 'cluster.tmp'), join(runDir, 'cluster.json'));
      return c.url;
    } catch (err) {
      writeFileSync(join(runDir, 'cluster-failed.txt'), (err as Error).message);
      throw err;
    }
  })();
  return cluster;
}

/** A new empty database on the run's cluster; its postgres:// URL. */
export async function freshDatabase(): Promise<string> {
  return createDatabase(await clusterUrl());
}
