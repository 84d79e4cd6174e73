/**
 * The regulation read article by article (issue 14): scenarios through the public API — records in, findings out —
 * each checked for article, code, severity and the Art. 30 item. Times are China wall-clock (UTC+8).
 */
import { describe, expect, it } from 'vitest';
import {
  type CaseView,
  JINCHENG_RULE_SET,
  type RuleSet,
  type ViewRecord,
  checkCaseInForce,
  checkLedger,
  defaultCalendar,
  deriveRuleSet,
  ruleSetInForce,
  runRules,
} from '../../src/compliance';
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

type Shape = ReturnType<typeof run>[number];
const pick = (fs: Shape[], rule: string) => fs.filter((f) => f.rule === rule);
/** The messages of the findings (`run` drops them). */
const messages = (v: CaseView, ruleSet: RuleSet = JINCHENG_RULE_SET) =>
  runRules(v, { ruleSet, calendar: defaultCalendar }).map((f) => f.message.zh);
const brief = (fs: Shape[]) => fs.map((f) => [f.article, f.code, f.severity, f.liability]);

describe('Art. 22(1) is a duty per record', () => {
  /** An inspection ending Fri 2026-09-18 16:00: deadline Mon 09-21 (Sat off, Sun 09-20 a make-up working day). */
  const END = cst(2026, 9, 18, 16);
  const START = END - 30 * MIN;
  const inspection = () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['on_site_inspection'], START);
    b.segment('ACT-1', START, START + 15 * MIN);
    b.segment('ACT-1', START + 15 * MIN, END);
    b.document('ON_SITE_INSPECTION_RECORD', START + MIN, { actionId: 'ACT-1', endedAt: END - MIN });
    b.end('ACT-1', END);
    return b;
  };

  it('the make-up working day counts: deposited Mon 09-21 is on time, Tue 09-22 late', () => {
    const ok = inspection();
    ok.deposit('ACT-1', cst(2026, 9, 21, 23, 59), END);
    expect(run(ok.view())).toEqual([]);
    const late = inspection();
    const d = late.deposit('ACT-1', cst(2026, 9, 22, 0, 1), END);
    const f = pick(run(late.view()), 'art22-1-deposit');
    expect(brief(f)).toEqual([['22(1)', 'late_deposit', 'violation', '30(3)']]);
    expect(f[0]!.seqs).toEqual([30, 40, 50, 60, d]);
    expect(f[0]!.evidence.deadline).toBe('2026-09-21');
    expect(f[0]!.evidence.records).toEqual([
      { kind: 'segment', id: 'SEG-1', seq: 30 },
      { kind: 'segment', id: 'SEG-2', seq: 40 },
      { kind: 'document', id: 'DOC-1', seq: 50 },
    ]);
  });

  it('a segment deposited a week after the rest is late on its own; one never deposited is reported', () => {
    const b = inspection();
    // The first deposit names only the document and the first segment.
    b.deposit('ACT-1', cst(2026, 9, 21, 9), END, { documentIds: ['DOC-1'], segmentIds: ['SEG-1'] });
    expect(brief(pick(run(b.view(), { asOf: cst(2026, 9, 21, 12) }), 'art22-1-deposit'))).toEqual([]);
    // On 09-22 the second segment is overdue.
    const pending = pick(run(b.view(), { asOf: cst(2026, 9, 22, 9) }), 'art22-1-deposit');
    expect(brief(pending)).toEqual([['22(1)', 'record_not_deposited', 'violation', '30(3)']]);
    expect(pending[0]!.evidence.records).toEqual([{ kind: 'segment', id: 'SEG-2', seq: 40 }]);
    expect(pending[0]!.seqs).toEqual([40, 60]);
    // It arrives a week later: a late deposit naming only that segment.
    const d2 = b.deposit('ACT-1', cst(2026, 9, 28, 9), END, { segmentIds: ['SEG-2'] });
    const late = pick(run(b.view()), 'art22-1-deposit');
    expect(brief(late)).toEqual([['22(1)', 'late_deposit', 'violation', '30(3)']]);
    expect(late[0]!.evidence.records).toEqual([{ kind: 'segment', id: 'SEG-2', seq: 40 }]);
    expect(late[0]!.seqs).toEqual([40, 60, d2]);
  });

  it('electronic data reflecting an on-site document is one of the action’s records', () => {
    const b = inspection();
    b.deposit('ACT-1', cst(2026, 9, 21, 9), END);
    const data = b.add('enf/data', {
      dataId: 'D-1',
      documentId: 'DOC-1',
      system: '执法信息系统',
      recordedAt: cst(2026, 9, 21, 10),
      fields: { x: 1 },
    });
    const f = pick(run(b.view(), { asOf: cst(2026, 9, 23, 9) }), 'art22-1-deposit');
    expect(brief(f)).toEqual([['22(1)', 'record_not_deposited', 'violation', '30(3)']]);
    expect(f[0]!.evidence.records).toEqual([{ kind: 'data', id: 'D-1', seq: data }]);
  });

  describe('a delay approval excuses only when decided before the deadline passed', () => {
    const approved = (decidedAt: number, approver = SUPERVISOR, extra: Record<string, unknown> = {}) => {
      const b = inspection();
      const ap = b.add(
        'enf/approval.late-deposit',
        {
          approvalId: 'AP-L',
          actionId: 'ACT-1',
          reason: '异地连续执法',
          decision: 'approved',
          decidedAt,
          ...extra,
        },
        approver,
        decidedAt,
      );
      const d = b.deposit('ACT-1', cst(2026, 9, 25, 9), END, { lateApprovalId: 'AP-L' });
      return { b, ap, d };
    };
    it('decided on the deadline day (Mon 09-21 23:59): excused', () => {
      expect(pick(run(approved(cst(2026, 9, 21, 23, 59)).b.view()), 'art22-1-deposit')).toEqual([]);
    });
    it('decided the minute after (Tue 09-22 00:01): the late deposit is reported with the approval named', () => {
      const { b, ap, d } = approved(cst(2026, 9, 22, 0, 1));
      const f = pick(run(b.view()), 'art22-1-deposit');
      expect(brief(f)).toEqual([['22(1)', 'late_deposit', 'violation', '30(3)']]);
      expect(f[0]!.seqs).toContain(ap);
      expect(f[0]!.seqs).toContain(d);
      expect(f[0]!.evidence.approvals).toEqual([
        { approvalId: 'AP-L', decidedAt: cst(2026, 9, 22, 0, 1), problem: 'decided_after_deadline' },
      ]);
      expect(messages(b.view()).join('\n')).toMatch(/延期移交批准 AP-L 作出于期限届满之后/);
    });
    it('granted until 09-24, deposited 09-25: not excused', () => {
      const { b } = approved(cst(2026, 9, 21, 9), SUPERVISOR, { until: cst(2026, 9, 24, 18) });
      expect(pick(run(b.view()), 'art22-1-deposit')[0]!.evidence.approvals).toEqual([
        { approvalId: 'AP-L', decidedAt: cst(2026, 9, 21, 9), problem: 'after_granted_date' },
      ]);
    });
    it('signed by an ordinary officer: not 机构主管领导, not excused', () => {
      const { b } = approved(cst(2026, 9, 21, 9), OFFICER);
      expect(pick(run(b.view()), 'art22-1-deposit')[0]!.evidence.approvals).toEqual([
        { approvalId: 'AP-L', decidedAt: cst(2026, 9, 21, 9), problem: 'approver_lacks_role' },
      ]);
    });
    it('across the National Day holiday: ending Wed 09-30 gives 10-09; approval on 10-09 excuses, 10-10 does not', () => {
      for (const [day, n] of [
        [9, 0],
        [10, 1],
      ] as const) {
        const end = cst(2026, 9, 30, 16);
        const b = new CaseBuilder();
        b.start('ACT-1', ['direct_service'], end - 10 * MIN);
        b.end('ACT-1', end);
        b.add(
          'enf/approval.late-deposit',
          {
            approvalId: 'AP-L',
            actionId: 'ACT-1',
            reason: 'r',
            decision: 'approved',
            decidedAt: cst(2026, 10, day, 17),
          },
          HEAD,
        );
        b.deposit('ACT-1', cst(2026, 10, 12, 9), end);
        expect(pick(run(b.view()), 'art22-1-deposit').length).toBe(n);
      }
    });
  });

  it('不得由经办人员自行保存: a deposit kept by one of the action’s officers is reported in old data', () => {
    const b = inspection();
    const d = b.deposit('ACT-1', cst(2026, 9, 21, 9), END, { custodianId: 'P-li' });
    const f = pick(run(b.view()), 'art22-1-deposit');
    expect(brief(f)).toEqual([['22(1)', 'custodian_is_officer', 'violation', '30(3)']]);
    expect(f[0]!.seqs).toEqual([20, d]);
    expect(f[0]!.evidence).toEqual({
      actionId: 'ACT-1',
      depositId: `DEP-ACT-1-${cst(2026, 9, 21, 9)}`,
      custodian: 'P-li',
    });
  });

  it('a deposit signed by an officer who is not the records person, naming no custodian, is reported', () => {
    const b = inspection();
    const d = b.add(
      'enf/deposit',
      {
        depositId: 'DEP-x',
        actionId: 'ACT-1',
        depositedAt: cst(2026, 9, 21, 9),
        basis: 'on_site_end',
        basisAt: END,
      },
      { principal: 'P-zhou', roles: ['officer'] },
    );
    const f = pick(run(b.view()), 'art22-1-deposit');
    expect(brief(f)).toEqual([['22(1)', 'custodian_not_designated', 'violation', '30(3)']]);
    expect(f[0]!.seqs).toEqual([d]);
  });
});

