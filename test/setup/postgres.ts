/**
 * Vitest global setup for PostgreSQL: at most one throwaway cluster per run, started by the first test file that asks
 * for it (test/setup/pg-database.ts), shared by the others (each takes its own database), stopped and removed here at
 * the end of the run. A run that needs no PostgreSQL starts none.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the run's cluster is announced (cluster.json) once a test file started it. */
    postgresRunDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'el-pg-run-'));
  project.provide('postgresRunDir', dir);
  return () => {
    const f = join(dir, 'cluster.json');
    if (existsSync(f)) stopCluster((JSON.parse(readFileSync(f, 'utf8')) as { dir: string }).dir);
    rmSync(dir, { recursive: true, force: true });
  };
}
