/**
 * Requests, with no JSON to write:
 * - `request retrieval`: a retrieval request (调用单, `acc/retrieval.request`): internal (Art. 24, agency staff) or
 *   `--external` (Art. 25, an outside person or unit, handled by a staff `--contact`). `approve retrieval --request`
 *   then approves it; its requester, case and records bound the approval.
 * - `request purge`: the archivist's purge request (`ret/purge.request`, Art. 27) for the files of a case, of listed
 *   records or of listed entries (`--seq`), optionally only those expired now (`--expired`); files already purged are
 *   left out. `approve purge --request` then approves it, and `retention purge` carries it out.
 * Unknown case, record or entry, nothing to purge, a key without the role: one error line, nothing written.
 */
import { fromHex } from '../../bytes';
import { ACC, Access } from '../../access';
import { RET, Retention } from '../../retention';
import { DEFAULT_RETENTION_POLICY } from '../../retention/policy';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { requireDeclared } from './retention';
import { type ScopeOptions, coveredRecords, freshId, recordLines, resolveScope, scopeJson } from './scope';
import { folderKeyWithRole, nextHint } from './next';
import { formatTime } from './time';

export interface RequestRetrievalOptions extends ScopeOptions {
  readonly requester: string;
  readonly purpose: string;
  readonly external?: boolean;
  readonly organisation?: string;
  readonly contact?: string;
  readonly requesterName?: string;
  readonly requestId?: string;
  readonly key: string;
}

export async function requestRetrieval(ctx: Ctx, o: RequestRetrievalOptions): Promise<Outcome> {
  if (o.external && (o.organisation === undefined || o.contact === undefined))
    throw new CliError(
      'USAGE',
      '--external needs --organisation <unit> and --contact <personId> (the staff member handling it)',
    );
  if (!o.external && (o.organisation !== undefined || o.contact !== undefined))
    throw new CliError('USAGE', '--organisation and --contact are for an --external request');
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, ACC.retrievalRequest);
    const scope = await resolveScope(ledger, o);
    const requestId = freshId('RR', o.requestId);
    const kind = o.external ? 'external' : 'internal';
    const access = new Access(ledger, store, { clock: ctx.clock });
    const res = await access.requestRetrieval(
      {
        requestId,
        scope: kind,
        requesterId: o.requester,
        ...(o.requesterName === undefined ? {} : { requesterName: o.requesterName }),
        ...(o.organisation === undefined ? {} : { organisation: o.organisation }),
        ...(o.contact === undefined ? {} : { contactId: o.contact }),
        purpose: o.purpose,
        ...scope,
        requestedAt: ctx.clock(),
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, res.seq);
    const records = await coveredRecords(ledger, scope);
    const approverRoles =
      kind === 'external'
        ? DEFAULT_RETENTION_POLICY.access.externalApproverRoles
        : DEFAULT_RETENTION_POLICY.access.internalApproverRoles;
    const approver = await folderKeyWithRole(ctx.dir, ledger, approverRoles);
    const data: Omit<OutputOf<'request retrieval'>, 'format' | 'command'> = {
      requestId,
      scope: kind,
      requesterId: o.requester,
      contactId: o.contact ?? null,
      caseId: scope.caseId,
      ...scopeJson(scope),
      purpose: o.purpose,
      requestedAt: (await ledger.get(res.seq, ACC.retrievalRequest)).body.requestedAt,
      entry: entry!,
      records,
    };
    return {
      command: 'request retrieval',
      exit: 0,
      data,
      human: (l) =>
        [
          l === 'zh'
            ? `已登记${kind === 'external' ? '外部' : ''}调用申请 ${requestId}（#${res.seq}）：${o.requester} 申请调用案件 ${scope.caseId} 的 ${records.length} 份记录；待${kind === 'external' ? '机构负责人' : '主管领导或机构负责人'}审批`
            : `${kind === 'external' ? 'External retrieval' : 'Retrieval'} request ${requestId} recorded (#${res.seq}): ${o.requester} asks for ${records.length} record(s) of case ${scope.caseId}; awaiting ${kind === 'external' ? "the head's" : "a supervisor's or the head's"} approval`,
          recordLines(records),
          nextHint(l, ctx.dir, ['approve', 'retrieval', '--request', requestId], {
            name: approver,
            roles: approverRoles,
          }),
        ]
          .filter(Boolean)
          .join('\n'),
    };
  });
}