describe('Art. 16 by what happened, not only by tags', () => {
  const R = { rule: 'art16-coercion', article: '16', liability: '30(1)' };
  it('a 查封扣押决定书 issued in an action tagged as an inspection makes it a coercive measure (and Art. 11 sealing)', () => {
    const b = cleanInspection('penalty');
    b.document('SEAL_SEIZURE_DECISION', T0 + 20 * MIN, { actionId: 'ACT-1' });
    const f = run(b.view()).filter((x) => x.severity === 'violation');
    expect(f.map((x) => [x.rule, x.code])).toEqual([
      ['art14-16-required-documents', 'missing_document'],
      ['art16-coercion', 'missing_approval'],
    ]);
    expect(f[1]).toMatchObject({ ...R, severity: 'violation', seqs: [20] });
    expect(f[1]!.evidence.grounds).toEqual(['document:DOC-2']);
  });
  it('the same action without AV is reported under Art. 11 and Art. 16', () => {
    const b = new CaseBuilder('penalty');
    b.start('ACT-1', ['on_site_inspection'], T0);
    b.document('ON_SITE_INSPECTION_RECORD', T0 + MIN, { actionId: 'ACT-1', endedAt: T0 + 29 * MIN });
    b.document('SEAL_SEIZURE_DECISION', T0 + 20 * MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 30 * MIN);
    const f = run(b.view()).filter((x) => x.code === 'missing_av');
    expect(brief(f)).toEqual([
      ['11', 'missing_av', 'violation', '30(1)'],
      ['16', 'missing_av', 'violation', '30(1)'],
    ]);
    expect(f[0]!.evidence).toMatchObject({ actionTypes: [], documents: ['DOC-2'] });
  });
  it('行政控制 is an action type and a coercive measure; 行政控制决定书 recognises it too', () => {
    const b = new CaseBuilder('penalty');
    b.start('ACT-1', ['admin_control'], T0);
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 30 * MIN);
    expect(brief(pick(run(b.view()), 'art16-coercion'))).toEqual([
      ['16', 'missing_approval', 'violation', '30(1)'],
      ['16', 'missing_av', 'violation', '30(1)'],
    ]);
    // Not an Art. 11 situation: Art. 11 lists 查封 and 扣押, not 行政控制.
    expect(pick(run(b.view()), 'art11-mandatory-av')).toEqual([]);
    const c = new CaseBuilder('inspection');
    c.start('ACT-1', ['routine_supervision'], T0);
    c.document('ADMIN_CONTROL_DECISION', T0 + MIN, { actionId: 'ACT-1' });
    c.end('ACT-1', T0 + 30 * MIN);
    expect(pick(run(c.view()), 'art16-coercion')[0]!.evidence.grounds).toEqual(['document:DOC-1']);
  });
  it('16(3) an approval given more than 24 hours after the measure started does not count; within it does', () => {
    for (const [hours, n] of [
      [23, 0],
      [25, 1],
    ] as const) {
      const b = new CaseBuilder('coercion');
      b.start('ACT-1', ['seize_property'], T0);
      b.segment('ACT-1', T0, T0 + 10 * MIN);
      b.document('SEAL_SEIZURE_DECISION', T0 + MIN, { actionId: 'ACT-1' });
      b.end('ACT-1', T0 + 10 * MIN);
      b.deposit('ACT-1', T0 + 60 * MIN, T0 + 10 * MIN);
      b.add(
        'enf/approval.coercive-measure',
        {
          approvalId: 'AP-1',
          decision: 'approved',
          decidedAt: T0 + hours * 60 * MIN,
          measure: 'seize_property',
        },
        HEAD,
      );
      const f = pick(run(b.view()), 'art16-coercion');
      expect(f.length).toBe(n);
      if (n) expect(f[0]!.evidence.approvals).toEqual([{ approvalId: 'AP-1', problem: 'decided_too_late' }]);
    }
  });
  it('a decision document tied to no on-site action is a warning (its AV cannot be checked)', () => {
    const b = cleanInspection('coercion');
    b.add(
      'enf/approval.coercive-measure',
      { approvalId: 'AP-1', decision: 'approved', decidedAt: T0, measure: 'other' },
      HEAD,
    );
    const d = b.document('ADMIN_CONTROL_DECISION', T0 + 2 * 86_400_000);
    const f = pick(run(b.view()), 'art16-coercion').filter((x) => x.code === 'decision_without_action');
    expect(brief(f)).toEqual([['16', 'decision_without_action', 'warning', '30(1)']]);
    expect(f[0]!.seqs).toEqual([d]);
  });
});

