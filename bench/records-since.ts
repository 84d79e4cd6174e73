/**
 * Incremental record checks (issue 13, `since`): `verifyRecords({ from })` over the last 1,000 records of an
 * enforcement ledger, at a small size and at a large one, each beside the other in the same run. The cost should
 * follow the new records, not the log (target: ≤ 1.5× at 1M against 10k).
 *
 * Ledgers: the penalty example, then rounds of 50 inspection cases (case + action, one batch) and 1,000 documents
 * round-robin over that round's cases (a second batch), through `appendBatch` with the enforcement kinds (each
 * record's schema and references checked by the ledger as always, every signature checked), until the size; the
 * last 1,000 documents go to cases of the first round (so their lookups reach back to the start of the log). Built
 * once (`sync: false`) and cached under .tmp/bench/records-<size> (delete the folder to rebuild); the bench only reads them.
 *
 * Run: npx tsx bench/records-since.ts [--small 10000] [--big 1000000]
 *      npx tsx bench/records-since.ts --build <entries>   (only build the cached ledger)
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { EnforcementRecords, buildPenaltyCase, verifyRecords } from '../src/domain';
import type { CborValue } from '../src/ledger/types';
import { OFFICERS, T, actionBodyOf, caseBodyOf, officer } from './fixtures';
import { header, machine, table, timeIt } from './util';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SMALL = arg('--small', 10_000);
const BIG = arg('--big', 1_000_000);
const NEW = 1000;
const CASES = 50;
const CACHE = resolve('.tmp/bench');

interface Cached {
  readonly dir: string;
  readonly size: number;
  /** The first of the last NEW records: `verifyRecords({ from })` starts here. */
  readonly from: number;
}

const caseBodies = (round: number) =>
  Array.from({ length: CASES }, (_, c) => {
    const caseId = `R${round}-${c}`;
    return [
      { kind: 'enf/case', body: { v: 1, ...caseBodyOf(caseId) } },
      { kind: 'enf/action.start', body: { v: 1, ...actionBodyOf(caseId) } },
    ];
  }).flat();

let docNo = 0;
/** `n` documents round-robin over the cases of `round`; `tag` names the new ones (ids stay unique). */
const docBodies = (round: number, n: number, tag = 'DOC') =>
  Array.from({ length: n }, (_, i) => {
    const caseId = `R${round}-${i % CASES}`;
    const d = docNo++;
    return {
      kind: 'enf/document',
      body: {
        v: 1,
        documentId: `${caseId}-${tag}-${d}`,
        caseId,
        actionId: `${caseId}-ACT`,
        type: 'INQUIRY_RECORD',
        officers: OFFICERS,
        startedAt: T + (d % 1000) * 60_000,
        signatures: { officers: true, party: 'signed' },
      },
    };
  });

async function cached(n: number): Promise<Cached> {
  const base = join(CACHE, `records-${n}`);
  const dir = join(base, 'l');
  const meta = join(base, 'meta.json');
  if (existsSync(meta))
    return { dir, ...(JSON.parse(readFileSync(meta, 'utf8')) as { size: number; from: number }) };
  rmSync(base, { recursive: true, force: true });
  mkdirSync(base, { recursive: true });
  const t0 = performance.now();
  await buildPenaltyCase(dir);
  // Reopened without an fsync per batch: a fixture, rebuilt if lost.
  const l = (await EnforcementRecords.open(dir, { sync: false })).ledger;
  const batch = async (inputs: Array<{ kind: string; body: unknown }>) =>
    l.appendBatch(
      inputs.map((x) => ({ kind: x.kind, body: x.body as CborValue })),
      officer,
    );
  let round = 0;
  await batch(caseBodies(round));
  while (l.size < n - NEW) {
    if (round > 0) await batch(caseBodies(round));
    await batch(docBodies(round, Math.min(1000, Math.max(1, n - NEW - l.size))));
    round++;
  }
  const from = l.size;
  for (let i = 0; i < NEW; i += 250) await batch(docBodies(0, 250, 'NEW'));
  const size = l.size;
  await l.close();
  writeFileSync(meta, JSON.stringify({ size, from }));
  process.stderr.write(
    `built ${dir} (${size} entries) in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
  return { dir, size, from };
}

/** Median wall time and process CPU of five `verifyRecords({ from })` runs on the opened ledger. */
async function sinceCost(c: Cached): Promise<{ ms: number; cpuMs: number; checked: number }> {
  const er = await EnforcementRecords.open(c.dir);
  try {
    const runs: Array<{ ms: number; cpuMs: number; checked: number }> = [];
    for (let r = 0; r < 5; r++) {
      const c0 = process.cpuUsage();
      const v = await timeIt(() => verifyRecords(er.ledger, { from: c.from }));
      const cpu = process.cpuUsage(c0);
      if (!v.value.ok)
        throw new Error(`records do not verify: ${JSON.stringify(v.value.problems.slice(0, 3))}`);
      runs.push({ ms: v.ms, cpuMs: (cpu.user + cpu.system) / 1000, checked: v.value.checked });
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      ms: med(runs.map((r) => r.ms)),
      cpuMs: med(runs.map((r) => r.cpuMs)),
      checked: runs[0]!.checked,
    };
  } finally {
    await er.ledger.close();
  }
}

async function main() {
  const buildArg = process.argv.indexOf('--build');
  if (buildArg > 0) {
    await cached(Number(process.argv[buildArg + 1]));
    return;
  }
  const command = `npx tsx bench/records-since.ts ${process.argv.slice(2).join(' ')}`.trim();
  const small = await cached(SMALL);
  const big = await cached(BIG);
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
  const s = await sinceCost(small);
  const b = await sinceCost(big);
  const s2 = await sinceCost(small);
  const sm = { ms: Math.min(s.ms, s2.ms), cpuMs: Math.min(s.cpuMs, s2.cpuMs) };
  const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');
  console.log(header('Incremental record checks (issue 13)', command));
  console.log(
    `${machine()}; load average at start ${load}, at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(
        ', ',
      )}. Small size measured before and after the big one (the lower of the two medians is the peer).\n`,
  );
  console.log(
    table(
      ['measure', 'value', 'peer (same run)', 'ratio', 'target', 'verdict'],
      [
        [
          `verifyRecords({ from }): last ${NEW} records (${b.checked} checked) at ${big.size}`,
          `${b.ms.toFixed(1)} ms (CPU ${b.cpuMs.toFixed(1)} ms)`,
          `at ${small.size}: ${sm.ms.toFixed(1)} ms (CPU ${sm.cpuMs.toFixed(1)} ms)`,
          `${(b.ms / sm.ms).toFixed(2)} (CPU ${(b.cpuMs / sm.cpuMs).toFixed(2)})`,
          '≤ 1.5× (1M vs 10k)',
          `${verdict(b.ms / sm.ms <= 1.5 && b.cpuMs / sm.cpuMs <= 1.5)}${big.size < 1_000_000 ? ` at ${big.size}` : ''}`,
        ],
      ],
    ),
  );
}

await main();
