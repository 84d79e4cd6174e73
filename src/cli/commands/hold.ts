/**
 * `retention hold`: a legal hold (`ret/hold`, archivist or head) on a case or on listed records of it: while it is in
 * force no content it covers may be purged (Art. 27; `retention purge` refuses with PURGE_UNDER_HOLD).
 * `retention release <holdId>`: its release (`ret/hold.release`, archivist or head). Unknown case, record or hold, a
 * released hold, a key without the role: one error line, nothing written.
 */
import { INDEX } from '../../domain/spec';
import type { Ledger } from '../../ledger';
import { RET, Retention, holdsOn, ledgerReader } from '../../retention';
import type { HoldBody } from '../../retention/kinds';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { requireDeclared } from './retention';
import { type ScopeOptions, coveredRecords, freshId, resolveScope, scopeJson } from './scope';

type HeldRecord = OutputOf<'retention hold'>['records'][number];

/** The records a hold covers, each with the holds in force on it now. */
async function heldRecords(ledger: Ledger, scope: HoldBody): Promise<HeldRecord[]> {
  const r = ledgerReader(ledger);
  const out: HeldRecord[] = [];
  for (const rec of await coveredRecords(ledger, scope))
    out.push({ ...rec, holds: await holdsOn(r, await ledger.get(rec.seq)) });
  return out;
}

export async function retentionHold(
  ctx: Ctx,
  o: ScopeOptions & { holdId?: string; reason: string; key: string },
): Promise<Outcome> {
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, RET.hold);
    const scope = await resolveScope(ledger, o);
    const holdId = freshId('H', o.holdId);
    const ret = new Retention(ledger, store, { clock: ctx.clock });
    const res = await ret.hold({ holdId, ...scope, reason: o.reason, placedAt: ctx.clock() }, signer);
    const [entry] = await appendedSince(ledger, res.seq);
    const body = (await ledger.get(res.seq, RET.hold)).body;
    const data: Omit<OutputOf<'retention hold'>, 'format' | 'command'> = {
      holdId,
      caseId: scope.caseId,
      ...scopeJson(scope),
      reason: o.reason,
      placedAt: body.placedAt,
      entry: entry!,
      records: await heldRecords(ledger, body),
    };
    return {
      command: 'retention hold',
      exit: 0,
      data,
      human: (l) =>
        [
          l === 'zh'
            ? `已对案件 ${scope.caseId} 的 ${data.records.length} 份记录实施保全 ${holdId}（#${res.seq}），解除前不得销毁`
            : `Legal hold ${holdId} placed on ${data.records.length} record(s) of case ${scope.caseId} (#${res.seq}); none may be purged until it is released`,
          ...data.records.map((r) => `  #${r.seq} ${r.kind} ${r.recordId}`),
        ].join('\n'),
    };
  });
}

export async function retentionRelease(
  ctx: Ctx,
  holdId: string,
  o: { reason: string; key: string },
): Promise<Outcome> {
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, RET.holdRelease);
    const [holdSeq] = await ledger.lookup(INDEX.id('hold'), holdId);
    const hold = holdSeq === undefined ? undefined : await ledger.get(holdSeq);
    if (!hold || !ledger.isKind(hold, RET.hold))
      throw new CliError('NOT_FOUND', `no legal hold ${holdId} in this ledger`);
    const [released] = await ledger.lookup(INDEX.id('hold-release'), holdId);
    if (released !== undefined)
      throw new CliError('HOLD_RELEASED', `legal hold ${holdId} was released already (entry #${released})`);
    const ret = new Retention(ledger, store, { clock: ctx.clock });
    const res = await ret.releaseHold({ holdId, reason: o.reason, releasedAt: ctx.clock() }, signer);
    const [entry] = await appendedSince(ledger, res.seq);
    const body = hold.body;
    const data: Omit<OutputOf<'retention release'>, 'format' | 'command'> = {
      holdId,
      holdSeq: hold.seq,
      caseId: body.caseId,
      reason: o.reason,
      releasedAt: (await ledger.get(res.seq, RET.holdRelease)).body.releasedAt,
      entry: entry!,
      records: await heldRecords(ledger, body),
    };
    const still = data.records.filter((r) => r.holds.length > 0).length;
    return {
      command: 'retention release',
      exit: 0,
      data,
      human: (l) =>
        [
          l === 'zh'
            ? `已解除保全 ${holdId}（保全 #${hold.seq}，解除 #${res.seq}）${still ? `；${still} 份记录仍在其他保全之下` : ''}`
            : `Legal hold ${holdId} (#${hold.seq}) released (#${res.seq})${still ? `; ${still} record(s) remain under other holds` : ''}`,
          ...data.records.map(
            (r) =>
              `  #${r.seq} ${r.kind} ${r.recordId}${r.holds.length ? ` [${r.holds.map((h) => `#${h}`).join(', ')}]` : ''}`,
          ),
        ].join('\n'),
    };
  });
}
