/**
 * One fixture that violates and one that satisfies each rule, with the exact findings. Seqs of cleanInspection():
 * case 10, action start 20, segments 30 and 40, 现场笔录 50, action end 60, deposit 70.
 */
import { describe, expect, it } from 'vitest';
import { JINCHENG_RULE_SET, deriveRuleSet } from '../../src/compliance';
import {
  ARCHIVIST,
  CaseBuilder,
  HEAD,
  MIN,
  OFFICER,
  SUPERVISOR,
  T0,
  cleanInspection,
  cst,
  run,
} from './fixtures';

const base = (rule: string, article: string, liability: string) => ({ rule, article, liability });

describe('baseline', () => {
  it('a clean inspection has no findings', () => {
    expect(run(cleanInspection().view())).toEqual([]);
  });
});

describe('Art. 9 officers', () => {
  const R = base('art09-officers', '9', '30(1)');
  it('one officer on site, on the action and its document', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['routine_supervision'], T0, { officers: ['P-wang'] });
    b.document('ON_SITE_INSPECTION_RECORD', T0 + MIN, {
      actionId: 'ACT-1',
      officers: ['P-wang'],
      signatures: { officers: false, party: 'signed' },
    });
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [20],
        code: 'too_few_officers',
        evidence: { actionId: 'ACT-1', officers: ['P-wang'], required: 2 },
      },
      {
        ...R,
        severity: 'violation',
        seqs: [30],
        code: 'document_too_few_officers',
        evidence: {
          documentId: 'DOC-1',
          type: 'ON_SITE_INSPECTION_RECORD',
          officers: ['P-wang'],
          required: 2,
        },
      },
      {
        ...R,
        severity: 'warning',
        seqs: [30],
        code: 'officers_not_signed',
        evidence: { documentId: 'DOC-1' },
      },
    ]);
  });
  it('a document naming an officer who was not on the action', () => {
    const b = cleanInspection();
    b.document('INQUIRY_RECORD', T0 + 2 * MIN, { actionId: 'ACT-1', officers: ['P-wang', 'P-zhao'] });
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'warning',
        seqs: [20, 80],
        code: 'officer_not_on_action',
        evidence: { documentId: 'DOC-2', actionId: 'ACT-1', officers: ['P-zhao'] },
      },
    ]);
  });
  it('a county requiring three officers (Art. 33)', () => {
    const rs = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'county',
      version: '1',
      settings: { minOfficersOnSite: 3 },
    });
    expect(run(cleanInspection().view(), { ruleSet: rs }).map((f) => [f.code, f.seqs])).toEqual([
      ['too_few_officers', [20]],
      ['document_too_few_officers', [50]],
    ]);
  });
});

describe('Art. 11 mandatory AV and Art. 12 AV as required', () => {
  it('a seizure without AV is a violation (Art. 11); with AV it is not', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['seize_property'], T0);
    b.add(
      'enf/approval.coercive-measure',
      {
        approvalId: 'AP-1',
        decision: 'approved',
        decidedAt: T0 - MIN,
        measure: 'seize_property',
      },
      HEAD,
    );
    b.document('SEAL_SEIZURE_DECISION', T0 + MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 10 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 10 * MIN);
    const findings = run(b.view()).filter((f) => f.rule === 'art11-mandatory-av');
    expect(findings).toEqual([
      {
        ...base('art11-mandatory-av', '11', '30(1)'),
        severity: 'violation',
        seqs: [20],
        code: 'missing_av',
        evidence: {
          actionId: 'ACT-1',
          actionTypes: ['seize_property'],
          documents: ['DOC-1'],
          exceptions: [],
        },
      },
    ]);
    b.segment('ACT-1', T0, T0 + 10 * MIN);
    expect(run(b.view())).toEqual([]);
  });
  it('an inspection without AV is a warning (Art. 12), not a violation', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['on_site_inspection', 'dispute_likely', 'sampling'], T0);
    b.document('ON_SITE_INSPECTION_RECORD', T0 + MIN, { actionId: 'ACT-1', endedAt: T0 + 29 * MIN });
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', cst(2026, 3, 4, 9), T0 + 30 * MIN);
    expect(run(b.view())).toEqual([
      {
        ...base('art12-av-as-required', '12', '30(1)'),
        severity: 'warning',
        seqs: [20],
        code: 'av_expected',
        // Art. 12(2): sampling (采样) is 调查取证 too.
        evidence: { actionId: 'ACT-1', actionTypes: ['on_site_inspection', 'dispute_likely', 'sampling'] },
      },
    ]);
  });
  it('an ordinary action without AV gives nothing', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['direct_service'], T0);
    b.end('ACT-1', T0 + 10 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 10 * MIN);
    expect(run(b.view())).toEqual([]);
  });
});

