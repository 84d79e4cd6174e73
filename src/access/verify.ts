/**
 * Flags retrieval and disclosure events that no valid approval covers (Art. 24–26; Art. 30(5)), e.g. written by
 * bypassing the API: each granted event is re-judged as of its own position in the log and its append time (so a
 * disclosure to another recipient, beyond the approval's records, window or use count is a finding).
 */
import type { Finding } from '../compliance/finding';
import { compareFindings } from '../compliance/finding';
import { enforcementKinds } from '../domain/definitions';
import type { EntryIndex } from '../ledger/entry-index';
import type { Ledger } from '../ledger/ledger';
import { type CheckResult, describeProblem } from '../problems';
import { retentionKinds } from '../retention/kinds';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '../retention/policy';
import { cutReader, indexReader } from '../retention/reader';
import { indexLog } from '../retention/verify';
import { evaluateDisclosure, evaluateRetrieval } from './check';
import { ACC } from './kind-names';
import { accessKinds, isAccessKind } from './kinds';

export interface AccessVerifyOptions {
  readonly policy?: RetentionPolicy;
  /** The log's rows recomputed from its entries (`indexLog`), when already built; default: built here. */
  readonly index?: EntryIndex;
}

export interface AccessReport {
  readonly ok: boolean;
  readonly findings: Finding[];
  readonly stats: { readonly retrievals: number; readonly refused: number; readonly disclosures: number };
  /** The named checks: every granted retrieval, every granted disclosure, each judged at its own position. */
  readonly checks: readonly CheckResult<'retrievals' | 'disclosures'>[];
}

export async function verifyAccess(ledger: Ledger, opts: AccessVerifyOptions = {}): Promise<AccessReport> {
  const policy = opts.policy ?? DEFAULT_RETENTION_POLICY;
  const index =
    opts.index ??
    (await indexLog(ledger, [...enforcementKinds(), ...retentionKinds(policy), ...accessKinds(policy)]));
  const full = indexReader(ledger, index);
  const findings: Finding[] = [];
  let retrievals = 0;
  let refused = 0;
  // Every retrieval and disclosure entry, found by its kind in the log (not through derived rows).
  for (const seq of index.ofKind(ACC.retrieval)) {
    const e = await ledger.get(seq);
    if (!isAccessKind(e, ACC.retrieval)) continue; // found by its kind
    retrievals++;
    const b = e.body;
    if (b.outcome !== 'granted') {
      refused++;
      continue;
    }
    const problems = await evaluateRetrieval(cutReader(full, seq), b, e.time, policy);
    for (const p of problems)
      findings.push({
        rule: 'acc-retrieval',
        article: '24',
        liability: '30(5)',
        severity: 'violation',
        seqs: [...new Set([seq, ...p.seqs])].sort((x, y) => x - y),
        code: p.code,
        message: {
          zh: `调用执法记录未经有效批准（第二十四、二十五条）：${describeProblem(p.code, 'zh')}（调用 #${seq}，申请人 ${b.requesterId}，审批 ${b.approvalId ?? '无'}）`,
          en: `retrieval without a valid approval (Art. 24–25): ${p.message}`,
        },
        evidence: {
          eventSeq: seq,
          requesterId: b.requesterId,
          approvalId: b.approvalId ?? null,
          target: b.target.seq,
        },
      });
  }
  let disclosures = 0;
  for (const seq of index.ofKind(ACC.disclosure)) {
    const e = await ledger.get(seq);
    if (!isAccessKind(e, ACC.disclosure)) continue; // found by its kind
    const b = e.body;
    if (b.outcome !== 'granted') continue;
    disclosures++;
    for (const p of await evaluateDisclosure(cutReader(full, seq), b, e.time, policy))
      findings.push({
        rule: 'acc-disclosure',
        article: '26',
        liability: '30(5)',
        severity: 'violation',
        seqs: [...new Set([seq, ...p.seqs])].sort((x, y) => x - y),
        code: p.code,
        message: {
          zh: `未经机构负责人有效批准公开或对外提供执法记录（第二十六条）：${describeProblem(p.code, 'zh')}（提供 #${seq}，审批 ${b.approvalId ?? '无'}）`,
          en: `disclosure without a valid approval of the head (Art. 26): ${p.message}`,
        },
        evidence: {
          eventSeq: seq,
          caseId: b.caseId,
          recipient: b.recipient,
          approvalId: b.approvalId ?? null,
        },
      });
  }
  findings.sort(compareFindings);
  const check = (name: 'retrievals' | 'disclosures', rule: string, n: number) => {
    const bad = findings.filter((f) => f.rule === rule).length;
    return { name, status: bad ? 'failed' : 'passed', problems: bad, detail: `${n} entries` } as const;
  };
  const checks = [
    check('retrievals', 'acc-retrieval', retrievals),
    check('disclosures', 'acc-disclosure', disclosures),
  ];
  return { ok: findings.length === 0, findings, stats: { retrievals, refused, disclosures }, checks };
}
