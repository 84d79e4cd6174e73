/**
 * Approvals, with no JSON to write (the signer is the approver; `--reject` records a rejection):
 * - `approve retrieval`: `enf/approval.retrieval` (supervisor or head; the head for labelled records, Art. 24–26).
 *   With `--request` it approves that retrieval request: requester, case and records come from it. Without, it names
 *   `--requester` and `--case` itself. `retrieve --approval <id>` then uses it, inside its validity window and as
 *   many times as it allows (defaults: the access policy's).
 * - `approve purge`: `enf/approval.purge` (head, Art. 27) of a purge request, naming the request's files.
 * Unknown request or case, a key without the role: one error line, nothing written.
 */
import { field } from '../../guards';
import { toHex } from '../../bytes';
import { ACC } from '../../access';
import { INDEX, type IdSpace } from '../../domain/spec';
import type { Ledger } from '../../ledger';
import { KIND } from '../../domain/kind-names';
import type { KindOf } from '../../ledger/types';
import { RET } from '../../retention';
import { DEFAULT_RETENTION_POLICY } from '../../retention/policy';
import type { Ctx, Outcome } from '../context';
import type { Lang } from '../lang';
import { CliError } from '../exit';
import { type FolderBodies, loadSigner, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { folderKeyWithRole, nextHint } from './next';
import { coveredRecords, freshId } from './scope';
import { formatTime, parseTime } from './time';

/** The entry defining `id` in `space`, when it is of `kind`; NOT_FOUND otherwise. */
async function byId<K extends KindOf<FolderBodies>>(
  ledger: Ledger<FolderBodies>,
  space: IdSpace,
  id: string,
  kind: K,
  what: string,
) {
  const [seq] = await ledger.lookup(INDEX.id(space), id);
  if (seq === undefined || (await ledger.get(seq)).kind !== kind)
    throw new CliError('NOT_FOUND', `no ${what} ${id} in this ledger`);
  return ledger.get(seq, kind);
}

const optionalTime = (s: string | undefined, flag: string) =>
  s === undefined ? undefined : parseTime(s, flag);

export interface ApproveRetrievalOptions {
  readonly request?: string;
  readonly requester?: string;
  readonly case?: string;
  readonly purpose?: string;
  readonly slipNo?: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
  readonly maxUses?: string;
  readonly reject?: boolean;
  readonly opinion?: string;
  readonly approvalId?: string;
  readonly key: string;
}

export async function approveRetrieval(ctx: Ctx, o: ApproveRetrievalOptions): Promise<Outcome> {
  const validFrom = optionalTime(o.validFrom, '--valid-from');
  const validUntil = optionalTime(o.validUntil, '--valid-until');
  if (o.maxUses !== undefined && !/^\d+$/.test(o.maxUses))
    throw new CliError('USAGE', '--max-uses must be a whole number (1–1000)');
  const maxUses = o.maxUses === undefined ? undefined : Number(o.maxUses);
  if (maxUses !== undefined && (maxUses < 1 || maxUses > 1000))
    throw new CliError('USAGE', '--max-uses must be between 1 and 1000');
  if (o.request === undefined && (o.requester === undefined || o.case === undefined))
    throw new CliError(
      'USAGE',
      'give --request <requestId> (the request approved), or --requester <personId> and --case <caseId>',
    );
  const signer = await loadSigner(ctx.dir, o.key);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    let requesterId = o.requester;
    let caseId = o.case;
    let purpose = o.purpose;
    let user = o.requester;
    let scope: Record<string, unknown> & { caseId: string } = { caseId: caseId ?? '' };
    if (o.request !== undefined) {
      const q = (
        await byId(ledger, 'retrieval-request', o.request, ACC.retrievalRequest, 'retrieval request')
      ).body;
      // An external request is approved in the name of its staff contact; the external requester retrieves.
      const named = q.scope === 'external' ? q.contactId! : q.requesterId;
      if (requesterId !== undefined && requesterId !== named)
        throw new CliError('USAGE', `request ${o.request} names ${named}, not --requester ${requesterId}`);
      if (caseId !== undefined && caseId !== q.caseId)
        throw new CliError('USAGE', `request ${o.request} is for case ${q.caseId}, not --case ${caseId}`);
      requesterId = named;
      caseId = q.caseId;
      purpose ??= q.purpose;
      user = q.requesterId;
      scope = { ...q };
    } else if ((await ledger.lookup(INDEX.id('case'), caseId!)).length === 0)
      throw new CliError('NOT_FOUND', `no case ${caseId} in this ledger`);
    if (purpose === undefined) throw new CliError('USAGE', 'give --purpose <text> (the purpose approved)');
    const approvalId = freshId('RA', o.approvalId);
    const decision = o.reject ? 'rejected' : 'approved';
    const slipNo = o.slipNo ?? o.request ?? approvalId;
    const res = await f.records.approve(
      'retrieval',
      {
        approvalId,
        decision,
        decidedAt: ctx.clock(),
        slipNo,
        requesterId: requesterId!,
        purpose,
        caseId: caseId!,
        ...(o.request === undefined ? {} : { requestId: o.request }),
        ...(validFrom === undefined ? {} : { validFrom }),
        ...(validUntil === undefined ? {} : { validUntil }),
        ...(maxUses === undefined ? {} : { maxUses }),
        ...(o.opinion === undefined ? {} : { opinion: o.opinion }),
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, res.seq);
    const decidedAt = (await ledger.get(res.seq, KIND.approvalRetrieval)).body.decidedAt;
    const access = DEFAULT_RETENTION_POLICY.access;
    const from = validFrom ?? decidedAt;
    const data: Omit<OutputOf<'approve retrieval'>, 'format' | 'command'> = {
      approvalId,
      decision,
      requestId: o.request ?? null,
      requesterId: user!,
      caseId: caseId!,
      purpose,
      slipNo,
      decidedAt,
      validFrom: from,
      validUntil: validUntil ?? from + access.defaultValidityMs,
      maxUses: maxUses ?? access.defaultMaxUses,
      entry: entry!,
    };
    const approved = decision === 'approved';
    const hint = approved
      ? await retrieveHint(ctx.dir, ledger, scope, data.requesterId, approvalId)
      : undefined;
    return {
      command: 'approve retrieval',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? approved
            ? `已批准调用 ${approvalId}（#${res.seq}）：${data.requesterId} 可调用案件 ${data.caseId} 的记录，${formatTime(data.validFrom)} 至 ${formatTime(data.validUntil)}，限 ${data.maxUses} 次${hint ? `\n${hint('zh')}` : ''}`
            : `不批准调用 ${approvalId}（#${res.seq}）：${data.requesterId}，案件 ${data.caseId}`
          : approved
            ? `Retrieval approved: ${approvalId} (#${res.seq}): ${data.requesterId} may retrieve records of case ${data.caseId} from ${formatTime(data.validFrom)} until ${formatTime(data.validUntil)} (UTC+8), ${data.maxUses} time(s)${hint ? `\n${hint('en')}` : ''}`
            : `Retrieval rejected: ${approvalId} (#${res.seq}): ${data.requesterId}, case ${data.caseId}`,
    };
  });
}