describe('Art. 13 AV metadata and span', () => {
  const R = base('art13-av-metadata', '13', '30(1)');
  it('a segment by an officer not on the action, outside the action, and a document span off by 10 minutes', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['on_site_inspection'], T0);
    b.segment('ACT-1', T0, T0 + 30 * MIN);
    b.segment('ACT-1', T0 + 30 * MIN, T0 + 50 * MIN, { officerId: 'P-zhao' });
    b.document('ON_SITE_INSPECTION_RECORD', T0 + MIN, { actionId: 'ACT-1', endedAt: T0 + 40 * MIN });
    b.end('ACT-1', T0 + 40 * MIN);
    b.deposit('ACT-1', cst(2026, 3, 4, 9), T0 + 40 * MIN);
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [20, 40],
        code: 'segment_officer_not_on_action',
        evidence: { segmentId: 'SEG-2', actionId: 'ACT-1', officerId: 'P-zhao' },
      },
      {
        ...R,
        severity: 'violation',
        seqs: [20, 40, 60],
        code: 'segment_outside_action',
        evidence: { segmentId: 'SEG-2', actionId: 'ACT-1', startedAt: T0 + 30 * MIN, endedAt: T0 + 50 * MIN },
      },
      {
        ...R,
        severity: 'violation',
        seqs: [30, 40, 50],
        code: 'span_mismatch',
        evidence: {
          documentId: 'DOC-1',
          actionId: 'ACT-1',
          documentStart: T0 + MIN,
          documentEnd: T0 + 40 * MIN,
          avStart: T0,
          avEnd: T0 + 50 * MIN,
          toleranceMs: 5 * MIN,
        },
      },
    ]);
  });
  it('a segment lacking its device id', () => {
    const b = cleanInspection();
    b.segment('ACT-1', T0 + 29 * MIN, T0 + 30 * MIN, { deviceId: '' });
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [80],
        code: 'segment_metadata',
        evidence: { segmentId: 'SEG-3', fields: ['deviceId'] },
      },
    ]);
  });
  it('a span within the tolerance, and a document type not compared, give nothing', () => {
    const b = cleanInspection();
    b.document('HEALTH_SUPERVISION_OPINION', T0 + 20 * MIN, { actionId: 'ACT-1', endedAt: T0 + 21 * MIN });
    expect(run(b.view())).toEqual([]);
  });
});

