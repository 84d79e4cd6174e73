/**
 * Periodic checkpoints: `Ledger.checkpointIfGrown` signs only when the log's last entry is not a checkpoint (also when
 * two calls share one group commit), and `listen({ checkpointEveryMs })` — `serve --checkpoint-every` — makes the
 * newest checkpoint cover every entry without anyone asking, then writes nothing while the log is idle. The CLI refuses
 * a bad duration and a config without a checkpoint key. Several servers on one PostgreSQL ledger: test/serve/postgres.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryLevel } from 'memory-level';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyCheckpoint } from '../../src/checkpoint';
import { nodeSuite } from '../../src/crypto/node';
import { Ledger } from '../../src/ledger';
import { listen, parseDuration, tokenDigest } from '../../src/serve';
import { cli } from '../cli/helpers';
import { noteBody, noteKind, stepClock, tempDir, testSigner } from '../ledger/helpers';
import { publicReadServing } from './helpers';

const { dir, cleanup } = tempDir('el-serve-cpe-');
afterAll(cleanup);

const root = testSigner(1);
const officer = testSigner(2);

async function ledgerOf(origin: string): Promise<Ledger> {
  const ledger = await Ledger.create(
    new MemoryLevel({ keyEncoding: 'view', valueEncoding: 'view' }) as never,
    {
      origin,
      signer: root,
      checkpointSigner: root,
      kinds: [noteKind],
      clock: stepClock(),
    },
  );
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
    root,
  );
  return ledger;
}

const lastIsCheckpoint = async (ledger: Ledger) =>
  (await ledger.get(ledger.size - 1)).kind === 'core/checkpoint';

describe('Ledger.checkpointIfGrown', () => {
  it('signs when the log grew, then nothing until it grows again', async () => {
    const ledger = await ledgerOf('cpe.test/a');
    try {
      const first = await ledger.checkpointIfGrown();
      expect(first).toBeDefined();
      const size = ledger.size;
      expect(await lastIsCheckpoint(ledger)).toBe(true);
      expect(await ledger.checkpointIfGrown()).toBeUndefined();
      expect(ledger.size).toBe(size); // nothing written
      // checkpoint() still signs unconditionally.
      await ledger.checkpoint();
      expect(ledger.size).toBe(size + 1);
      await ledger.append({ kind: 'test/note', body: noteBody(1) }, officer);
      const note = await ledger.checkpointIfGrown();
      expect(ledger.verifyOwnCheckpoint(note!).size).toBe(size + 2);
    } finally {
      await ledger.close();
    }
  });

  it('writes one checkpoint when two calls share a group commit', async () => {
    const ledger = await ledgerOf('cpe.test/b');
    try {
      await ledger.append({ kind: 'test/note', body: noteBody(1) }, officer);
      const size = ledger.size;
      const [a, b] = await Promise.all([ledger.checkpointIfGrown(), ledger.checkpointIfGrown()]);
      expect([a, b].filter((n) => n !== undefined)).toHaveLength(1);
      expect(ledger.size).toBe(size + 1);
      expect(await ledger.checkpoints()).toHaveLength(1);
    } finally {
      await ledger.close();
    }
  });
});

describe('serve --checkpoint-every', () => {
  it('reads durations', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    for (const bad of ['', '5', '0s', '-1s', '1.5s', '05s', '1d', 's', '1 s'])
      expect(parseDuration(bad)).toBeUndefined();
  });

  it('keeps the served checkpoint covering every entry, and writes nothing while the log is idle', async () => {
    const ORIGIN = 'cpe.test/served';
    const ledger = await ledgerOf(ORIGIN);
    const { config, served } = await publicReadServing(ledger);
    const srv = await listen({
      served,
      config,
      port: 0,
      host: '127.0.0.1',
      log: () => {},
      checkpointEveryMs: 20,
    });
    try {
      /** The served checkpoint's size, once it covers every entry but itself (bounded wait). */
      const covered = async () => {
        for (let i = 0; i < 1000; i++) {
          const r = await fetch(`${srv.url}/checkpoint`);
          if (r.status === 200) {
            const size = verifyCheckpoint(
              await r.text(),
              [{ name: ORIGIN, publicKey: root.publicKey }],
              nodeSuite,
            ).checkpoint.size;
            if (size === ledger.size - 1) return size;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
        throw new Error(`no checkpoint covered the ${ledger.size} entries`);
      };
      const s1 = await covered();
      for (let i = 0; i < 30; i++) await ledger.append({ kind: 'test/note', body: noteBody(i) }, officer);
      const s2 = await covered();
      expect(s2).toBeGreaterThan(s1 + 30);
      // Idle: over many intervals nothing is appended (no checkpoint of a checkpoint).
      const idle = ledger.size;
      await new Promise((r) => setTimeout(r, 300));
      expect(ledger.size).toBe(idle);
      // One checkpoint per new size: no checkpoint entry follows another.
      const kinds = [];
      for await (const e of ledger.entries()) kinds.push(e.kind);
      for (let i = 1; i < kinds.length; i++)
        expect(kinds[i] === 'core/checkpoint' && kinds[i - 1] === 'core/checkpoint', `entry ${i}`).toBe(
          false,
        );
    } finally {
      await srv.close();
    }
  });

  it('refuses a bad duration and a config without a checkpoint key (USAGE, before opening anything)', async () => {
    const config = join(dir, 'serve.json');
    writeFileSync(
      config,
      JSON.stringify({
        format: 'enforcement-ledger/serve@1',
        principals: [{ id: 'r', tokenSha256: tokenDigest('t'), scopes: ['read'] }],
      }),
    );
    const missing = join(dir, 'no-ledger-here');
    const bad = await cli(['serve', missing, '--config', config, '--checkpoint-every', '5']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--checkpoint-every 5: a duration/);
    const noKey = await cli(['serve', missing, '--config', config, '--checkpoint-every', '1s']);
    expect(noKey.code).not.toBe(0);
    expect(noKey.stderr).toMatch(/needs a checkpointKey/);
  });
});