describe('Art. 18 against Arts. 11 and 16: an approved exception covering the whole action', () => {
  const sealing = (reason = 'state_secret', approver = HEAD, to = T0 + 30 * MIN) => {
    const b = new CaseBuilder('coercion');
    b.add(
      'enf/approval.coercive-measure',
      { approvalId: 'AP-1', decision: 'approved', decidedAt: T0 - MIN, measure: 'seal_premises' },
      HEAD,
    );
    b.start('ACT-1', ['seal_premises'], T0);
    b.document('SEAL_SEIZURE_DECISION', T0 + MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 30 * MIN);
    const x = b.add('enf/exception', { exceptionId: 'EX-1', actionId: 'ACT-1', reason, from: T0, to });
    b.add(
      'enf/approval.av-exception',
      { approvalId: 'AP-X', exceptionId: 'EX-1', decision: 'approved', decidedAt: T0 + 40 * MIN },
      approver,
    );
    return { b, x };
  };
  it('by default the mandatory-AV findings become notes naming the exception (Art. 30 lists nothing)', () => {
    const { b, x } = sealing();
    const f = run(b.view());
    expect(brief(f)).toEqual([
      ['11', 'av_excepted', 'info', 'none'],
      ['16', 'av_excepted', 'info', 'none'],
    ]);
    for (const g of f) {
      expect(g.seqs).toContain(x);
      expect(g.evidence.exceptions).toEqual([{ exceptionId: 'EX-1', seq: x, problem: null }]);
    }
  });
  it('a rule set that does not let Art. 18 lift Arts. 11/16 keeps the violations, still naming the exception', () => {
    const strict = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'strict',
      version: '1',
      settings: { exceptionExcusesMandatoryAv: false },
    });
    const v = sealing().b.view();
    const f = run(v, { ruleSet: strict });
    expect(brief(f)).toEqual([
      ['11', 'missing_av', 'violation', '30(1)'],
      ['16', 'missing_av', 'violation', '30(1)'],
    ]);
    expect(messages(v, strict)[0]).toMatch(/EX-1/);
  });
  it('an exception approved only by a supervisor, or covering half the action, lifts nothing', () => {
    for (const { b } of [
      sealing('state_secret', SUPERVISOR),
      sealing('force_majeure', HEAD, T0 + 10 * MIN),
    ]) {
      const f = run(b.view());
      expect(brief(f)).toEqual([
        ['11', 'missing_av', 'violation', '30(1)'],
        ['16', 'missing_av', 'violation', '30(1)'],
      ]);
      expect((f[0]!.evidence.exceptions as Array<{ exceptionId: string }>)[0]!.exceptionId).toBe('EX-1');
    }
  });
});