describe('Art. 14–16 required documents', () => {
  it('an inspection without its 现场笔录, and a closed penalty case without a decision', () => {
    const b = new CaseBuilder('penalty');
    b.start('ACT-1', ['on_site_inspection'], T0);
    b.segment('ACT-1', T0, T0 + 30 * MIN);
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', cst(2026, 3, 4, 9), T0 + 30 * MIN);
    const close = b.add('enf/case.close', { closedAt: cst(2026, 3, 5, 9), outcome: 'x' });
    b.add(
      'enf/case.archive',
      { archivedAt: cst(2026, 3, 5, 10), archiveNo: 'A', retentionClass: 'D30' },
      ARCHIVIST,
    );
    const R = {
      rule: 'art14-16-required-documents',
      liability: '30(1)',
      severity: 'violation',
      code: 'missing_document',
    };
    expect(run(b.view())).toEqual([
      // Same record and code: ordered by message (HEALTH… before ON_SITE…).
      {
        ...R,
        article: '15',
        seqs: [20],
        evidence: { anyOf: ['HEALTH_SUPERVISION_OPINION'], trigger: 'action on_site_inspection' },
      },
      {
        ...R,
        article: '15',
        seqs: [20],
        evidence: { anyOf: ['ON_SITE_INSPECTION_RECORD'], trigger: 'action on_site_inspection' },
      },
      {
        ...R,
        article: '15',
        seqs: [close],
        evidence: {
          anyOf: ['PENALTY_DECISION', 'ON_THE_SPOT_PENALTY_DECISION', 'CASE_CLOSING_REPORT'],
          trigger: 'case closed',
        },
      },
    ]);
  });
  it('the same case with its documents gives nothing', () => {
    const b = cleanInspection('penalty');
    b.document('HEALTH_SUPERVISION_OPINION', T0 + 20 * MIN, { actionId: 'ACT-1' });
    b.document('CASE_CLOSING_REPORT', cst(2026, 3, 5, 8));
    b.add('enf/case.close', { closedAt: cst(2026, 3, 5, 9), outcome: 'x' });
    b.add(
      'enf/case.archive',
      { archivedAt: cst(2026, 3, 5, 10), archiveNo: 'A', retentionClass: 'D30' },
      ARCHIVIST,
    );
    expect(run(b.view())).toEqual([]);
  });
  it('a hearing notice without a hearing record; a county set that does not ask for it', () => {
    const b = cleanInspection();
    const n = b.document('HEARING_NOTICE', cst(2026, 3, 10, 9));
    expect(run(b.view())).toEqual([
      {
        rule: 'art14-16-required-documents',
        article: '15',
        liability: '30(1)',
        severity: 'violation',
        seqs: [n],
        code: 'missing_document',
        evidence: { anyOf: ['HEARING_RECORD'], trigger: 'document HEARING_NOTICE' },
      },
    ]);
    const county = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'county',
      version: '1',
      settings: {
        documents: {
          all: JINCHENG_RULE_SET.settings.documents.all!.filter((r) => !('documents' in r.when)),
        },
      },
    });
    expect(run(b.view(), { ruleSet: county })).toEqual([]);
  });
});

describe('Art. 15 document order', () => {
  const R = {
    rule: 'art15-document-order',
    article: '15',
    liability: '30(1)',
    severity: 'violation',
    code: 'out_of_order',
  };
  it('a decision issued before the prior notice', () => {
    const b = cleanInspection();
    const d = b.document('PENALTY_DECISION', cst(2026, 3, 9, 17));
    const n = b.document('PENALTY_PRIOR_NOTICE', cst(2026, 3, 10, 10));
    b.document('COLLEGIAL_DELIBERATION_RECORD', cst(2026, 3, 9, 15));
    expect(run(b.view()).filter((f) => f.rule === R.rule)).toEqual([
      {
        ...R,
        seqs: [d, n],
        evidence: {
          before: 'PENALTY_PRIOR_NOTICE',
          after: 'PENALTY_DECISION',
          documentId: 'DOC-2',
          issuedAt: cst(2026, 3, 9, 17),
          beforeDocuments: ['DOC-3'],
        },
      },
    ]);
  });
  it('a decision with no prior notice at all', () => {
    const b = cleanInspection();
    const d = b.document('PENALTY_DECISION', cst(2026, 3, 9, 17));
    expect(run(b.view()).filter((f) => f.rule === R.rule)).toEqual([
      {
        ...R,
        seqs: [d],
        evidence: {
          before: 'PENALTY_PRIOR_NOTICE',
          after: 'PENALTY_DECISION',
          documentId: 'DOC-2',
          issuedAt: cst(2026, 3, 9, 17),
          beforeDocuments: [],
        },
      },
    ]);
  });
  it('notice, then decision: nothing', () => {
    const b = cleanInspection();
    b.document('PENALTY_PRIOR_NOTICE', cst(2026, 3, 10, 10));
    // Art. 15(3): the notice is served before the decision.
    b.document('SERVICE_RECEIPT', cst(2026, 3, 10, 11), { serves: ['DOC-2'] });
    b.document('COLLEGIAL_DELIBERATION_RECORD', cst(2026, 3, 9, 15));
    b.document('PENALTY_DECISION', cst(2026, 3, 27, 10));
    expect(run(b.view())).toEqual([]);
  });
});

