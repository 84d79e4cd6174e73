/**
 * `compliance [--case <id>]`: the Jincheng rule set over one case or every case of the ledger. Exit 1 when any
 * violation is found. Over the whole ledger it also reports the agency's own findings (Art. 28: 定期 self-checks at
 * the rule set's cadence, `self-check` records them) and the retention and access findings. `--html <file>` also
 * writes the inspector's report (checklist from a full verify).
 */
import { writeFile } from 'node:fs/promises';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { openStore, withFolder } from '../folder';
import { renderHtmlReport } from '../report/html';
import { caseIds, checkLedgerOf, ledgerInspectionReport } from '../report/from-ledger';
import type { OutputOf } from '../schemas';
import { archiveFindings, archiveLines, archiveViolations, findingLine } from './archive';
import { parseTime } from './time';

export async function compliance(
  ctx: Ctx,
  opts: { case?: string; asOf?: string; html?: string },
): Promise<Outcome> {
  const asOf = opts.asOf === undefined ? ctx.clock() : parseTime(opts.asOf, '--as-of');
  return withFolder(ctx, async (f) => {
    const er = f.records;
    if (opts.case !== undefined && !(await caseIds(er)).includes(opts.case))
      throw new CliError('NOT_FOUND', `no case ${opts.case} in this ledger`);
    const whole = opts.case === undefined;
    const { cases: results, ledger } = await checkLedgerOf(er, whole ? undefined : [opts.case!], asOf);
    // Art. 28 is about the agency, judged over every case: not reported for one case.
    const agency = whole ? ledger.findings : null;
    if (opts.html !== undefined) {
      const v = await er.ledger.verify();
      const report = ledgerInspectionReport(er, ctx.dir, v, null, results, ctx.clock(), agency ?? undefined);
      await writeFile(opts.html, renderHtmlReport(report, 'zh'));
    }
    const cases = results.map((r) => JSON.parse(JSON.stringify(r.report)));
    const archive = whole ? await archiveFindings(er.ledger, await openStore(ctx.dir)) : null;
    const agencyViolations = agency?.filter((x) => x.severity === 'violation').length ?? 0;
    const violations =
      results.reduce((n, r) => n + r.report.counts.bySeverity.violation, 0) +
      archiveViolations(archive) +
      agencyViolations;
    const data: Omit<OutputOf<'compliance'>, 'format' | 'command'> = {
      scope: whole ? 'ledger' : 'case',
      compliant: violations === 0,
      violations,
      cases,
      html: opts.html ?? null,
      archive,
      agency: agency === null ? null : JSON.parse(JSON.stringify(agency)),
      byAgency: whole ? { ...ledger.byAgency } : null,
    };
    return {
      command: 'compliance',
      exit: violations === 0 ? 0 : 1,
      data,
      human: (l) => {
        const lines: string[] = [];
        for (const r of results) {
          lines.push(l === 'zh' ? r.report.summary.zh : r.report.summary.en);
          for (const x of r.report.findings) lines.push(findingLine(x, l === 'zh'));
        }
        if (results.length === 0) lines.push(l === 'zh' ? '台账中没有案件' : 'No case in this ledger');
        if (agency?.length) {
          lines.push(l === 'zh' ? '本机构（定期检查）：' : 'The agency (periodic self-checks):');
          for (const x of agency) lines.push(findingLine(x, l === 'zh'));
        }
        if (archive?.findings.length) {
          lines.push(l === 'zh' ? '保存与调阅：' : 'Retention and access:');
          lines.push(...archiveLines(archive, l === 'zh'));
        }
        if (opts.html) lines.push(l === 'zh' ? `报告：${opts.html}` : `Report: ${opts.html}`);
        return lines.join('\n');
      },
    };
  });
}