describe('Art. 31 obstruction is handed over to the police', () => {
  const withObstruction = (o: Record<string, unknown>) => {
    const b = cleanInspection();
    const s = b.add('enf/obstruction', {
      obstructionId: 'OB-1',
      actionId: 'ACT-1',
      occurredAt: T0 + 5 * MIN,
      description: '当事人抢夺执法记录仪',
      segmentIds: ['SEG-1'],
      ...o,
    });
    return { b, s };
  };
  it('not handed over: violation (Art. 30 lists no item)', () => {
    const { b, s } = withObstruction({ reportedToPolice: false });
    const f = run(b.view());
    expect(brief(f)).toEqual([['31', 'not_handed_over', 'violation', 'none']]);
    expect(f[0]!.seqs).toEqual([s]);
  });
  it('marked handed over but nothing recorded of it: warning; with the organ and time: nothing', () => {
    expect(brief(run(withObstruction({ reportedToPolice: true }).b.view()))).toEqual([
      ['31', 'handover_unrecorded', 'warning', 'none'],
    ]);
    const ok = withObstruction({
      reportedToPolice: true,
      policeOrgan: '晋城市公安局城区分局',
      handedOverAt: T0 + 60 * MIN,
    });
    expect(run(ok.b.view())).toEqual([]);
  });
});

describe('Art. 14 licensing', () => {
  const licensing = (types: string[], docs: string[]) => {
    const b = new CaseBuilder('licensing');
    b.start('ACT-1', types, T0);
    for (const d of docs) b.document(d, T0 + MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 30 * MIN);
    return b;
  };
  it('14(3) an on-site review without a 现场审查笔录; 14(4) expert meetings without minutes or opinions', () => {
    const f = run(licensing(['licensing_review', 'expert_argumentation', 'expert_review'], []).view());
    expect(f.map((x) => [x.article, x.code, x.evidence.anyOf])).toEqual([
      ['14(3)', 'missing_document', ['ON_SITE_INSPECTION_RECORD', 'LICENSING_ON_SITE_REVIEW_RECORD']],
      ['14(4)', 'missing_document', ['EXPERT_MEETING_MINUTES']],
      ['14(4)', 'missing_document', ['EXPERT_REVIEW_OPINION']],
    ]);
    expect(f.every((x) => x.liability === '30(1)' && x.severity === 'violation')).toBe(true);
  });
  it('with 现场核查笔录 (alias), 专家论证会议纪要 and 专家评审意见: nothing', () => {
    const b = licensing(
      ['licensing_review', 'expert_argumentation', 'expert_review'],
      ['LICENSING_ON_SITE_REVIEW_RECORD', 'EXPERT_MEETING_MINUTES', 'EXPERT_REVIEW_OPINION'],
    );
    expect(run(b.view())).toEqual([]);
  });
  it('14(1) a closed licensing matter with neither a licensing document nor an online comparison record', () => {
    const b = licensing(['document_review'], []);
    b.add('enf/case.close', { closedAt: T0 + 86_400_000, outcome: '准予许可' });
    expect(brief(run(b.view()))).toContainEqual(['14(1)', 'missing_document', 'violation', '30(1)']);
    const c = licensing(['document_review'], []);
    c.document('ONLINE_INFO_COMPARISON_RECORD', T0 + 2 * MIN);
    c.add('enf/case.close', { closedAt: T0 + 86_400_000, outcome: '准予许可' });
    expect(brief(run(c.view())).filter((x) => x[0] === '14(1)')).toEqual([]);
  });
});