describe('Art. 16 coercion', () => {
  const R = base('art16-coercion', '16', '30(1)');
  const seizure = (approver = HEAD, decision = 'approved') => {
    const b = new CaseBuilder('coercion');
    b.add(
      'enf/approval.coercive-measure',
      {
        approvalId: 'AP-1',
        decision,
        decidedAt: T0 - MIN,
        measure: 'seize_property',
      },
      approver,
    );
    b.start('ACT-1', ['seize_property'], T0);
    b.segment('ACT-1', T0, T0 + 10 * MIN);
    b.document('SEAL_SEIZURE_DECISION', T0 + MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 10 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 10 * MIN);
    return b;
  };
  it('approved by the head, with AV: nothing', () => {
    expect(run(seizure().view())).toEqual([]);
  });
  it('approved by a supervisor only, or rejected: violation', () => {
    expect(run(seizure(SUPERVISOR).view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [20, 30],
        code: 'missing_approval',
        evidence: {
          actionId: 'ACT-1',
          grounds: ['seize_property', 'matter:coercion', 'document:DOC-1'],
          approvals: [{ approvalId: 'AP-1', problem: 'approver_lacks_role' }],
        },
      },
    ]);
    expect(run(seizure(HEAD, 'rejected').view())[0]!.evidence).toEqual({
      actionId: 'ACT-1',
      grounds: ['seize_property', 'matter:coercion', 'document:DOC-1'],
      approvals: [{ approvalId: 'AP-1', problem: 'rejected' }],
    });
  });
  it('every action of a coercion matter is a coercive measure', () => {
    const b = new CaseBuilder('coercion');
    b.start('ACT-1', ['direct_service'], T0);
    b.end('ACT-1', T0 + 10 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 10 * MIN);
    expect(run(b.view()).map((f) => [f.rule, f.code, f.seqs])).toEqual([
      ['art16-coercion', 'missing_approval', [20]],
      ['art16-coercion', 'missing_av', [20]],
    ]);
  });
});

describe('Art. 17–18 AV continuity and exceptions', () => {
  const R = base('art17-av-continuity', '17', '30(1)');
  const withGap = () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['on_site_inspection'], T0);
    b.segment('ACT-1', T0 + 3 * MIN, T0 + 10 * MIN); // late start: 3-minute gap from arrival
    b.segment('ACT-1', T0 + 20 * MIN, T0 + 30 * MIN); // 10-minute gap
    b.document('ON_SITE_INSPECTION_RECORD', T0 + 3 * MIN, { actionId: 'ACT-1', endedAt: T0 + 29 * MIN });
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', cst(2026, 3, 4, 9), T0 + 30 * MIN);
    return b;
  };
  const gap = (seqs: number[], from: number, to: number, exceptions: unknown[] = []) => ({
    ...R,
    severity: 'violation',
    seqs,
    code: 'gap',
    evidence: { actionId: 'ACT-1', from, to, durationMs: to - from, toleranceMs: 2 * MIN, exceptions },
  });
  it('gaps from arrival and between segments', () => {
    expect(run(withGap().view())).toEqual([
      gap([20, 30], T0, T0 + 3 * MIN),
      gap([20, 30, 40], T0 + 10 * MIN, T0 + 20 * MIN),
    ]);
  });
  const exception = (b: CaseBuilder, reason: string, approver: typeof HEAD | null, decision = 'approved') => {
    const x = b.add('enf/exception', {
      exceptionId: 'EX-1',
      actionId: 'ACT-1',
      reason,
      from: T0 + 10 * MIN,
      to: T0 + 20 * MIN,
    });
    if (approver)
      b.add(
        'enf/approval.av-exception',
        { approvalId: 'AP-X', exceptionId: 'EX-1', decision, decidedAt: T0 + 40 * MIN },
        approver,
      );
    return x;
  };
  it('an approved privacy exception excuses the gap it covers', () => {
    const b = withGap();
    exception(b, 'personal_privacy', HEAD);
    expect(run(b.view())).toEqual([gap([20, 30], T0, T0 + 3 * MIN)]);
  });
  for (const [name, reason, approver, decision, problem] of [
    ['not approved', 'personal_privacy', null, 'approved', 'not_approved'],
    ['approved by a supervisor', 'personal_privacy', SUPERVISOR, 'approved', 'approver_lacks_role'],
    ['rejected', 'force_majeure', HEAD, 'rejected', 'approval_rejected'],
    ["with reason 'other'", 'other', HEAD, 'approved', 'reason_not_allowed'],
  ] as const)
    it(`an exception ${name} does not excuse it`, () => {
      const b = withGap();
      const x = exception(b, reason, approver, decision);
      expect(run(b.view())).toEqual([
        gap([20, 30], T0, T0 + 3 * MIN),
        gap([20, 30, 40, x], T0 + 10 * MIN, T0 + 20 * MIN, [{ exceptionId: 'EX-1', problem }]),
      ]);
    });
  it('a pause within the tolerance is not a gap', () => {
    const b = cleanInspection();
    b.segment('ACT-1', T0 + 31 * MIN, T0 + 32 * MIN);
    const v = b.view();
    expect(run(v).filter((f) => f.rule === R.rule)).toEqual([]);
  });
});