/** Who approves a purge (Art. 27): the head. */
const PURGE_APPROVER_ROLES = ['head'] as const;

export interface RequestPurgeOptions extends ScopeOptions {
  readonly seq?: readonly string[];
  readonly expired?: boolean;
  readonly reason: string;
  readonly requestId?: string;
  readonly key: string;
}

export async function requestPurge(ctx: Ctx, o: RequestPurgeOptions): Promise<Outcome> {
  const seqs = (o.seq ?? []).map((s) => {
    if (!/^\d+$/.test(s)) throw new CliError('USAGE', `--seq ${s}: an entry number`);
    return Number(s);
  });
  const scoped = o.case !== undefined || (o.record ?? []).length > 0;
  if (!scoped && seqs.length === 0)
    throw new CliError('USAGE', 'give --case <caseId>, --record <id> or --seq <n> (the files to purge)');
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, RET.purgeRequest);
    const scope = scoped ? await resolveScope(ledger, o) : undefined;
    const covered = new Set(scope ? (await coveredRecords(ledger, scope)).map((r) => r.seq) : []);
    const at = ctx.clock();
    const ret = new Retention(ledger, store, { clock: ctx.clock });
    const items = await ret.retentionSchedule(at);
    for (const s of seqs)
      if (!items.some((i) => i.seq === s))
        throw new CliError('NOT_FOUND', `entry ${s} commits no file (see retention schedule)`);
    const targets = items.filter(
      (i) =>
        (covered.has(i.seq) || seqs.includes(i.seq)) &&
        i.purgedBy === undefined &&
        (!o.expired || i.purgeable),
    );
    if (targets.length === 0)
      throw new CliError(
        'NOTHING_TO_PURGE',
        `no file to purge: ${o.expired ? 'none of them has expired (or each is held or purged already)' : 'each is purged already'}`,
      );
    const cases = [...new Set(targets.map((t) => t.caseId))];
    const caseId = scope?.caseId ?? (cases.length === 1 ? cases[0] : undefined);
    const requestId = freshId('PR', o.requestId);
    const res = await ret.requestPurge(
      {
        requestId,
        ...(caseId === undefined ? {} : { caseId }),
        targets: targets.map((t) => ({ seq: t.seq, digest: fromHex(t.digest) })),
        reason: o.reason,
        requestedAt: at,
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, res.seq);
    const data: Omit<OutputOf<'request purge'>, 'format' | 'command'> = {
      requestId,
      caseId: caseId ?? null,
      reason: o.reason,
      requestedAt: (await ledger.get(res.seq, RET.purgeRequest)).body.requestedAt,
      targets: targets.map((t) => ({
        seq: t.seq,
        digest: t.digest,
        kind: t.kind,
        recordId: t.recordId ?? null,
        expiresAt: t.expiresAt ?? null,
        purgeable: t.purgeable,
      })),
      entry: entry!,
    };
    const early = data.targets.filter((t) => !t.purgeable).length;
    const head = await folderKeyWithRole(ctx.dir, ledger, PURGE_APPROVER_ROLES);
    return {
      command: 'request purge',
      exit: 0,
      data,
      human: (l) => {
        const zh = l === 'zh';
        return [
          zh
            ? `已登记销毁申请 ${requestId}（#${res.seq}）：${targets.length} 个文件${early ? `，其中 ${early} 个尚未到期或在保全中，到期解除前不得销毁` : ''}；待机构负责人审批`
            : `Purge request ${requestId} recorded (#${res.seq}): ${targets.length} file(s)${early ? `, ${early} of them not yet expired or held (they cannot be purged until then)` : ''}; awaiting the head's approval`,
          ...data.targets.map(
            (t) =>
              `  #${t.seq} ${t.kind} ${t.recordId ?? ''} ${t.digest.slice(0, 16)}… ${t.expiresAt === null ? '-' : formatTime(t.expiresAt)}${t.purgeable ? '' : zh ? ' 未到期' : ' not purgeable yet'}`,
          ),
          nextHint(
            l,
            ctx.dir,
            ['approve', 'purge', '--request', requestId, '--reason', zh ? '同意销毁' : 'approved'],
            { name: head, roles: PURGE_APPROVER_ROLES },
          ),
        ].join('\n');
      },
    };
  });
}
