/**
 * Disclosure (Art. 26: 公开或对外提供, only with the head's approval):
 * - `disclose approve`: the head's decision (`enf/approval.disclosure`, signed by a key with role head) naming the
 *   case, the recipient and the purpose; `--reject` records a rejection.
 * - `disclose record`: the disclosure itself (`acc/disclosure`, archivist, system or head). The library judges it
 *   against the approval and appends it granted, or refused with its reason (DISCLOSURE_NO_APPROVAL,
 *   DISCLOSURE_APPROVAL_REJECTED, DISCLOSURE_WRONG_CASE, DISCLOSURE_APPROVER_ROLE for labelled records): a refusal is
 *   an error line naming the refusal's entry (exit 2), as for `retrieve`.
 * Unknown case or record, a key without the role: one error line, nothing written.
 */
import { ACC, Access } from '../../access';
import { KIND } from '../../domain/kind-names';
import { INDEX } from '../../domain/spec';
import type { Ledger } from '../../ledger';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { type FolderBodies, loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { requireDeclared } from './retention';
import { type ScopeOptions, coveredRecords, freshId, resolveScope, scopeJson } from './scope';

export interface DiscloseApproveOptions {
  readonly case: string;
  readonly recipient: string;
  readonly purpose: string;
  readonly approvalId?: string;
  readonly reject?: boolean;
  readonly opinion?: string;
  readonly scope?: string;
  readonly key: string;
}

export async function discloseApprove(ctx: Ctx, o: DiscloseApproveOptions): Promise<Outcome> {
  const signer = await loadSigner(ctx.dir, o.key);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    if ((await ledger.lookup(INDEX.id('case'), o.case)).length === 0)
      throw new CliError('NOT_FOUND', `no case ${o.case} in this ledger`);
    const approvalId = freshId('DA', o.approvalId);
    const decision = o.reject ? 'rejected' : 'approved';
    const res = await f.records.approve(
      'disclosure',
      {
        approvalId,
        decision,
        decidedAt: ctx.clock(),
        caseId: o.case,
        recipient: o.recipient,
        purpose: o.purpose,
        ...(o.opinion === undefined ? {} : { opinion: o.opinion }),
        ...(o.scope === undefined ? {} : { scope: o.scope }),
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, res.seq);
    const data: Omit<OutputOf<'disclose approve'>, 'format' | 'command'> = {
      approvalId,
      decision,
      caseId: o.case,
      recipient: o.recipient,
      purpose: o.purpose,
      decidedAt: (await ledger.get(res.seq, KIND.approvalDisclosure)).body.decidedAt,
      entry: entry!,
    };
    return {
      command: 'disclose approve',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? `机构负责人${decision === 'approved' ? '批准' : '不批准'}向 ${o.recipient} 提供案件 ${o.case} 的执法记录：${approvalId}（#${res.seq}）`
          : `The head ${decision} disclosing case ${o.case}'s records to ${o.recipient}: ${approvalId} (#${res.seq})`,
    };
  });
}

export interface DiscloseRecordOptions extends ScopeOptions {
  readonly approval?: string;
  readonly recipient?: string;
  readonly purpose?: string;
  readonly channel?: string;
  readonly key: string;
}

/** The disclosure approval `id`, when it is one: its case, recipient and purpose fill in what was not given. */
async function approvalBody(ledger: Ledger<FolderBodies>, id: string | undefined) {
  if (id === undefined) return undefined;
  const [seq] = await ledger.lookup(INDEX.id('approval'), id);
  if (seq === undefined) return undefined;
  const e = await ledger.get(seq);
  return ledger.isKind(e, KIND.approvalDisclosure) ? e.body : undefined;
}

export async function discloseRecord(ctx: Ctx, o: DiscloseRecordOptions): Promise<Outcome> {
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, ACC.disclosure);
    const a = await approvalBody(ledger, o.approval);
    const caseGiven = o.case !== undefined || (o.record ?? []).length > 0;
    const scope = await resolveScope(ledger, caseGiven ? o : { case: a?.caseId });
    const recipient = o.recipient ?? a?.recipient;
    if (recipient === undefined)
      throw new CliError(
        'USAGE',
        'give --recipient <who receives the records> (or an --approval that names one)',
      );
    const purpose = o.purpose ?? a?.purpose;
    const access = new Access(ledger, store, { clock: ctx.clock });
    const res = await access.disclose(
      {
        ...(o.approval === undefined ? {} : { approvalId: o.approval }),
        ...scope,
        recipient,
        ...(purpose === undefined ? {} : { purpose }),
        ...(o.channel === undefined ? {} : { channel: o.channel }),
      },
      signer,
    );
    const [event] = await appendedSince(ledger, res.seq);
    const records = await coveredRecords(ledger, scope);
    const data: Omit<OutputOf<'disclose record'>, 'format' | 'command'> = {
      granted: true,
      event: event!,
      approvalId: o.approval!,
      caseId: scope.caseId,
      ...scopeJson(scope),
      recipient,
      records,
    };
    return {
      command: 'disclose record',
      exit: 0,
      data,
      human: (l) =>
        [
          l === 'zh'
            ? `对外提供已批准并登记（#${res.seq}，批准 ${o.approval}）：案件 ${scope.caseId} 的 ${records.length} 份记录提供给 ${recipient}`
            : `Disclosure granted and recorded (#${res.seq}, approval ${o.approval}): ${records.length} record(s) of case ${scope.caseId} to ${recipient}`,
          ...records.map((r) => `  #${r.seq} ${r.kind} ${r.recordId}`),
        ].join('\n'),
    };
  });
}