/** Who signs a retrieval or carries out a purge: the archive's operator (acc/retrieval, ret/purge). */
const OPERATOR_ROLES = ['archivist', 'system'] as const;

/**
 * The `retrieve` that uses a retrieval approval: the first record of its scope that has a file, written under the
 * file's own name (or the record id with the media type's extension); undefined when the scope holds no file.
 */
async function retrieveHint(
  dir: string,
  ledger: Ledger,
  scope: Record<string, unknown> & { caseId: string },
  requesterId: string,
  approvalId: string,
): Promise<((l: Lang) => string) | undefined> {
  for (const r of await coveredRecords(ledger, scope)) {
    const e = await ledger.get(r.seq);
    if (e.content.length === 0) continue;
    const files = field(e.body, 'files');
    const first = Array.isArray(files) ? files[0] : undefined;
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const name = text(field(first, 'name'))?.split(/[\\/]/).pop();
    const media = text(field(first, 'mediaType')) ?? text(field(e.body, 'mediaType')) ?? '';
    const ext = /^[a-z]+\/([a-z0-9]{1,8})$/i.exec(media)?.[1];
    const out = name && /^[\w.-]+$/.test(name) ? name : `${r.recordId}${ext ? `.${ext}` : ''}`;
    const key = await folderKeyWithRole(dir, ledger, OPERATOR_ROLES);
    return (l) =>
      nextHint(
        l,
        dir,
        [
          'retrieve',
          '--record',
          r.recordId,
          '--requester',
          requesterId,
          '--approval',
          approvalId,
          '--out',
          out,
        ],
        { name: key, roles: OPERATOR_ROLES },
      );
  }
  return undefined;
}

export interface ApprovePurgeOptions {
  readonly request: string;
  readonly reason: string;
  readonly reject?: boolean;
  readonly opinion?: string;
  readonly approvalId?: string;
  readonly key: string;
}

export async function approvePurge(ctx: Ctx, o: ApprovePurgeOptions): Promise<Outcome> {
  const signer = await loadSigner(ctx.dir, o.key);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    const q = (await byId(ledger, 'purge-request', o.request, RET.purgeRequest, 'purge request')).body;
    const approvalId = freshId('PA', o.approvalId);
    const decision = o.reject ? 'rejected' : 'approved';
    const res = await f.records.approve(
      'purge',
      {
        approvalId,
        decision,
        decidedAt: ctx.clock(),
        ...(q.caseId === undefined ? {} : { caseId: q.caseId }),
        targets: q.targets.map((t) => ({ seq: t.seq, digest: t.digest })),
        reason: o.reason,
        ...(o.opinion === undefined ? {} : { opinion: o.opinion }),
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, res.seq);
    const data: Omit<OutputOf<'approve purge'>, 'format' | 'command'> = {
      approvalId,
      decision,
      requestId: o.request,
      caseId: q.caseId ?? null,
      reason: o.reason,
      decidedAt: (await ledger.get(res.seq, KIND.approvalPurge)).body.decidedAt,
      targets: q.targets.map((t) => ({ seq: t.seq, digest: toHex(t.digest) })),
      entry: entry!,
    };
    const approved = decision === 'approved';
    const archivist = approved ? await folderKeyWithRole(ctx.dir, ledger, OPERATOR_ROLES) : undefined;
    return {
      command: 'approve purge',
      exit: 0,
      data,
      human: (l) =>
        [
          l === 'zh'
            ? `机构负责人${approved ? '批准' : '不批准'}销毁申请 ${o.request}：${approvalId}（#${res.seq}），${data.targets.length} 个文件`
            : `The head ${decision} purge request ${o.request}: ${approvalId} (#${res.seq}), ${data.targets.length} file(s)`,
          ...data.targets.map((t) => `  #${t.seq} ${t.digest.slice(0, 16)}…`),
          ...(approved
            ? [
                nextHint(
                  l,
                  ctx.dir,
                  [
                    'retention',
                    'purge',
                    '--purge-id',
                    `PG-${o.request}`,
                    '--request-id',
                    o.request,
                    '--approval-id',
                    approvalId,
                  ],
                  { name: archivist, roles: OPERATOR_ROLES },
                ),
              ]
            : []),
        ].join('\n'),
    };
  });
}