describe('Art. 12(2) sampling and Art. 13(2) key moments', () => {
  it('sampling without AV is an as-needed AV situation (warning)', () => {
    const b = new CaseBuilder();
    b.start('ACT-1', ['sampling'], T0);
    b.end('ACT-1', T0 + 30 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 30 * MIN);
    expect(brief(run(b.view()))).toEqual([['12', 'av_expected', 'warning', '30(1)']]);
  });
  const seizure = (marks: Array<{ moment: string; at: number }>) => {
    const b = new CaseBuilder('coercion');
    b.add(
      'enf/approval.coercive-measure',
      { approvalId: 'AP-1', decision: 'approved', decidedAt: T0 - MIN, measure: 'seize_property' },
      HEAD,
    );
    b.start('ACT-1', ['seize_property'], T0);
    b.segment('ACT-1', T0, T0 + 10 * MIN, { marks });
    b.document('SEAL_SEIZURE_DECISION', T0 + MIN, { actionId: 'ACT-1' });
    b.end('ACT-1', T0 + 10 * MIN);
    b.deposit('ACT-1', T0 + 60 * MIN, T0 + 10 * MIN);
    return b;
  };
  const requiring = deriveRuleSet(JINCHENG_RULE_SET, {
    name: 'marks',
    version: '1',
    settings: { requiredKeyMoments: ['show_identity', 'present_certificate', 'inform_rights'] },
  });
  it('by default marks are not required', () => {
    expect(run(seizure([]).view())).toEqual([]);
  });
  it('a rule set requiring them reports the unmarked key moments of a mandatory-AV action', () => {
    const f = run(seizure([{ moment: 'show_identity', at: T0 + MIN }]).view(), { ruleSet: requiring });
    expect(brief(f)).toEqual([['13(2)', 'key_moment_unmarked', 'warning', '30(1)']]);
    expect(f[0]!.evidence.unmarked).toEqual(['present_certificate', 'inform_rights']);
    const all = seizure([
      { moment: 'show_identity', at: T0 + MIN },
      { moment: 'present_certificate', at: T0 + MIN },
      { moment: 'inform_rights', at: T0 + 2 * MIN },
    ]);
    expect(run(all.view(), { ruleSet: requiring })).toEqual([]);
  });
  it('an ordinary inspection is not asked for marks', () => {
    expect(run(cleanInspection().view(), { ruleSet: requiring })).toEqual([]);
  });
});

describe('Art. 30 items and Arts. 33–34: rule sets in force', () => {
  it('an electronic-data mismatch is not by itself 伪造、篡改 (no Art. 30(4))', () => {
    const b = cleanInspection();
    b.document('PENALTY_DECISION', T0 + 86_400_000, { fields: { amount: 5000 } });
    b.add('enf/data', {
      dataId: 'D-1',
      documentId: 'DOC-2',
      system: 's',
      recordedAt: T0 + 2 * 86_400_000,
      fields: { amount: 500 },
    });
    const f = pick(run(b.view()), 'art08-data-consistency');
    expect(brief(f)).toEqual([['8', 'field_mismatch', 'violation', 'none']]);
  });

  const county = deriveRuleSet(JINCHENG_RULE_SET, {
    name: 'county',
    version: '1',
    effectiveFrom: '2026-03-04',
    settings: { minOfficersOnSite: 3 },
  });
  it('a case is judged by the rule set in force at its actions, never re-judged by a later one', () => {
    const early = cleanInspection().view(); // acts on 2026-03-03
    expect(ruleSetInForce([JINCHENG_RULE_SET, county], early)).toBe(JINCHENG_RULE_SET);
    const r = checkCaseInForce(early, { ruleSets: [county, JINCHENG_RULE_SET], calendar: defaultCalendar });
    expect(r.ruleSet.name).toBe('jincheng-2024');
    expect(r.findings).toEqual([]);
    // A case acting on 03-04 falls under the county's set (three officers).
    const b = new CaseBuilder();
    b.start('ACT-1', ['routine_supervision'], cst(2026, 3, 4, 9));
    b.end('ACT-1', cst(2026, 3, 4, 10));
    b.deposit('ACT-1', cst(2026, 3, 4, 11), cst(2026, 3, 4, 10));
    const later = checkCaseInForce(b.view(), {
      ruleSets: [JINCHENG_RULE_SET, county],
      calendar: defaultCalendar,
    });
    expect(later.ruleSet.name).toBe('county');
    expect(later.findings.map((f) => f.code)).toEqual(['too_few_officers']);
  });
  it('judging a case by a rule set not yet in force gives one note and no findings', () => {
    const f = run(cleanInspection().view(), { ruleSet: county });
    expect(brief(f)).toEqual([['34', 'rule_set_not_in_force', 'info', 'none']]);
    expect(f[0]!.evidence).toMatchObject({ effectiveFrom: '2026-03-04', ruleSet: 'county@1' });
  });
  it('before the regulation (2024-03-28) nothing is in force', () => {
    const b = new CaseBuilder();
    b.records[0] = {
      ...b.records[0]!,
      body: { ...(b.records[0]!.body as object), openedAt: cst(2024, 3, 27, 9) },
    };
    b.start('ACT-1', ['routine_supervision'], cst(2024, 3, 27, 10), { officers: ['P-wang'] });
    expect(ruleSetInForce([JINCHENG_RULE_SET], b.view())).toBeUndefined();
    const r = checkCaseInForce(b.view(), { ruleSets: [JINCHENG_RULE_SET], calendar: defaultCalendar });
    expect(r.findings.map((f) => f.code)).toEqual(['rule_set_not_in_force']);
    expect(r.compliant).toBe(true);
  });
});

