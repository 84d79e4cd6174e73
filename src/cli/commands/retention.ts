/**
 * `retention schedule`: every committed content with its retention class and expiry as of `--at` (Art. 22(3)(4)).
 * `retention purge`: the lawful purge (Art. 27) under the archivist's request and the head's approval; a refusal
 * (before expiry, under a hold, no request or approval…) is a PolicyError, exit 2, nothing written or deleted.
 * `declare-kinds`: declares the retention and access kinds in a folder made before they existed.
 */
import { toHex } from '../../bytes';
import { RET, Retention } from '../../retention';
import type { Ledger } from '../../ledger';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { folderKinds, loadSigner, openStore, withFolder } from '../folder';
import { caseIds } from '../report/from-ledger';
import type { OutputOf } from '../schemas';
import { appendedSince, entryLines } from './appended';
import { formatTime, parseTime } from './time';

/** Refuses, with a hint, on a folder whose log does not declare `kind` (made before the retention kinds existed). */
export function requireDeclared(ledger: Ledger, kind: string): void {
  if (!ledger.keys.kinds.has(kind))
    throw new CliError(
      'KIND_UNDECLARED',
      `this ledger does not declare ${kind} (a folder made before the retention and access kinds): run \`enforcement-ledger declare-kinds\``,
    );
}

type ScheduleData = Omit<OutputOf<'retention schedule'>, 'format' | 'command'>;

export async function retentionSchedule(ctx: Ctx, o: { at?: string; case?: string }): Promise<Outcome> {
  const at = o.at === undefined ? ctx.clock() : parseTime(o.at, '--at');
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    if (o.case !== undefined && !(await caseIds(f.records)).includes(o.case))
      throw new CliError('NOT_FOUND', `no case ${o.case} in this ledger`);
    const ret = new Retention(f.records.ledger, store, { clock: ctx.clock });
    const list = await ret.retentionSchedule(at, o.case === undefined ? {} : { caseId: o.case });
    const items: ScheduleData['items'] = list.map((i) => ({
      seq: i.seq,
      kind: i.kind,
      digest: i.digest,
      caseId: i.caseId ?? null,
      recordId: i.recordId ?? null,
      state: i.state,
      retentionClass: i.retentionClass ?? null,
      basis: i.basis ?? null,
      evidence: i.evidence,
      from: i.from ?? null,
      expiresAt: i.expiresAt ?? null,
      pendingReason: i.pendingReason ?? null,
      holds: [...i.holds],
      purgedBy: i.purgedBy ?? null,
      purgeable: i.purgeable,
    }));
    const n = (p: (i: ScheduleData['items'][number]) => boolean) => items.filter(p).length;
    const data: ScheduleData = {
      at,
      caseId: o.case ?? null,
      policy: { name: ret.policy.name, version: ret.policy.version, hash: ret.policyHash },
      items,
      counts: {
        total: items.length,
        scheduled: n((i) => i.state === 'scheduled'),
        purgeable: n((i) => i.purgeable),
        held: n((i) => i.holds.length > 0),
        purged: n((i) => i.purgedBy !== null),
        pending: n((i) => i.state === 'pending'),
        permanent: n((i) => i.state === 'permanent'),
      },
    };
    return {
      command: 'retention schedule',
      exit: 0,
      data,
      human: (l) => {
        const zh = l === 'zh';
        const c = data.counts;
        const lines = [
          zh
            ? `保存期限表（截至 ${formatTime(at)}，${ret.policy.name}）：${c.total} 个文件，可销毁 ${c.purgeable}，保全中 ${c.held}，已销毁 ${c.purged}，待定 ${c.pending}，永久 ${c.permanent}`
            : `Retention schedule as of ${formatTime(at)} (UTC+8, ${ret.policy.name}): ${c.total} file(s), purgeable ${c.purgeable}, held ${c.held}, purged ${c.purged}, pending ${c.pending}, permanent ${c.permanent}`,
        ];
        for (const i of items) {
          const when =
            i.state === 'scheduled'
              ? formatTime(i.expiresAt!)
              : i.state === 'permanent'
                ? zh
                  ? '永久'
                  : 'permanent'
                : `${zh ? '待定' : 'pending'} (${i.pendingReason ?? '?'})`;
          const status =
            i.purgedBy !== null
              ? zh
                ? `已销毁 #${i.purgedBy}`
                : `purged #${i.purgedBy}`
              : i.holds.length
                ? zh
                  ? '保全中'
                  : 'held'
                : i.purgeable
                  ? zh
                    ? '可销毁'
                    : 'purgeable'
                  : '';
          lines.push(
            `  #${i.seq} ${i.kind} ${i.recordId ?? ''} ${i.retentionClass ?? '-'} ${when} ${i.digest.slice(0, 16)}… ${status}`.trimEnd(),
          );
        }
        return lines.join('\n');
      },
    };
  });
}

export async function retentionPurge(
  ctx: Ctx,
  o: { purgeId: string; requestId: string; approvalId?: string; key: string },
): Promise<Outcome> {
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, RET.purge);
    const ret = new Retention(ledger, store, { clock: ctx.clock });
    const r = await ret.purge(
      {
        purgeId: o.purgeId,
        requestId: o.requestId,
        ...(o.approvalId === undefined ? {} : { approvalId: o.approvalId }),
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, r.purgeSeq);
    const body = (await ledger.get(r.purgeSeq, RET.purge)).body;
    const data: Omit<OutputOf<'retention purge'>, 'format' | 'command'> = {
      purgeId: o.purgeId,
      purgeSeq: r.purgeSeq,
      resumed: r.resumed,
      targets: body.targets.map((t) => ({ seq: t.seq, digest: toHex(t.digest) })),
      removed: [...r.removed],
      entry: entry!,
    };
    return {
      command: 'retention purge',
      exit: 0,
      data,
      human: (l) => {
        const zh = l === 'zh';
        return [
          r.resumed
            ? zh
              ? `销毁 ${o.purgeId} 已登记（#${r.purgeSeq}），本次补完删除 ${r.removed.length} 个文件`
              : `Purge ${o.purgeId} was already recorded (#${r.purgeSeq}); removed ${r.removed.length} remaining file(s)`
            : zh
              ? `已依法销毁 ${r.removed.length} 个文件，销毁记录 #${r.purgeSeq}（记录本身保留）`
              : `Purged ${r.removed.length} file(s) lawfully; purge entry #${r.purgeSeq} (the records stay)`,
          ...data.targets.map((t) => `  #${t.seq} ${t.digest.slice(0, 16)}…`),
        ].join('\n');
      },
    };
  });
}

export async function declareKinds(ctx: Ctx, o: { admin: string }): Promise<Outcome> {
  const admin = await loadSigner(ctx.dir, o.admin);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    const from = ledger.size;
    const defs = folderKinds();
    const declared = defs.filter((d) => !ledger.keys.kinds.has(d.kind)).map((d) => d.kind);
    await ledger.declareKinds(defs, admin);
    const entries = await appendedSince(ledger, from);
    return {
      command: 'declare-kinds',
      exit: 0,
      data: { declared, entries } satisfies Omit<OutputOf<'declare-kinds'>, 'format' | 'command'>,
      human: (l) =>
        declared.length === 0
          ? l === 'zh'
            ? '所有记录类型均已声明'
            : 'Every kind is declared already'
          : `${l === 'zh' ? `已声明 ${declared.length} 种记录类型` : `Declared ${declared.length} kind(s)`}: ${declared.join(', ')}\n${entryLines(entries)}`,
    };
  });
}
