/**
 * `serve` over PostgreSQL (a real server, test/setup/pg-database.ts), on loopback, bounded: two server processes on one
 * ledger, 16 concurrent clients × 50 cases spread over both; one server is killed with SIGKILL mid-load and its
 * clients move to the other; a third server started afterwards catches up and appends. Afterwards: every
 * acknowledged append is in the log exactly once at the seq and leaf hash it was acknowledged with, a server reads what
 * another appended, nothing was
 * appended that was neither acknowledged nor in flight at the kill, the two servers' appends interleave in one chain,
 * and the ledger verifies clean. Every server runs `--checkpoint-every 50ms`: without any explicit call, the served
 * checkpoint comes to cover every entry, and the servers between them record one checkpoint per new size (no
 * checkpoint entry right after another, however the ticks of three servers interleave).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EnforcementRecords } from '../../src/domain';
import { INDEX } from '../../src/domain/spec';
import { CORE_KIND_INDEX } from '../../src/ledger/rows';
import { tempDir } from '../ledger/helpers';
import { freshDatabase } from '../setup/pg-database';
import { TOKENS, auth, caseBody, expectEachAckOnce, servedFixture, startServe } from './helpers';

const { dir, cleanup } = tempDir('el-serve-pg-');
afterAll(cleanup);

describe('serve over PostgreSQL', () => {
  it('two servers, 16 clients, one server killed -9 mid-load: nothing acknowledged lost, verify ok', async () => {
    const url = await freshDatabase();
    const config = await servedFixture(dir, {}, url);
    const every = ['--checkpoint-every', '50ms'];
    const servers = [startServe(url, config, every), startServe(url, config, every)];
    const urls = await Promise.all(servers.map((s) => s.url));
    const acks = new Map<number, { caseId: string; leafHash: string; server: number }>();
    const inFlightAtKill = new Set<string>();
    let killed = false;
    const CLIENTS = 16;
    const PER_CLIENT = 50;

    const client = async (c: number) => {
      let server = c % 2;
      for (let i = 0; i < PER_CLIENT; i++) {
        const caseId = `C-pg-${c}-${i}`;
        let r: Response;
        try {
          r = await fetch(`${urls[server]}/v1/records/case`, {
            method: 'POST',
            headers: auth(TOKENS.wang),
            body: JSON.stringify({ body: caseBody(caseId) }),
          });
        } catch {
          // The killed server: this append may or may not have committed. Move to the other server.
          expect(server).toBe(1);
          expect(killed).toBe(true);
          inFlightAtKill.add(caseId);
          server = 0;
          continue;
        }
        const text = await r.text();
        expect(r.status, text).toBe(201);
        const a = JSON.parse(text) as { seq: number; leafHash: string };
        expect(acks.has(a.seq), `seq ${a.seq} acknowledged twice`).toBe(false);
        acks.set(a.seq, { caseId, leafHash: a.leafHash, server });
      }
    };
    const load = Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
    while (acks.size < 250) await new Promise((r) => setTimeout(r, 20));
    killed = true;
    servers[1]!.proc.kill('SIGKILL');
    expect(await servers[1]!.exit).toBeNull(); // killed, not exited
    await load;
    expect(acks.size).toBe(CLIENTS * PER_CLIENT - inFlightAtKill.size);
    // Both servers appended before the kill: their entries interleave in one log.
    const byServer = [0, 1].map((s) => [...acks.values()].filter((a) => a.server === s).length);
    expect(byServer[0]).toBeGreaterThan(0);
    expect(byServer[1]).toBeGreaterThan(0);

    // A server started now catches up with the log the others wrote, and appends after it.
    const third = startServe(url, config, every);
    const thirdUrl = await third.url;
    const last = Math.max(...acks.keys());
    const r = await fetch(`${thirdUrl}/v1/records/case`, {
      method: 'POST',
      headers: auth(TOKENS.wang),
      body: JSON.stringify({ body: caseBody('C-pg-third') }),
    });
    expect(r.status).toBe(201);
    const thirdSeq = ((await r.json()) as { seq: number }).seq;
    expect(thirdSeq).toBeGreaterThan(last);
    // The first server reads what the third appended (it catches up before a read), with a proof at the new size.
    const seen = await fetch(`${urls[0]}/v1/entries/${thirdSeq}`, { headers: auth(TOKENS.wang, false) });
    expect(seen.status).toBe(200);
    expect(((await seen.json()) as { body: { caseId: string } }).body.caseId).toBe('C-pg-third');
    const log = (await (await fetch(`${urls[0]}/v1/log`, { headers: auth(TOKENS.wang, false) })).json()) as {
      size: number;
    };
    expect(log.size).toBeGreaterThan(thirdSeq);

    // The scheduled checkpoints catch up with the log (bounded wait): the served checkpoint covers every entry but
    // itself, and stays so (the servers' idle ticks add nothing).
    let covered = false;
    for (let i = 0; i < 600 && !covered; i++) {
      const [cp, now] = await Promise.all([
        fetch(`${urls[0]}/checkpoint`, { headers: auth(TOKENS.wang, false) }).then((x) => x.text()),
        fetch(`${thirdUrl}/v1/log`, { headers: auth(TOKENS.wang, false) }).then((x) => x.json()),
      ]);
      covered = Number(cp.split('\n')[1]) === (now as { size: number }).size - 1;
      if (!covered) await new Promise((r) => setTimeout(r, 50));
    }
    expect(covered).toBe(true);

    for (const s of [servers[0]!, third]) s.proc.kill('SIGTERM');
    expect(await servers[0]!.exit).toBe(0);
    expect(await third.exit).toBe(0);

    const er = await EnforcementRecords.open(url);
    try {
      await expectEachAckOnce(er, acks);
      // Nothing else was appended: the other C-pg cases are the ones in flight at the kill (each at most once).
      const pgCases = (await er.ledger.lookupRange(INDEX.id('case'))).filter((x) =>
        x.key.startsWith('C-pg-'),
      );
      const extra = pgCases.filter((x) => !acks.has(x.seq) && x.key !== 'C-pg-third');
      for (const x of extra) expect(inFlightAtKill.has(x.key), x.key).toBe(true);
      expect(new Set(pgCases.map((x) => x.key)).size).toBe(pgCases.length);
      // One checkpoint per new size: each scheduled checkpoint covers the entries before it, and none follows another.
      const cps = await er.ledger.lookup(CORE_KIND_INDEX, 'core/checkpoint');
      expect(cps.length).toBeGreaterThan(1);
      for (const seq of cps) {
        expect(cps.includes(seq - 1), `checkpoints at ${seq - 1} and ${seq}`).toBe(false);
        const note = ((await er.ledger.get(seq)).body as { note: string }).note;
        expect(er.ledger.verifyOwnCheckpoint(note).size).toBe(seq);
      }
      const report = await er.verify();
      expect(report.problems).toEqual([]);
      expect(report.ok).toBe(true);
    } finally {
      await er.ledger.close();
    }
  });
});