describe('Art. 15(3) and 12(4): service of notices and decisions', () => {
  /** A penalty case: prior notice 03-10, decision 03-27 (both after a clean inspection on 03-03). */
  const penalty = () => {
    const b = cleanInspection('penalty');
    b.document('HEALTH_SUPERVISION_OPINION', T0 + 2 * MIN, { actionId: 'ACT-1' });
    const notice = b.document('PENALTY_PRIOR_NOTICE', cst(2026, 3, 10, 10));
    b.document('COLLEGIAL_DELIBERATION_RECORD', cst(2026, 3, 20, 15));
    return { b, notice };
  };
  const R = { rule: 'art15-service', article: '15(3)', liability: '30(1)' };
  it('a decision reached with the prior notice never served is a violation; a receipt before it clears it', () => {
    const { b, notice } = penalty();
    const d = b.document('PENALTY_DECISION', cst(2026, 3, 27, 10));
    const f = pick(run(b.view()), 'art15-service');
    expect(f).toEqual([
      {
        ...R,
        severity: 'violation',
        seqs: [notice, d],
        code: 'not_served',
        evidence: {
          documentId: 'DOC-3',
          type: 'PENALTY_PRIOR_NOTICE',
          dueBy: 'decision',
          dueAt: cst(2026, 3, 27, 10),
          receipts: [],
        },
      },
    ]);
    const ok = penalty();
    ok.b.document('SERVICE_RECEIPT', cst(2026, 3, 10, 11), { serves: ['DOC-3'] });
    ok.b.document('PENALTY_DECISION', cst(2026, 3, 27, 10));
    expect(pick(run(ok.b.view()), 'art15-service')).toEqual([]);
  });
  it('served after the decision: served_late, naming the receipt', () => {
    const { b } = penalty();
    b.document('PENALTY_DECISION', cst(2026, 3, 27, 10));
    const r = b.document('SERVICE_RECEIPT', cst(2026, 3, 27, 11), { serves: ['DOC-3'] });
    const f = pick(run(b.view()), 'art15-service');
    expect(brief(f)).toEqual([['15(3)', 'served_late', 'violation', '30(1)']]);
    expect(f[0]!.seqs).toContain(r);
    expect(f[0]!.evidence.receipts).toEqual(['DOC-6']);
  });
  it('the decision itself must be served by the closing; not before the case closes', () => {
    const { b } = penalty();
    b.document('SERVICE_RECEIPT', cst(2026, 3, 10, 11), { serves: ['DOC-3'] });
    b.document('PENALTY_DECISION', cst(2026, 3, 27, 10));
    expect(pick(run(b.view()), 'art15-service')).toEqual([]);
    b.add('enf/case.close', { closedAt: cst(2026, 4, 20, 10), outcome: '罚款已缴纳' });
    expect(
      pick(run(b.view()), 'art15-service').map((f) => [f.code, f.evidence.documentId, f.evidence.dueBy]),
    ).toEqual([['not_served', 'DOC-6', 'close']]);
  });
  it('a 留置送达 without AV is reported at the rule set’s severity (a warning by default)', () => {
    const { b } = penalty();
    b.document('SERVICE_RECEIPT', cst(2026, 3, 10, 11), { serves: ['DOC-3'] });
    b.document('PENALTY_DECISION', cst(2026, 3, 27, 10));
    const at = cst(2026, 3, 30, 10);
    b.start('ACT-2', ['service_by_leaving'], at);
    const r = b.document('SERVICE_RECEIPT', at + 5 * MIN, {
      actionId: 'ACT-2',
      serves: ['DOC-6'],
      signatures: { officers: true, party: 'refused', witness: true },
    });
    b.end('ACT-2', at + 15 * MIN);
    b.deposit('ACT-2', at + 60 * MIN, at + 15 * MIN);
    const f = pick(run(b.view()), 'art15-service');
    expect(brief(f)).toEqual([['12(4)', 'service_without_av', 'warning', '30(1)']]);
    expect(f[0]!.seqs).toEqual([r - 10, r]);
    const strict = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'strict',
      version: '1',
      settings: { service: { ...JINCHENG_RULE_SET.settings.service, avSeverity: 'violation' } },
    });
    expect(brief(pick(run(b.view(), { ruleSet: strict }), 'art15-service'))).toEqual([
      ['12(4)', 'service_without_av', 'violation', '30(1)'],
    ]);
    b.segment('ACT-2', at, at + 15 * MIN, { sessionId: 'S-ACT-2', position: 0 });
    expect(pick(run(b.view()), 'art15-service')).toEqual([]);
  });
});

