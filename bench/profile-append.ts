/**
 * Where an append's time goes: runs one scenario under the V8 CPU profiler and prints the top functions by self time
 * (and grouped by area), so that bench/RESULTS.md can state the breakdown beside the numbers.
 * Run: npx tsx bench/profile-append.ts batched|sequential|concurrent|documents|documents-concurrent|raw-documents [count]
 * (`sequential`: awaited appends one at a time, after an untimed warm-up of 2,000 so that V8's compilation of the
 * one-entry path is not in the profile; `concurrent`: 64 callers, each awaiting its append before the next.)
 * (The profile is taken with node:inspector in this process: the same as `node --cpu-prof`, without the loader noise.
 * With PROFILE_OUT=file.cpuprofile the whole profile is written there too, for Chrome DevTools or an inclusive view.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createSigner } from '../src/crypto/signer';
import { Ledger } from '../src/ledger';
import { DOCUMENT_CASES, casesLedger, documentBody, officer } from './fixtures';

const scenario = process.argv[2] ?? 'batched';
const count = Number(
  process.argv[3] ??
    (scenario === 'batched' || scenario === 'concurrent'
      ? 20_000
      : scenario === 'sequential'
        ? 2_000
        : 1_000),
);
const seed = (i: number) => new Uint8Array(createHash('sha256').update(`bench key ${i}`).digest());

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
}

async function run(dir: string): Promise<() => Promise<void>> {
  if (scenario === 'batched' || scenario === 'sequential' || scenario === 'concurrent') {
    const root = createSigner(seed(0));
    const officer = createSigner(seed(1));
    const l = await Ledger.create(join(dir, 'l'), {
      origin: 'bench.example/profile',
      signer: root,
      kinds: [{ kind: 'bench/record', roles: ['officer'] }],
    });
    await l.registerKey({ publicKey: officer.publicKey, principal: 'o', roles: ['officer'] }, root);
    const one = (i: number) =>
      l.append(
        { kind: 'bench/record', body: { caseId: `JC-${i % 5000}`, n: i, summary: `现场检查 ${i}` } },
        officer,
      );
    if (scenario === 'sequential') {
      for (let i = 0; i < 2_000; i++) await one(count + i);
      return async () => {
        for (let i = 0; i < count; i++) await one(i);
        await l.close();
      };
    }
    if (scenario === 'concurrent')
      return async () => {
        let next = 0;
        await Promise.all(
          Array.from({ length: 64 }, async () => {
            while (next < count) await one(next++);
          }),
        );
        await l.close();
      };
    return async () => {
      for (let i = 0; i < count; i += 1000) {
        const inputs = [];
        for (let j = i; j < i + 1000; j++)
          inputs.push({
            kind: 'bench/record',
            body: { caseId: `JC-${j % 5000}`, n: j, summary: `现场检查 ${j} ${'x'.repeat(200)}` },
          });
        await l.appendBatch(inputs, officer);
      }
      await l.close();
    };
  }
  if (scenario === 'raw-documents') {
    // The peer of `documents`: the same bodies appended raw under a kind without hooks (no schema, checks or rows).
    const root = createSigner(seed(0));
    const wang = officer;
    const l = await Ledger.create(join(dir, 'raw'), {
      origin: 'bench.example/profile-raw',
      signer: root,
      kinds: [{ kind: 'bench/document', roles: ['officer'] }],
    });
    await l.registerKey({ publicKey: wang.publicKey, principal: 'P-wang', roles: ['officer'] }, root);
    return async () => {
      for (let i = 0; i < count; i++)
        await l.append({ kind: 'bench/document', body: { v: 1, ...documentBody(i) } }, wang);
      await l.close();
    };
  }
  // The bench's ledger and documents (bench/append.ts): the penalty example plus 16 cases of one open action each.
  const er = await casesLedger(join(dir, 'r'), DOCUMENT_CASES);
  const wang = officer;
  return async () => {
    if (scenario === 'documents-concurrent') {
      let next = 0;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < count) await er.recordDocument(documentBody(next++), wang);
        }),
      );
    } else for (let i = 0; i < count; i++) await er.recordDocument(documentBody(i), wang);
    await er.ledger.close();
  };
}

const dir = mkdtempSync(join(tmpdir(), 'el-profile-'));
try {
  const work = await run(dir);
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  await work();
  const { profile } = (await session.post('Profiler.stop')) as unknown as { profile: { nodes: Node[] } };
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile));
  const self = new Map<string, number>();
  let total = 0;
  for (const n of profile.nodes) {
    const file = n.callFrame.url.split('/').slice(-2).join('/');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + n.hitCount);
    total += n.hitCount;
  }
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  console.log(`scenario ${scenario}, ${count} entries, ${total} samples (main thread)`);
  for (const [k, v] of top) console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
