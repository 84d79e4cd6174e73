/** Case views written as plain data for the rule tests (no ledger). Times are China wall-clock (UTC+8). */
import type { CaseView, Finding, ViewRecord } from '../../src/compliance';
import { JINCHENG_RULE_SET, defaultCalendar, runRules } from '../../src/compliance';
import type { RuleSet } from '../../src/compliance';

export const MIN = 60_000;
export const cst = (y: number, mo: number, d: number, h = 0, mi = 0): number =>
  Date.UTC(y, mo - 1, d, h - 8, mi);

export const OFFICER = { principal: 'P-wang', roles: ['officer'] };
export const HEAD = { principal: 'P-chen', roles: ['head'] };
export const SUPERVISOR = { principal: 'P-zhao', roles: ['supervisor', 'officer'] };
export const ARCHIVIST = { principal: 'P-sun', roles: ['archivist'] };
export const device = (id: string) => ({ principal: id, roles: ['device'] });

export const CASE_ID = 'C-1';
const party = { name: '某某诊所', kind: 'organisation' as const };

export class CaseBuilder {
  readonly records: ViewRecord[] = [];
  private seq = 10;
  private segN = 0;
  private docN = 0;
  constructor(matterType: 'licensing' | 'penalty' | 'levy' | 'coercion' | 'inspection' = 'inspection') {
    this.add(
      'enf/case',
      {
        v: 1,
        caseId: CASE_ID,
        agencyId: 'A',
        matterType,
        documentNumber: '晋市卫〔2026〕1号',
        title: 't',
        target: party,
        openedAt: cst(2026, 3, 2, 9),
        officers: ['P-wang', 'P-li'],
      },
      OFFICER,
      cst(2026, 3, 2, 9),
    );
  }

  /** Appends a record (seq steps by 10 so tests can insert between). Returns its seq. */
  add(kind: string, body: Record<string, unknown>, signer = OFFICER, time?: number): number {
    const seq = this.seq;
    this.seq += 10;
    const t = time ?? (this.records.at(-1)?.time ?? 0) + 1000;
    this.records.push({ seq, time: t, kind, body: { v: 1, caseId: CASE_ID, ...body }, signer });
    return seq;
  }

  start(actionId: string, actionTypes: string[], at: number, extra: Record<string, unknown> = {}): number {
    return this.add(
      'enf/action.start',
      {
        actionId,
        actionTypes,
        officers: ['P-wang', 'P-li'],
        target: party,
        location: 'x',
        startedAt: at,
        ...extra,
      },
      OFFICER,
      at,
    );
  }
  end(actionId: string, at: number, extra: Record<string, unknown> = {}): number {
    return this.add('enf/action.end', { actionId, endedAt: at, ...extra }, OFFICER, at);
  }
  segment(actionId: string, from: number, to: number, extra: Record<string, unknown> = {}): number {
    const n = ++this.segN;
    return this.add(
      'enf/segment',
      {
        segmentId: `SEG-${n}`,
        actionId,
        deviceId: 'BC-1',
        officerId: 'P-wang',
        startedAt: from,
        endedAt: to,
        sessionId: `S-${actionId}`,
        position: n - 1,
        prevDigest: null,
        ...extra,
      },
      device('BC-1'),
      to,
    );
  }
  document(type: string, at: number, extra: Record<string, unknown> = {}): number {
    return this.add(
      'enf/document',
      {
        documentId: `DOC-${++this.docN}`,
        type,
        officers: ['P-wang', 'P-li'],
        startedAt: at,
        signatures: { officers: true, party: 'signed' },
        ...extra,
      },
      OFFICER,
      (extra.endedAt as number | undefined) ?? at,
    );
  }
  deposit(actionId: string, at: number, basisAt: number, extra: Record<string, unknown> = {}): number {
    return this.add(
      'enf/deposit',
      {
        depositId: `DEP-${actionId}-${at}`,
        actionId,
        depositedAt: at,
        basis: 'on_site_end',
        basisAt,
        ...extra,
      },
      ARCHIVIST,
      at,
    );
  }
  view(): CaseView {
    return {
      case: this.records[0] as CaseView['case'],
      records: [...this.records].sort((a, b) => a.seq - b.seq),
    };
  }
}

export const T0 = cst(2026, 3, 3, 9, 30);

/**
 * A clean on-site inspection: Tue 2026-03-03 09:30–10:00, two officers, AV 09:30–10:00 in two segments, 现场笔录
 * 09:31–09:59, deposited Wed 03-04.
 */
export function cleanInspection(matterType?: ConstructorParameters<typeof CaseBuilder>[0]): CaseBuilder {
  const b = new CaseBuilder(matterType);
  b.start('ACT-1', ['on_site_inspection'], T0);
  b.segment('ACT-1', T0, T0 + 15 * MIN);
  b.segment('ACT-1', T0 + 15 * MIN, T0 + 30 * MIN);
  b.document('ON_SITE_INSPECTION_RECORD', T0 + MIN, { actionId: 'ACT-1', endedAt: T0 + 29 * MIN });
  b.end('ACT-1', T0 + 30 * MIN);
  b.deposit('ACT-1', cst(2026, 3, 4, 9), T0 + 30 * MIN);
  return b;
}

/** Findings without the message texts (checked separately). */
export type Shape = Omit<Finding, 'message'>;
export function shape(f: Finding): Shape {
  const { message, ...rest } = f;
  if (!message.zh || !message.en) throw new Error('finding without message');
  return rest;
}

export function run(view: CaseView, opts: { ruleSet?: RuleSet; asOf?: number } = {}): Shape[] {
  return runRules(view, {
    ruleSet: opts.ruleSet ?? JINCHENG_RULE_SET,
    calendar: defaultCalendar,
    ...(opts.asOf === undefined ? {} : { asOf: opts.asOf }),
  }).map(shape);
}