describe('Art. 20 devices: assignment, return and status', () => {
  const org = (
    ...events: Array<{
      kind: string;
      body: Record<string, unknown>;
      signer?: { principal: string; roles: string[] };
    }>
  ) => {
    const out: ViewRecord[] = [
      {
        seq: 1,
        time: 0,
        kind: 'enf/agency',
        body: { v: 1, agencyId: 'A', name: '晋城市卫生健康委员会' },
        signer: { principal: 'admin', roles: ['admin'] },
      },
      {
        seq: 2,
        time: 0,
        kind: 'enf/device',
        body: {
          v: 1,
          deviceId: 'BC-1',
          agencyId: 'A',
          deviceType: 'body_camera',
          serialNo: 'S',
          assignedOfficerId: 'P-wang',
        },
        signer: { principal: 'admin', roles: ['admin'] },
      },
    ];
    for (const [i, e] of events.entries())
      out.push({
        seq: 3 + i,
        time: 0,
        kind: e.kind,
        body: { v: 1, ...e.body },
        signer: e.signer ?? ARCHIVIST,
      });
    return out;
  };
  const withOrg = (o: ReturnType<typeof org>) => ({ ...cleanInspection().view(), organisation: o });
  it('held by the segment’s officer since registration: nothing; without organisation records: silent', () => {
    expect(run(withOrg(org()))).toEqual([]);
    expect(pick(run(cleanInspection().view()), 'art20-devices')).toEqual([]);
  });
  it('a device reassigned to another officer before the recording: lent (Art. 20, no Art. 30 item)', () => {
    const v = withOrg(
      org({
        kind: 'enf/device.custody',
        body: { eventId: 'E1', deviceId: 'BC-1', action: 'assign', officerId: 'P-li', at: T0 - 86_400_000 },
      }),
    );
    const f = pick(run(v), 'art20-devices');
    expect(brief(f)).toEqual([
      ['20', 'device_lent', 'violation', 'none'],
      ['20', 'device_lent', 'violation', 'none'],
    ]);
    expect(f[0]!.seqs).toEqual([3, 30]);
    expect(f[0]!.evidence).toEqual({
      segmentId: 'SEG-1',
      deviceId: 'BC-1',
      officerId: 'P-wang',
      holder: 'P-li',
    });
  });
  it('returned before the recording: not assigned; assigned again just before it: nothing', () => {
    const returned = org({
      kind: 'enf/device.custody',
      body: { eventId: 'E1', deviceId: 'BC-1', action: 'return', officerId: 'P-wang', at: T0 - 60 * MIN },
    });
    expect(brief(pick(run(withOrg(returned)), 'art20-devices'))).toEqual([
      ['20', 'device_not_assigned', 'violation', 'none'],
      ['20', 'device_not_assigned', 'violation', 'none'],
    ]);
    const again = org(
      {
        kind: 'enf/device.custody',
        body: { eventId: 'E1', deviceId: 'BC-1', action: 'return', officerId: 'P-wang', at: T0 - 60 * MIN },
      },
      {
        kind: 'enf/device.custody',
        body: { eventId: 'E2', deviceId: 'BC-1', action: 'assign', officerId: 'P-wang', at: T0 - MIN },
      },
    );
    expect(run(withOrg(again))).toEqual([]);
  });
  it('a device reported lost before a segment: violation under Art. 28 with item 30(2); damaged: warning; repaired: nothing', () => {
    const st = (status: string, at = T0 + 10 * MIN) =>
      org({ kind: 'enf/device.status', body: { eventId: `E-${status}`, deviceId: 'BC-1', status, at } });
    // Lost at 09:40: the second segment (09:45) is after it, the first (09:30) is not.
    const lost = pick(run(withOrg(st('lost'))), 'art20-devices');
    expect(brief(lost)).toEqual([['28', 'device_lost_or_retired', 'violation', '30(2)']]);
    expect(lost[0]!.evidence).toMatchObject({ segmentId: 'SEG-2', status: 'lost' });
    expect(brief(pick(run(withOrg(st('damaged'))), 'art20-devices'))).toEqual([
      ['28', 'device_damaged', 'warning', '30(2)'],
    ]);
    expect(run(withOrg(st('repaired')))).toEqual([]);
  });
});