describe('Art. 22(1) deposit within 2 working days', () => {
  const R = base('art22-1-deposit', '22(1)', '30(3)');
  const ended = (endAt: number) => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['direct_service'], endAt - 10 * MIN);
    b.end('ACT-1', endAt);
    return b;
  };
  it('Fri 2026-02-13 → deadline Tue 02-24 (Spring Festival); 02-24 is on time, 02-25 late', () => {
    const end = cst(2026, 2, 13, 16);
    const ok = ended(end);
    ok.deposit('ACT-1', cst(2026, 2, 24, 23, 59), end);
    expect(run(ok.view())).toEqual([]);
    const late = ended(end);
    const d = late.deposit('ACT-1', cst(2026, 2, 25, 8), end);
    expect(run(late.view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [30, d],
        code: 'late_deposit',
        evidence: {
          actionId: 'ACT-1',
          basis: 'on_site_end',
          basisAt: end,
          deadline: '2026-02-24',
          workingDays: 2,
          approvals: [],
          depositId: `DEP-ACT-1-${cst(2026, 2, 25, 8)}`,
          depositedAt: cst(2026, 2, 25, 8),
          records: [],
        },
      },
    ]);
  });
  it('a late deposit approved by a supervisor is excused; by an officer it is not', () => {
    const end = cst(2026, 9, 30, 16);
    for (const [approver, n] of [
      [SUPERVISOR, 0],
      [OFFICER, 1],
    ] as const) {
      const b = ended(end);
      b.add(
        'enf/approval.late-deposit',
        {
          approvalId: 'AP-L',
          actionId: 'ACT-1',
          reason: '异地执法',
          decision: 'approved',
          decidedAt: cst(2026, 10, 8, 9),
        },
        approver,
      );
      b.deposit('ACT-1', cst(2026, 10, 12, 9), end, { lateApprovalId: 'AP-L' });
      expect(run(b.view()).length).toBe(n);
    }
  });
  it('a remote action counts from the return (2026-09-30 → 10-09)', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['direct_service'], cst(2026, 9, 28, 9), { remote: true });
    b.end('ACT-1', cst(2026, 9, 28, 10), { returnedAt: cst(2026, 9, 30, 18) });
    b.deposit('ACT-1', cst(2026, 10, 9, 17), cst(2026, 9, 30, 18), { basis: 'return' });
    expect(run(b.view())).toEqual([]);
  });
  it('no deposit: nothing before the deadline passes, a violation after', () => {
    const end = cst(2026, 9, 18, 16);
    const v = ended(end).view();
    expect(run(v, { asOf: cst(2026, 9, 21, 23) })).toEqual([]);
    expect(run(v, { asOf: cst(2026, 9, 22, 8) })).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [30],
        code: 'missing_deposit',
        evidence: {
          actionId: 'ACT-1',
          basis: 'on_site_end',
          basisAt: end,
          deadline: '2026-09-21',
          workingDays: 2,
          approvals: [],
          asOf: cst(2026, 9, 22, 8),
          records: [],
        },
      },
    ]);
  });
  it('a year without a calendar gives a calendar_unknown warning, never a guess', () => {
    const end = cst(2027, 1, 8, 16);
    const b = ended(end);
    const d = b.deposit('ACT-1', cst(2027, 1, 12, 9), end);
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'warning',
        seqs: [30, d],
        code: 'calendar_unknown',
        evidence: { actionId: 'ACT-1', basis: 'on_site_end', basisAt: end, year: 2027 },
      },
    ]);
    // Within 2 calendar days is on time under any calendar.
    const c = ended(end);
    c.deposit('ACT-1', cst(2027, 1, 10, 9), end);
    expect(run(c.view())).toEqual([]);
  });
});

