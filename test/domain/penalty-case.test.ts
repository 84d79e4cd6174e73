/**
 * The penalty-case example: it builds, verifies, and each injectable defect is present in the records (the
 * compliance tests check that the rules find them; here we check the example injects what it says).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type EnforcementRecord,
  KIND,
  PENALTY_CASE_DEFECTS,
  type PenaltyCaseDefect,
  buildPenaltyCase,
  contentRefOf,
  cst,
} from '../../src/domain';
import { FsContentStore } from '../../src/content';
import { nodeSuite } from '../../src/crypto/node';

const base = mkdtempSync(join(tmpdir(), 'domain-penalty-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

async function build(defects: PenaltyCaseDefect[] = []) {
  const r = await buildPenaltyCase(join(base, `l${n++}`), { defects, keepOpen: true });
  const recs = await r.records!.caseRecords(r.caseId);
  await r.records!.ledger.close();
  return { r, recs };
}

const of = <K extends EnforcementRecord['kind']>(recs: EnforcementRecord[], kind: K) =>
  recs.filter((x): x is Extract<EnforcementRecord, { kind: K }> => x.kind === kind);

describe('penalty case example', () => {
  it('builds a complete case that verifies', async () => {
    const { r, recs } = await build();
    expect(r.verify.problems).toEqual([]);
    expect(r.verify.ok).toBe(true);
    const types = of(recs, KIND.document).map((d) => d.body.type);
    for (const t of [
      'ON_SITE_INSPECTION_RECORD',
      'HEALTH_SUPERVISION_OPINION',
      'EVIDENCE_PRESERVATION_DECISION',
      'INQUIRY_RECORD',
      'COLLEGIAL_DELIBERATION_RECORD',
      'PENALTY_PRIOR_NOTICE',
      'HEARING_NOTICE',
      'HEARING_RECORD',
      'PENALTY_DECISION',
      'SERVICE_RECEIPT',
      'CASE_CLOSING_REPORT',
    ])
      expect(types, t).toContain(t);
    expect(types.indexOf('PENALTY_PRIOR_NOTICE')).toBeLessThan(types.indexOf('PENALTY_DECISION'));
    expect(recs[0]!.kind).toBe(KIND.case);
    expect(recs[recs.length - 1]!.kind).toBe(KIND.caseArchive);
    // Every action ended and deposited; every segment and document of an action listed in its deposit.
    const starts = of(recs, KIND.actionStart);
    const deposits = of(recs, KIND.deposit);
    expect(of(recs, KIND.actionEnd)).toHaveLength(starts.length);
    expect(deposits).toHaveLength(starts.length);
    for (const s of of(recs, KIND.segment))
      expect(deposits.some((d) => d.body.segmentIds?.includes(s.body.segmentId))).toBe(true);
    expect(starts.every((s) => s.body.officers.length === 2)).toBe(true);
    // The inquiry's AV pause is covered by an exception approved by the head.
    const [ex] = of(recs, KIND.exception);
    const [apr] = of(recs, KIND.approvalAvException);
    expect(apr!.body.exceptionId).toBe(ex!.body.exceptionId);
    expect(apr!.signer.roles).toContain('head');
    expect(r.counts[KIND.segment]).toBe(of(recs, KIND.segment).length);
  });

  it('injects each defect, and the ledger still verifies (the defects are compliance findings, not tampering)', async () => {
    for (const defect of PENALTY_CASE_DEFECTS) {
      const { r, recs } = await build([defect]);
      expect(r.verify.ok, defect).toBe(true);
      const starts = of(recs, KIND.actionStart);
      const inspection = starts.find((s) => s.body.actionTypes.includes('on_site_inspection'))!;
      switch (defect) {
        case 'single_officer':
          expect(inspection.body.officers).toHaveLength(1);
          break;
        case 'missing_av_for_seizure': {
          const seizure = starts.find((s) => s.body.actionTypes.includes('seize_property'))!;
          expect(of(recs, KIND.segment).filter((s) => s.body.actionId === seizure.body.actionId)).toEqual([]);
          expect(of(recs, KIND.approvalCoerciveMeasure)).toHaveLength(1);
          break;
        }
        case 'unexcused_gap': {
          const segs = of(recs, KIND.segment).filter((s) => s.body.actionId === inspection.body.actionId);
          const gaps = segs.slice(1).map((s, i) => s.body.startedAt - segs[i]!.body.endedAt);
          expect(gaps).toContain(10 * 60_000);
          expect(
            of(recs, KIND.exception).filter((e) => e.body.actionId === inspection.body.actionId),
          ).toEqual([]);
          break;
        }
        case 'late_deposit': {
          const dep = of(recs, KIND.deposit).find((d) => d.body.actionId === inspection.body.actionId)!;
          expect(dep.body.depositedAt).toBe(cst(2026, 3, 9, 10, 0)); // deadline was Thu 2026-03-05
          expect(dep.body.lateApprovalId).toBeUndefined();
          break;
        }
        case 'decision_before_prior_notice': {
          const docs = of(recs, KIND.document);
          const at = (t: string) => docs.find((d) => d.body.type === t)!.body.startedAt;
          expect(at('PENALTY_DECISION')).toBeLessThan(at('PENALTY_PRIOR_NOTICE'));
          break;
        }
      }
    }
  });

  it('computes content refs as the content store does (0 bytes, 1 byte, several chunks)', async () => {
    const store = await FsContentStore.open(join(base, 'store'));
    const big = new Uint8Array(2.5 * 2 ** 20).map((_, i) => (i * 7919) & 255);
    for (const bytes of [new Uint8Array(0), Uint8Array.of(1), big, big.subarray(0, 2 ** 20)]) {
      const expected = await store.put(
        (async function* () {
          yield bytes;
        })(),
      );
      expect(contentRefOf(bytes, nodeSuite.hash)).toEqual(expected);
    }
  });

  it('refuses an unknown defect name', async () => {
    await expect(
      buildPenaltyCase(join(base, 'bad'), { defects: ['nope' as PenaltyCaseDefect] }),
    ).rejects.toThrow(RangeError);
  });

  it('examples/penalty-case.ts runs and reports a verified ledger', () => {
    const script = fileURLToPath(new URL('../../examples/penalty-case.ts', import.meta.url));
    const res = spawnSync(process.execPath, ['--import', 'tsx', script, join(base, 'cli')], {
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(/verify: ok/);
    expect(res.stdout).toContain('JC-2026-PEN-0001');
  });
});
