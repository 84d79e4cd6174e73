/**
 * `self-check --from <t> --to <t> --key <k>`: Art. 28 "各级卫生健康行政执法机构应当定期对本级全过程记录制度和设备设施管理情况进行
 * 检查，发现问题应当及时纠正". Runs what the check relies on — the full verification of the log and the Jincheng rule set
 * over every case with the organisation records (devices, agencies, self-checks), as of now — and records the result
 * as an `enf/self-check` entry: the period, the scope (default the article's two objects, 全过程记录制度 and
 * 设备设施管理), who checked, the digests of the two reports (the ledger suite's hash of the exact JSON bytes, which
 * `--reports <dir>` writes as verify-report.json and compliance-report.json), the counts of violations and warnings,
 * and the summary and corrections given. Signed with `--key`: a supervisor, the records person (archivist) or the
 * head (the kind's roles); anyone else is refused with nothing written.
 *
 * The compliance report it relies on already counts this self-check (so the period it covers is not reported as
 * uncovered by the very record that covers it); the violations counted are those of the cases, of the agency (Art.
 * 28) and the verification's problems. After recording, the agency's remaining Art. 28 findings (other periods with
 * no self-check) are shown; `compliance` reports the same.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toHex, utf8 } from '../../bytes';
import type { Finding, ViewRecord } from '../../compliance';
import type { SelfCheckBody } from '../../domain/kinds/self-check';
import { INDEX } from '../../domain/spec';
import { StorageError } from '../../errors';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { loadSigner, withFolder } from '../folder';
import { checkLedgerOf } from '../report/from-ledger';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { findingLine } from './archive';
import { freshId } from './scope';
import { formatTime, parseTime } from './time';

/** Art. 28's two objects of the check: 本级全过程记录制度 and 设备设施管理情况. */
export const DEFAULT_SELF_CHECK_SCOPE = ['全过程记录制度', '设备设施管理'] as const;

export interface SelfCheckOptions {
  from: string;
  to: string;
  key: string;
  checkedBy?: string[];
  agency?: string;
  scope?: string[];
  summary?: string;
  corrections?: string;
  selfCheckId?: string;
  reports?: string;
}

const exists = (file: string): Promise<boolean> =>
  stat(file).then(
    () => true,
    () => false,
  );

/** JSON of a report with byte strings as lowercase hex. */
const reportJson = (x: unknown): string =>
  `${JSON.stringify(x, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v), 2)}\n`;