describe('Art. 22(2) archive on closing', () => {
  const R = base('art22-2-archive', '22(2)', '30(3)');
  it('closed without archive: violation; archived: nothing', () => {
    const b = cleanInspection();
    const c = b.add('enf/case.close', { closedAt: cst(2026, 3, 5, 9), outcome: 'x' });
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [c],
        code: 'not_archived',
        evidence: { caseId: 'C-1', closedAt: cst(2026, 3, 5, 9) },
      },
    ]);
    b.add(
      'enf/case.archive',
      { archivedAt: cst(2026, 3, 6, 9), archiveNo: 'A', retentionClass: 'D30' },
      ARCHIVIST,
    );
    expect(run(b.view())).toEqual([]);
  });
  it('with a 5-working-day setting, an archive after the deadline is late', () => {
    const rs = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'c',
      version: '1',
      settings: { archiveWorkingDays: 5 },
    });
    const b = cleanInspection();
    const c = b.add('enf/case.close', { closedAt: cst(2026, 9, 25, 9), outcome: 'x' });
    expect(run(b.view(), { ruleSet: rs, asOf: cst(2026, 10, 9, 23) })).toEqual([]);
    const a = b.add(
      'enf/case.archive',
      { archivedAt: cst(2026, 10, 15, 9), archiveNo: 'A', retentionClass: 'D30' },
      ARCHIVIST,
    );
    // Fri 09-25 (Mid-autumn holiday): 09-28, 29, 30, then National Day, 10-08, 10-09 → 2026-10-09.
    expect(run(b.view(), { ruleSet: rs })).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [c, a],
        code: 'late_archive',
        evidence: { caseId: 'C-1', closedAt: cst(2026, 9, 25, 9), deadline: '2026-10-09' },
      },
    ]);
  });
});

describe('Art. 8 electronic data agrees with the document', () => {
  const R = base('art08-data-consistency', '8', 'none');
  const withData = (dataFields: Record<string, unknown>, documentId = 'DOC-2') => {
    const b = cleanInspection();
    const d = b.document('HEALTH_SUPERVISION_OPINION', T0 + 20 * MIN, {
      actionId: 'ACT-1',
      fields: { party: '某某诊所', amount: 5000 },
    });
    const r = b.add('enf/data', {
      dataId: 'D-1',
      documentId,
      system: 's',
      recordedAt: T0 + 60 * MIN,
      fields: dataFields,
    });
    return { b, d, r };
  };
  it('agreeing fields: nothing', () => {
    expect(run(withData({ party: '某某诊所', amount: 5000 }).b.view())).toEqual([]);
  });
  it('a different amount, and a field the document lacks', () => {
    const { b, d, r } = withData({ party: '某某诊所', amount: 500, status: 'paid' });
    expect(run(b.view())).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [d, r],
        code: 'field_mismatch',
        evidence: {
          dataId: 'D-1',
          documentId: 'DOC-2',
          fields: [{ field: 'amount', data: 500, document: 5000 }],
        },
      },
      {
        ...R,
        severity: 'warning',
        seqs: [d, r],
        code: 'field_unverifiable',
        evidence: { dataId: 'D-1', documentId: 'DOC-2', fields: ['status'] },
      },
    ]);
  });
  it('a document missing from the case', () => {
    const { b, r } = withData({ party: '某某诊所' }, 'DOC-9');
    expect(run(b.view())).toEqual([
      {
        ...R,
        liability: '30(1)',
        severity: 'violation',
        seqs: [r],
        code: 'document_missing',
        evidence: { dataId: 'D-1', documentId: 'DOC-9' },
      },
    ]);
  });
});

describe('rule sets choose the rules (Art. 33)', () => {
  it('a county without Art. 12 gets no advisory findings', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['inquiry'], T0);
    b.document('INQUIRY_RECORD', T0 + MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 30 * MIN);
    expect(run(b.view()).map((f) => f.code)).toEqual(['av_expected']);
    const rs = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'county',
      version: '1',
      rules: JINCHENG_RULE_SET.rules.filter((r) => r !== 'art12-av-as-required'),
    });
    expect(run(b.view(), { ruleSet: rs })).toEqual([]);
  });
});
