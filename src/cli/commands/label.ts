/**
 * `label set`: sensitivity labels (`acc/label`: state secret, commercial secret, personal privacy; Art. 18, 26) on a
 * case or on listed records of it. A labelled record's retrieval or disclosure then needs an approver holding the
 * roles the policy requires for the label (`access.labelApproverRoles`: the head by default); otherwise the library
 * refuses with RETRIEVAL_APPROVER_ROLE / DISCLOSURE_APPROVER_ROLE. Signers: officer, supervisor, head or archivist.
 */
import { ACC, Access, labelsOf } from '../../access';
import { ledgerReader } from '../../retention';
import { SENSITIVITY_LABELS, type SensitivityLabel } from '../../retention/policy';
import { identify } from '../../retention/records';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { requireDeclared } from './retention';
import { type ScopeOptions, coveredRecords, freshId, resolveScope, scopeJson } from './scope';

/** Chinese names accepted for the labels (Art. 18, 26). */
const LABEL_NAMES: Readonly<Record<string, SensitivityLabel>> = {
  国家秘密: 'state_secret',
  商业秘密: 'commercial_secret',
  个人隐私: 'personal_privacy',
};
const ZH: Readonly<Record<SensitivityLabel, string>> = {
  state_secret: '国家秘密',
  commercial_secret: '商业秘密',
  personal_privacy: '个人隐私',
};

const ROLE_ZH: Readonly<Record<string, string>> = {
  head: '机构负责人',
  supervisor: '主管领导',
  archivist: '档案管理人员',
  officer: '执法人员',
  system: '系统',
};

export function parseLabels(given: readonly string[] | undefined): SensitivityLabel[] {
  if (!given?.length) throw new CliError('USAGE', `give --label <${SENSITIVITY_LABELS.join('|')}>`);
  const out: SensitivityLabel[] = [];
  for (const g of given) {
    const l = (LABEL_NAMES[g] ?? g) as SensitivityLabel;
    if (!SENSITIVITY_LABELS.includes(l))
      throw new CliError(
        'USAGE',
        `--label ${g}: one of ${SENSITIVITY_LABELS.join(', ')} (or 国家秘密, 商业秘密, 个人隐私)`,
      );
    if (!out.includes(l)) out.push(l);
  }
  return out;
}

export async function labelSet(
  ctx: Ctx,
  o: ScopeOptions & { label?: string[]; labelId?: string; reason?: string; key: string },
): Promise<Outcome> {
  const labels = parseLabels(o.label);
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.ledger;
    requireDeclared(ledger, ACC.label);
    const scope = await resolveScope(ledger, o);
    const labelId = freshId('L', o.labelId);
    const access = new Access(ledger, store, { clock: ctx.clock });
    const res = await access.label(
      {
        labelId,
        ...scope,
        labels,
        ...(o.reason === undefined ? {} : { reason: o.reason }),
        labelledAt: ctx.clock(),
      },
      signer,
    );
    const [entry] = await appendedSince(ledger, res.seq);
    const r = ledgerReader(ledger);
    const records: OutputOf<'label set'>['records'] = [];
    for (const rec of await coveredRecords(ledger, scope))
      records.push({
        ...rec,
        labels: (await labelsOf(r, identify(await ledger.get(rec.seq)))) as SensitivityLabel[],
      });
    const approverRoles = labels.map((l) => ({
      label: l,
      roles: [...(access.policy.access.labelApproverRoles[l] ?? [])],
    }));
    const data: Omit<OutputOf<'label set'>, 'format' | 'command'> = {
      labelId,
      caseId: scope.caseId,
      ...scopeJson(scope),
      labels,
      reason: o.reason ?? null,
      labelledAt: (await ledger.get(res.seq, ACC.label)).body.labelledAt,
      approverRoles,
      entry: entry!,
      records,
    };
    const roles = [...new Set(approverRoles.flatMap((a) => a.roles))];
    return {
      command: 'label set',
      exit: 0,
      data,
      human: (l) =>
        [
          l === 'zh'
            ? `已标注 ${labels.map((x) => ZH[x]).join('、')}：案件 ${scope.caseId} 的 ${records.length} 份记录（${labelId}，#${res.seq}）；调阅或对外提供须经${roles.map((x) => ROLE_ZH[x] ?? x).join('或')}批准`
            : `Labelled ${labels.join(', ')}: ${records.length} record(s) of case ${scope.caseId} (${labelId}, #${res.seq}); retrieval or disclosure needs the approval of: ${roles.join(' or ')}`,
          ...records.map((x) => `  #${x.seq} ${x.kind} ${x.recordId} [${x.labels.join(', ')}]`),
        ].join('\n'),
    };
  });
}
