/**
 * Several real processes append to one PostgreSQL ledger at once (issue 16.2), on loopback, bounded: three appenders
 * of 200 notes each and a fourth killed with SIGKILL mid-load, at a moment its session is inside a group commit
 * (pg_stat_activity: idle in transaction, holding the head lock). Afterwards: the log verifies clean, every acknowledged
 * append is at the seq it was acknowledged with, every note is in the log at most once, every finished appender's
 * notes all are, the seqs have no gap, and the survivors were not held up by the killed one's open transaction.
 */
import { onLines } from '../setup/lines';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { noteKind, noteLedger, testSigner } from '../ledger/helpers';
import { freshDatabase } from '../setup/pg-database';

const child = fileURLToPath(new URL('./pg-appender.ts', import.meta.url));

interface Appender {
  readonly proc: ChildProcess;
  /** n → seq, as acknowledged. */
  readonly acks: Map<number, number>;
  readonly ready: Promise<void>;
  /** Exit code (null when killed by a signal) and stderr. */
  readonly exited: Promise<{ code: number | null; stderr: string }>;
  /** Resolves once `count` appends are acknowledged. */
  acked(count: number): Promise<void>;
}

function start(url: string, worker: number, count: number): Appender {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, url, String(worker), String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks = new Map<number, number>();
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  onLines(proc.stdout!, (line) => {
    if (line === 'ready') onReady();
    const m = /^ack (\d+) (\d+)$/.exec(line);
    if (m) acks.set(Number(m[2]), Number(m[1]));
    for (const w of waiters.splice(0))
      if (acks.size >= w.count) w.resolve();
      else waiters.push(w);
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) =>
    proc.on('exit', (code) => {
      onReady();
      for (const w of waiters.splice(0)) w.resolve();
      resolve({ code, stderr });
    }),
  );
  return {
    proc,
    acks,
    ready,
    exited,
    acked: (count) =>
      new Promise<void>((resolve) => {
        if (acks.size >= count || proc.exitCode !== null) resolve();
        else waiters.push({ count, resolve });
      }),
  };
}

describe('several processes append to one PostgreSQL ledger', () => {
  it('three appenders and one killed with SIGKILL: no gap, no duplicate, nothing acknowledged lost, verify ok', async () => {
    const url = await freshDatabase();
    const root = testSigner(0);
    const officer = testSigner(1);
    const first = await noteLedger(url, 'test.example/pg-many', root, officer);
    const base = first.size;
    await first.close();

    const PER = 200;
    const victim = start(`${url}?application_name=el_victim`, 9, 5_000);
    const appenders = [1, 2, 3].map((w) => start(url, w, PER));
    await Promise.all([victim.ready, ...appenders.map((a) => a.ready)]);
    // Kill the victim while everyone appends: its open transaction (if any) holds the head lock until PostgreSQL
    // sees the connection drop and rolls it back.
    await victim.acked(40);
    // …at a moment its session is inside a group commit's transaction, holding the head lock between statements
    // (building and signing), as pg_stat_activity shows it.
    const watch = new pg.Client({ connectionString: url });
    await watch.connect();
    let inTransaction = false;
    try {
      for (let i = 0; i < 4000 && !inTransaction; i++) {
        const r = await watch.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE application_name = 'el_victim' AND state = 'idle in transaction' AND backend_xid IS NOT NULL`,
        );
        if (r.rows[0].n > 0) {
          victim.proc.kill('SIGKILL');
          inTransaction = true;
        }
      }
    } finally {
      await watch.end();
    }
    expect(inTransaction).toBe(true);
    const killed = await victim.exited;
    expect(killed.code).toBeNull();
    const results = await Promise.all(appenders.map((a) => a.exited));
    for (const r of results) expect(r, r.stderr).toEqual({ code: 0, stderr: '' });

    const ledger = await Ledger.open(url, { kinds: [noteKind] });
    try {
      const report = await ledger.verify();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
      // Every entry, in order, once: the seqs run 0..size-1 and each note number appears once.
      const seen = new Map<number, number>();
      let next = 0;
      for await (const e of ledger.entries()) {
        expect(e.seq).toBe(next++);
        if (e.seq < base) continue;
        const n = (e.body as { n: number }).n;
        expect(seen.has(n), `note ${n} twice`).toBe(false);
        seen.set(n, e.seq);
      }
      expect(next).toBe(ledger.size);
      // Every acknowledged append is where it was acknowledged: the finished appenders' all, the victim's too.
      for (const a of [...appenders, victim])
        for (const [n, seq] of a.acks) expect(seen.get(n), `note ${n}`).toBe(seq);
      for (const a of appenders) expect(a.acks.size).toBe(PER);
      expect(victim.acks.size).toBeGreaterThanOrEqual(40);
      // Nothing else: the log holds the finished appenders' notes and a prefix-free subset of the victim's.
      const victimNotes = [...seen.keys()].filter((n) => n >= 9_000_000);
      expect(seen.size - victimNotes.length).toBe(3 * PER);
      expect(victimNotes.length).toBeGreaterThanOrEqual(victim.acks.size);
      // The appenders really interleaved (each took turns at the head lock).
      const owners = [...seen.entries()].sort((x, y) => x[1] - y[1]).map(([n]) => Math.floor(n / 1_000_000));
      let switches = 0;
      for (let i = 1; i < owners.length; i++) if (owners[i] !== owners[i - 1]) switches++;
      expect(switches).toBeGreaterThan(10);
    } finally {
      await ledger.close();
    }
  });
});
