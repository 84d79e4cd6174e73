/**
 * Art. 28 through the command line (issue 14 point 6): `compliance` over the whole ledger reports each complete
 * quarter with no self-check (the agency's own findings, in the JSON, the text and the HTML report) and exits 1;
 * `self-check` verifies, checks, and records an `enf/self-check` entry whose report digests are those of the files it
 * writes; a key without the role, a period not yet over or an existing report file is refused with nothing written;
 * once every due quarter is covered, `compliance` is clean again.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, expectOneLineError, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let dir: string;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const size = async () => (await cliJson('verify', ['-d', dir, 'verify', '--no-records'])).size;

beforeAll(async () => {
  tmp = await tempDir();
  dir = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', dir])).code).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('Art. 28 self-checks on the command line', () => {
  it('compliance reports each complete quarter with no self-check, in JSON, text and HTML', async () => {
    const html = join(tmp.dir, 'r.html');
    const c = await cliJson(
      'compliance',
      ['-d', dir, 'compliance', '--as-of', '2026-10-15', '--html', html],
      {
        expectCode: 1,
      },
    );
    // The demo case itself is clean; the agency never checked itself (Q1–Q3 2026 are over by 15 October).
    expect(c.cases.map((x) => x.compliant)).toEqual([true]);
    expect(c.agency!.map((f) => [f.article, f.code, f.severity, f.liability, f.evidence.from])).toEqual([
      ['28', 'no_self_check', 'violation', 'none', '2026-01-01'],
      ['28', 'no_self_check', 'violation', 'none', '2026-04-01'],
      ['28', 'no_self_check', 'violation', 'none', '2026-07-01'],
    ]);
    expect(c.violations).toBe(3);
    // Art. 32: cases are counted under the agency they are reported under (the demo's agency is not entrusted).
    expect(c.byAgency).toEqual({ 'jc-wjw': { cases: 1, violations: 0 } });
    const page = await readFile(html, 'utf8');
    expect(page).toContain('id="agency"');
    expect(page.match(/data-article="28" data-code="no_self_check"/g)).toHaveLength(3);
    const en = await cli(['-d', dir, '--lang', 'en', 'compliance', '--as-of', '2026-10-15']);
    expect(en.stdout).toMatch(/Art\. 28 no_self_check: no self-check record covers 2026-07-01–2026-09-30/);
    // One case: the agency is not judged.
    const one = await cliJson('compliance', [
      '-d',
      dir,
      'compliance',
      '--case',
      'JC-2026-PEN-0001',
      '--as-of',
      '2026-10-15',
    ]);
    expect(one).toMatchObject({ compliant: true, agency: null, byAgency: null });
  });

  it('refuses a key without the role, a period not over, an existing report file; nothing written', async () => {
    const n = await size();
    const base = ['-d', dir, '--now', '2026-10-15T10:00', 'self-check', '--from', '2026-01-01'];
    // An officer may not sign a self-check (supervisor, archivist or head).
    expectOneLineError(await cli([...base, '--to', '2026-06-30', '--key', 'P-wang']), 'ROLE_MISSING', 2);
    expectOneLineError(await cli([...base, '--to', '2026-12-31', '--key', 'P-zhao']), 'USAGE', 2);
    // Report files are never overwritten (checked before anything is recorded).
    await writeFile(join(tmp.dir, 'verify-report.json'), 'x');
    expectOneLineError(
      await cli([...base, '--to', '2026-06-30', '--key', 'P-zhao', '--reports', tmp.dir]),
      'STORAGE_EXISTS',
      3,
    );
    expect(await readFile(join(tmp.dir, 'verify-report.json'), 'utf8')).toBe('x');
    expect(await size()).toBe(n);
  });

  it('records a self-check whose digests are the reports it wrote; what is left is shown', async () => {
    const reports = join(tmp.dir, 'q1q2');
    const s = await cliJson('self-check', [
      '-d',
      dir,
      '--now',
      '2026-10-15T10:00',
      'self-check',
      '--from',
      '2026-01-01',
      '--to',
      '2026-06-30',
      '--key',
      'P-zhao',
      '--self-check-id',
      'SC-2026-H1',
      '--summary',
      '上半年全过程记录检查',
      '--corrections',
      '无',
      '--reports',
      reports,
    ]);
    expect(s).toMatchObject({
      selfCheckId: 'SC-2026-H1',
      agencyId: 'jc-wjw',
      checkedBy: ['P-zhao'],
      scope: ['全过程记录制度', '设备设施管理'],
      entry: { kind: 'enf/self-check' },
      // The case is clean and the log verifies; Q3 is not covered yet (the report it relies on says so).
      findings: { violations: 1, warnings: 0 },
    });
    expect(sha256(await readFile(s.reports!.verify))).toBe(s.verifyReportDigest);
    expect(sha256(await readFile(s.reports!.compliance))).toBe(s.complianceReportDigest);
    const relied = JSON.parse(await readFile(s.reports!.compliance, 'utf8'));
    expect(relied.findings.map((f: { evidence: { from: string } }) => f.evidence.from)).toEqual([
      '2026-07-01',
    ]);
    expect(s.agency.map((f) => [f.code, f.evidence.from])).toEqual([['no_self_check', '2026-07-01']]);
    const zh = await cli([
      '-d',
      dir,
      '--lang',
      'zh',
      '--now',
      '2026-10-16T10:00',
      'self-check',
      '--from',
      '2026-07-01',
      '--to',
      '2026-09-30',
      '--key',
      'P-sun',
    ]);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/已记录定期检查 SC-[0-9A-F]{8}（#\d+，第二十八条）/);
    expect(zh.stdout).toMatch(/核验报告 [0-9a-f]{16}… {2}合规报告 [0-9a-f]{16}…/);
    expect(zh.stdout).not.toMatch(/本机构仍有/);
    // Every due quarter covered: the ledger is clean again, and the entries verify.
    const c = await cliJson('compliance', ['-d', dir, 'compliance', '--as-of', '2026-10-16']);
    expect(c).toMatchObject({ compliant: true, violations: 0, agency: [] });
    expect((await cliJson('verify', ['-d', dir, 'verify'])).ok).toBe(true);
  });
});