export async function selfCheck(ctx: Ctx, o: SelfCheckOptions): Promise<Outcome> {
  const periodFrom = parseTime(o.from, '--from');
  const periodTo = parseTime(o.to, '--to');
  if (periodTo < periodFrom) throw new CliError('USAGE', '--to must not be before --from');
  const signer = await loadSigner(ctx.dir, o.key);
  return withFolder(ctx, async (f) => {
    const er = f.records;
    const ledger = er.ledger;
    const now = ctx.clock();
    if (periodTo > now)
      throw new CliError('USAGE', `--to ${formatTime(periodTo)} is after now: a period not yet over`);
    const key = ledger.keys.keys.get(signer.keyId);
    if (!key) throw new CliError('NOT_FOUND', `key ${o.key} is not registered in this ledger`);
    const agencies = [...new Set((await ledger.lookupRange(INDEX.id('agency'))).map((r) => r.key))];
    const agencyId = o.agency ?? (agencies.length === 1 ? agencies[0]! : undefined);
    if (agencyId === undefined)
      throw new CliError(
        'USAGE',
        agencies.length === 0
          ? 'no agency is registered in this ledger'
          : `--agency is required: this ledger has ${agencies.length} agencies (${agencies.join(', ')})`,
      );
    const checkedBy = o.checkedBy?.length ? o.checkedBy : [key.principal];
    const selfCheckId = freshId('SC', o.selfCheckId);

    const verify = await ledger.verify();
    const verifyBytes = utf8(reportJson(verify));
    // The self-check about to be recorded counts for the Art. 28 cadence of the report it relies on.
    const draft: Omit<SelfCheckBody, 'verifyReportDigest' | 'complianceReportDigest' | 'findings'> = {
      v: 1,
      selfCheckId,
      agencyId,
      periodFrom,
      periodTo,
      scope: [...(o.scope?.length ? o.scope : DEFAULT_SELF_CHECK_SCOPE)],
      checkedBy,
      checkedAt: now,
      ...(o.summary === undefined ? {} : { summary: o.summary }),
      ...(o.corrections === undefined ? {} : { corrections: o.corrections }),
    };
    const self: ViewRecord = {
      seq: ledger.size,
      time: now,
      kind: 'enf/self-check',
      body: draft,
      signer: { principal: key.principal, roles: key.roles },
    };
    const before = await checkLedgerOf(er, undefined, now, [self]);
    const complianceBytes = utf8(reportJson(before.ledger));
    const counts = before.ledger.counts.bySeverity;
    const findings = { violations: counts.violation + verify.problems.length, warnings: counts.warning };
    const verifyReportDigest = ledger.suite.hash(verifyBytes);
    const complianceReportDigest = ledger.suite.hash(complianceBytes);
    const reports =
      o.reports === undefined
        ? null
        : {
            verify: join(o.reports, 'verify-report.json'),
            compliance: join(o.reports, 'compliance-report.json'),
          };
    // Refused before anything is written: report files are never overwritten.
    for (const file of reports ? [reports.verify, reports.compliance] : [])
      if (await exists(file)) throw new StorageError('STORAGE_EXISTS', `${file} exists (not overwritten)`);
    const res = await er.recordSelfCheck(
      { ...draft, verifyReportDigest, complianceReportDigest, findings },
      signer,
    );
    if (reports) {
      await mkdir(o.reports!, { recursive: true });
      await writeFile(reports.verify, verifyBytes, { flag: 'wx' });
      await writeFile(reports.compliance, complianceBytes, { flag: 'wx' });
    }
    const [entry] = await appendedSince(ledger, res.seq);
    const after = await checkLedgerOf(er, undefined, now);
    const remaining: Finding[] = [...after.ledger.findings];
    const data: Omit<OutputOf<'self-check'>, 'format' | 'command'> = {
      selfCheckId,
      agencyId,
      periodFrom,
      periodTo,
      scope: draft.scope,
      checkedBy,
      checkedAt: now,
      verifyReportDigest: toHex(verifyReportDigest),
      complianceReportDigest: toHex(complianceReportDigest),
      reports,
      findings,
      entry: entry!,
      agency: JSON.parse(JSON.stringify(remaining)),
    };
    return {
      command: 'self-check',
      exit: 0,
      data,
      human: (l) => {
        const zh = l === 'zh';
        const period = `${formatTime(periodFrom)} – ${formatTime(periodTo)}`;
        const lines = [
          zh
            ? `已记录定期检查 ${selfCheckId}（#${res.seq}，第二十八条）：期间 ${period}，违规 ${findings.violations} 项，提示 ${findings.warnings} 项`
            : `Self-check ${selfCheckId} recorded (#${res.seq}, Art. 28): period ${period} (UTC+8), ${findings.violations} violation(s), ${findings.warnings} warning(s)`,
          zh
            ? `  核验报告 ${data.verifyReportDigest.slice(0, 16)}…  合规报告 ${data.complianceReportDigest.slice(0, 16)}…`
            : `  verification report ${data.verifyReportDigest.slice(0, 16)}…  compliance report ${data.complianceReportDigest.slice(0, 16)}…`,
        ];
        if (remaining.length) {
          lines.push(zh ? '本机构仍有：' : 'Still open for the agency:');
          for (const x of remaining) lines.push(findingLine(x, zh));
        }
        return lines.join('\n');
      },
    };
  });
}
