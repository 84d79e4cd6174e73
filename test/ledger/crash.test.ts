/**
 * Durability (docs/ARCHITECTURE.md invariant 1): a child appends continuously and prints each acknowledged seq; it is killed
 * with SIGKILL at random moments; after each kill the ledger reopens, verifies clean and holds every acknowledged
 * entry. Also: a second process opening the same folder gets STORAGE_LOCKED at once.
 */
import { onLines } from '../setup/lines';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import { bundleChild } from '../setup/bundle-child';
import { noteKind, tempDir } from './helpers';

/** crash-child.ts, bundled once for this file (started with node alone: no tsx at each of the 21 starts). */
let child: string;
beforeAll(async () => {
  child = await bundleChild(fileURLToPath(new URL('./crash-child.ts', import.meta.url)));
});

function start(dir: string): {
  proc: ChildProcess;
  acks: Map<number, number>;
  ready: Promise<void>;
  exited: Promise<void>;
} {
  const proc = spawn(process.execPath, [child, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks = new Map<number, number>();
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    onReady = r;
  });
  onLines(proc.stdout!, (line) => {
    if (line === 'ready') onReady();
    const m = /^ack (\d+) (\d+)$/.exec(line);
    if (m) acks.set(Number(m[1]), Number(m[2]));
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  void exited.then(() => {
    if (stderr.trim()) process.stderr.write(`crash-child stderr: ${stderr}\n`);
  });
  return { proc, acks, ready, exited };
}

describe('crash safety', () => {
  const { dir, cleanup } = tempDir('el-crash-');
  afterAll(cleanup);
  const path = `${dir}/ledger`;

  it('every acknowledged append survives SIGKILL at 20 random moments, and the log verifies', async () => {
    const allAcks = new Map<number, number>();
    for (let round = 0; round < 20; round++) {
      const c = start(path);
      await c.ready;
      await new Promise((r) => setTimeout(r, 20 + Math.floor(Math.random() * 300)));
      c.proc.kill('SIGKILL');
      await c.exited;
      for (const [s, i] of c.acks) allAcks.set(s, i);
      const ledger = await Ledger.open(path, { kinds: [noteKind] });
      try {
        const report = await ledger.verify();
        expect(report.problems).toEqual([]);
        for (const [s, i] of c.acks) {
          expect(s).toBeLessThan(ledger.size);
          expect((await ledger.get(s)).body).toMatchObject({ n: i });
        }
      } finally {
        await ledger.close();
      }
    }
    expect(allAcks.size).toBeGreaterThan(20);
  });

  it('a second process opening the same folder fails with STORAGE_LOCKED', async () => {
    const c = start(path);
    await c.ready;
    try {
      const err = await Ledger.open(path, { kinds: [noteKind] }).catch((e) => e);
      expect(err?.code).toBe('STORAGE_LOCKED');
    } finally {
      c.proc.kill('SIGKILL');
      await c.exited;
    }
  });
});