describe('Art. 28 self-checks and Art. 32 entrusted organisations (checkLedger)', () => {
  const agency = (agencyId: string, extra: Record<string, unknown> = {}) => ({
    seq: agencyId === 'A' ? 1 : 2,
    time: 0,
    kind: 'enf/agency',
    body: { v: 1, agencyId, name: agencyId, ...extra },
    signer: { principal: 'admin', roles: ['admin'] },
  });
  const selfCheck = (id: string, from: number, to: number, signer = SUPERVISOR, seq = 5) => ({
    seq,
    time: to + 86_400_000,
    kind: 'enf/self-check',
    body: {
      v: 1,
      selfCheckId: id,
      agencyId: 'A',
      periodFrom: from,
      periodTo: to,
      scope: ['全过程记录制度', '设备设施管理'],
      checkedBy: ['P-zhao'],
      checkedAt: to + 86_400_000,
      verifyReportDigest: new Uint8Array(32),
      complianceReportDigest: new Uint8Array(32),
      findings: { violations: 0, warnings: 0 },
    },
    signer,
  });
  const opts = { ruleSet: JINCHENG_RULE_SET, calendar: defaultCalendar };
  it('each complete quarter needs a self-check covering it; the current quarter is not yet due', () => {
    const v = cleanInspection().view(); // 2026-03-03: Q1 2026
    const none = checkLedger([v], { ...opts, organisation: [agency('A')], asOf: cst(2026, 7, 2, 9) });
    expect(
      none.findings.map((f) => [f.article, f.code, f.severity, f.liability, f.evidence.from, f.evidence.to]),
    ).toEqual([
      ['28', 'no_self_check', 'violation', 'none', '2026-01-01', '2026-03-31'],
      ['28', 'no_self_check', 'violation', 'none', '2026-04-01', '2026-06-30'],
    ]);
    const q1 = selfCheck('SC-1', cst(2026, 1, 1), cst(2026, 3, 31, 23, 59));
    const one = checkLedger([v], { ...opts, organisation: [agency('A'), q1], asOf: cst(2026, 7, 2, 9) });
    expect(one.findings.map((f) => f.evidence.from)).toEqual(['2026-04-01']);
    // On 2026-06-30 the second quarter is still running.
    const early = checkLedger([v], { ...opts, organisation: [agency('A'), q1], asOf: cst(2026, 6, 30, 23) });
    expect(early.findings).toEqual([]);
  });
  it('a self-check signed by an ordinary officer does not count', () => {
    const q1 = selfCheck('SC-1', cst(2026, 1, 1), cst(2026, 3, 31), OFFICER);
    const r = checkLedger([cleanInspection().view()], {
      ...opts,
      organisation: [agency('A'), q1],
      asOf: cst(2026, 4, 2),
    });
    expect(r.findings.map((f) => f.code)).toEqual(['no_self_check', 'self_check_signer']);
  });
  it('a monthly cadence, and no check at all (null)', () => {
    const monthly = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'm',
      version: '1',
      settings: { selfCheck: { cadence: 'month', signerRoles: ['supervisor'] } },
    });
    const r = checkLedger([cleanInspection().view()], {
      ruleSet: monthly,
      calendar: defaultCalendar,
      organisation: [agency('A')],
      asOf: cst(2026, 5, 1),
    });
    expect(r.findings.map((f) => f.evidence.from)).toEqual(['2026-03-01', '2026-04-01']);
    const off = deriveRuleSet(JINCHENG_RULE_SET, {
      name: 'o',
      version: '1',
      settings: { selfCheck: { cadence: null, signerRoles: ['supervisor'] } },
    });
    expect(
      checkLedger([cleanInspection().view()], {
        ruleSet: off,
        calendar: defaultCalendar,
        organisation: [agency('A')],
        asOf: cst(2026, 9, 1),
      }).findings,
    ).toEqual([]);
  });
  it('an entrusted organisation’s case falls under the same rules and is reported under the entrusting agency', () => {
    const b = new CaseBuilder();
    b.records[0] = { ...b.records[0]!, body: { ...(b.records[0]!.body as object), agencyId: 'E' } };
    b.start('ACT-1', ['routine_supervision'], T0, { officers: ['P-wang'] });
    const organisation = [agency('A'), agency('E', { entrustedBy: 'A' })];
    const r = checkLedger([cleanInspection().view(), b.view()], {
      ...opts,
      organisation,
      asOf: cst(2026, 3, 20),
    });
    expect(r.cases.map((c) => c.agency)).toEqual([
      { agencyId: 'A', entrustedBy: null, reportedUnder: 'A' },
      { agencyId: 'E', entrustedBy: 'A', reportedUnder: 'A' },
    ]);
    expect(r.cases[1]!.findings.map((f) => f.code)).toContain('too_few_officers');
    expect(r.byAgency).toEqual({ A: { cases: 2, violations: r.cases[1]!.counts.bySeverity.violation } });
  });
});
