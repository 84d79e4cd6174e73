/**
 * `retention hold` / `retention release`, `label set`, `disclose approve` / `disclose record` end to end on the example
 * case (`demo`) in a temporary folder: each --json output checked against its schema (src/cli/schemas.ts), the effect
 * checked through the other subcommands (a held file is not purged, a labelled record needs the head's approval to be
 * retrieved, a disclosure without the head's approval is refused and logged), and bad input refused with one coded line
 * and the ledger unchanged. The clock is $EL_NOW / --now (docs/CLI.md "The clock"), moving forward only.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACC, archiveKinds } from '../../src/access';
import { ErrorOutput } from '../../src/cli/schemas';
import { Ledger } from '../../src/ledger';
import { RET } from '../../src/retention';
import { at, cli, cliJson, cst, demoWithRecords, expectOneLineError, type tempDir } from './helpers';

const CASE = 'JC-2026-PEN-0001';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

let tmp: Awaited<ReturnType<typeof tempDir>>;
let dir: string;
let seg1: { seq: number; digest: string };
let doc1: { seq: number; digest: string };
let doc2: { seq: number; digest: string };

const size = async () => (await cliJson('verify', ['-d', dir, 'verify'])).size;
const appendJson = (record: object, key: string, t: number) =>
  cliJson('append', ['-d', dir, 'append', '-', '--key', key], { input: JSON.stringify(record), ...at(t) });
/** The entry at `seq`, read with the library (the folder is closed between commands). */
async function entryAt(seq: number) {
  const ledger = await Ledger.open(join(dir, 'ledger'), { kinds: archiveKinds() });
  try {
    return await ledger.get(seq);
  } finally {
    await ledger.close();
  }
}

beforeAll(async () => {
  const demo = await demoWithRecords('el-cli-hld-', CASE, ['SEG-1', 'DOC-1', 'DOC-2']);
  tmp = demo.tmp;
  dir = demo.dir;
  seg1 = demo.records['SEG-1']!;
  doc1 = demo.records['DOC-1']!;
  doc2 = demo.records['DOC-2']!;
});
afterAll(() => tmp.cleanup());

describe('retention hold and release', () => {
  let holdSeq = -1;
  const purge = () => ['-d', dir, 'retention', 'purge', '--purge-id', 'PG-H', '--request-id', 'PR-H'];

  it('a hold on one record lists it with the hold in force; schedule shows it held', async () => {
    const schedule = () =>
      cliJson('retention schedule', [
        '-d',
        dir,
        'retention',
        'schedule',
        '--case',
        CASE,
        '--at',
        '2026-09-05',
      ]);
    const purgeable = (s: Awaited<ReturnType<typeof schedule>>) =>
      s.items.filter((i) => i.purgeable).map((i) => i.seq);
    const before = await schedule();
    expect(purgeable(before)).toContain(seg1.seq);
    const h = await cliJson(
      'retention hold',
      [
        '-d',
        dir,
        'retention',
        'hold',
        '--record',
        'SEG-1',
        '--reason',
        '行政诉讼',
        '--hold-id',
        'H-1',
        '--key',
        'P-sun',
      ],
      at(cst(2026, 5, 1)),
    );
    expect(h).toMatchObject({
      holdId: 'H-1',
      caseId: CASE,
      documentIds: null,
      segmentIds: ['SEG-1'],
      dataIds: null,
      reason: '行政诉讼',
      placedAt: cst(2026, 5, 1),
    });
    expect(h.entry).toMatchObject({ kind: RET.hold, time: cst(2026, 5, 1) });
    holdSeq = h.entry.seq;
    expect(h.records).toEqual([{ seq: seg1.seq, kind: 'enf/segment', recordId: 'SEG-1', holds: [holdSeq] }]);
    expect((await entryAt(holdSeq)).body).toMatchObject({
      holdId: 'H-1',
      caseId: CASE,
      segmentIds: ['SEG-1'],
    });
    const s = await schedule();
    const item = s.items.find((i) => i.seq === seg1.seq)!;
    expect(item).toMatchObject({ holds: [holdSeq], purgeable: false });
    // Only SEG-1 is held: whatever else was purgeable stays so.
    expect(s.counts.held).toBe(1);
    expect(purgeable(s)).toEqual(purgeable(before).filter((x) => x !== seg1.seq));
  });

  it('a held file is not purged, even expired, requested and approved; nothing is written', async () => {
    const targets = [{ seq: seg1.seq, digest: { $bytes: seg1.digest } }];
    await appendJson(
      {
        kind: 'ret/purge.request',
        body: { requestId: 'PR-H', caseId: CASE, targets, reason: '保存期满', requestedAt: cst(2026, 5, 2) },
      },
      'P-sun',
      cst(2026, 5, 2),
    );
    await appendJson(
      {
        kind: 'enf/approval.purge',
        body: {
          approvalId: 'PA-H',
          decision: 'approved',
          decidedAt: cst(2026, 5, 3),
          caseId: CASE,
          targets,
          reason: '同意',
        },
      },
      'P-chen',
      cst(2026, 5, 3),
    );
    const n = await size();
    const r = await cli([
      '--json',
      '--now',
      '2026-09-05',
      ...purge(),
      '--approval-id',
      'PA-H',
      '--key',
      'P-sun',
    ]);
    expectOneLineError(r, 'PURGE_UNDER_HOLD', 2);
    expect(ErrorOutput.parse(JSON.parse(r.stdout)).error.problems!.map((p) => p.code)).toEqual([
      'PURGE_UNDER_HOLD',
    ]);
    expect(await size()).toBe(n);
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content']);
    expect(v.content).toMatchObject({ purged: 0, problems: [] });
  });

  it('a hold on the whole case by the head covers every record of the case', async () => {
    const h = await cliJson(
      'retention hold',
      ['-d', dir, 'retention', 'hold', '--case', CASE, '--reason', '复议', '--key', 'P-chen'],
      at(cst(2026, 9, 5)),
    );
    expect(h.holdId).toMatch(/^H-[0-9A-F]{8}$/);
    expect(h).toMatchObject({ caseId: CASE, documentIds: null, segmentIds: null, dataIds: null });
    const ids = h.records.map((r) => r.recordId);
    expect(ids).toEqual(expect.arrayContaining(['SEG-1', 'DOC-1', 'DATA-1']));
    expect(h.records.every((r) => r.holds.includes(h.entry.seq))).toBe(true);
    expect(h.records.find((r) => r.seq === seg1.seq)!.holds).toEqual([holdSeq, h.entry.seq]);
    // Released, the case hold leaves SEG-1 under H-1 only.
    const rel = await cliJson(
      'retention release',
      ['-d', dir, 'retention', 'release', h.holdId, '--reason', '复议结束', '--key', 'P-chen'],
      at(cst(2026, 9, 5)),
    );
    expect(rel).toMatchObject({ holdId: h.holdId, holdSeq: h.entry.seq, caseId: CASE, reason: '复议结束' });
    expect(rel.entry.kind).toBe(RET.holdRelease);
    expect(rel.records.find((r) => r.seq === seg1.seq)!.holds).toEqual([holdSeq]);
    expect(rel.records.filter((r) => r.seq !== seg1.seq).every((r) => r.holds.length === 0)).toBe(true);
  });

  it('released, the purge goes through; releasing twice is refused', async () => {
    const en = await cli(
      [
        '-d',
        dir,
        '--lang',
        'en',
        'retention',
        'release',
        'H-1',
        '--reason',
        'judgment final',
        '--key',
        'P-sun',
      ],
      at(cst(2026, 9, 6)),
    );
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(/^Legal hold H-1 \(#\d+\) released \(#\d+\)\n/);
    const p = await cliJson(
      'retention purge',
      [...purge(), '--approval-id', 'PA-H', '--key', 'P-sun'],
      at(cst(2026, 9, 7)),
    );
    expect(p).toMatchObject({ removed: [seg1.digest], resumed: false });
    const n = await size();
    expectOneLineError(
      await cli(['-d', dir, 'retention', 'release', 'H-1', '--reason', 'again', '--key', 'P-sun']),
      'HOLD_RELEASED',
      2,
    );
    expect(await size()).toBe(n);
  });

  it('human output in Chinese', async () => {
    const zh = await cli(
      [
        '-d',
        dir,
        '--lang',
        'zh',
        'retention',
        'hold',
        '--record',
        'DOC-2',
        '--reason',
        '复核',
        '--key',
        'P-sun',
      ],
      at(cst(2026, 9, 8)),
    );
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(
      /^已对案件 JC-2026-PEN-0001 的 1 份记录实施保全 H-[0-9A-F]{8}（#\d+），解除前不得销毁\n/,
    );
    expect(zh.stdout).toContain(`#${doc2.seq} enf/document DOC-2`);
  });
});

describe('label set', () => {
  const retrievalApproval = (approvalId: string, t: number) => ({
    kind: 'enf/approval.retrieval',
    body: {
      approvalId,
      decision: 'approved',
      decidedAt: t,
      slipNo: `调用单-${approvalId}`,
      requesterId: 'P-wang',
      purpose: '案件复核',
      caseId: CASE,
    },
  });
  const retrieve = (seq: number, approval: string, out: string) => [
    '-d',
    dir,
    'retrieve',
    '--seq',
    String(seq),
    '--requester',
    'P-wang',
    '--approval',
    approval,
    '--key',
    'P-sun',
    '--out',
    out,
  ];

  it('labels one record (an officer may); the record carries the label', async () => {
    const l = await cliJson(
      'label set',
      [
        '-d',
        dir,
        'label',
        'set',
        '--record',
        'DOC-1',
        '--label',
        '个人隐私',
        '--reason',
        '含身份证号',
        '--key',
        'P-wang',
      ],
      at(cst(2026, 10, 1)),
    );
    expect(l).toMatchObject({
      caseId: CASE,
      documentIds: ['DOC-1'],
      segmentIds: null,
      labels: ['personal_privacy'],
      reason: '含身份证号',
      labelledAt: cst(2026, 10, 1),
      approverRoles: [{ label: 'personal_privacy', roles: ['head'] }],
    });
    expect(l.labelId).toMatch(/^L-[0-9A-F]{8}$/);
    expect(l.entry.kind).toBe(ACC.label);
    expect(l.records).toEqual([
      { seq: doc1.seq, kind: 'enf/document', recordId: 'DOC-1', labels: ['personal_privacy'] },
    ]);
    expect((await entryAt(l.entry.seq)).body).toMatchObject({
      labels: ['personal_privacy'],
      documentIds: ['DOC-1'],
    });
  });

  it('a labelled record is not retrieved on a supervisor’s approval; an unlabelled one is; the head’s approval does', async () => {
    await appendJson(retrievalApproval('RA-S', cst(2026, 10, 2)), 'P-zhao', cst(2026, 10, 2));
    const n = await size();
    const out1 = join(tmp.dir, 'doc1-s.bin');
    const r = await cli(['--json', ...retrieve(doc1.seq, 'RA-S', out1)], at(cst(2026, 10, 3)));
    expectOneLineError(r, 'RETRIEVAL_APPROVER_ROLE', 2);
    expect(r.stderr).toMatch(/label personal_privacy/);
    const err = ErrorOutput.parse(JSON.parse(r.stdout)).error;
    expect(err.eventSeq).toBe(n);
    expect(await size()).toBe(n + 1); // the refusal itself is logged
    expect((await entryAt(n)).body).toMatchObject({ outcome: 'refused', reason: 'RETRIEVAL_APPROVER_ROLE' });
    await expect(stat(out1)).rejects.toThrow();
    // The same supervisor approval retrieves an unlabelled document of the case.
    const out2 = join(tmp.dir, 'doc2-s.bin');
    const g2 = await cliJson('retrieve', retrieve(doc2.seq, 'RA-S', out2), at(cst(2026, 10, 3)));
    expect(g2).toMatchObject({ granted: true, seq: doc2.seq, digest: doc2.digest });
    // The head's approval retrieves the labelled one.
    await appendJson(retrievalApproval('RA-H', cst(2026, 10, 4)), 'P-chen', cst(2026, 10, 4));
    const out3 = join(tmp.dir, 'doc1-h.bin');
    const g3 = await cliJson('retrieve', retrieve(doc1.seq, 'RA-H', out3), at(cst(2026, 10, 5)));
    expect(g3).toMatchObject({ granted: true, seq: doc1.seq });
    expect(sha256(await readFile(out3))).toBe(doc1.digest);
  });

  it('labels add up per record; English human output names the approvers', async () => {
    const en = await cli(
      [
        '-d',
        dir,
        '--lang',
        'en',
        'label',
        'set',
        '--case',
        CASE,
        '--label',
        'commercial_secret',
        '--key',
        'P-sun',
      ],
      at(cst(2026, 10, 6)),
    );
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(
      /^Labelled commercial_secret: \d+ record\(s\) of case JC-2026-PEN-0001 \(L-[0-9A-F]{8}, #\d+\); retrieval or disclosure needs the approval of: head\n/,
    );
    expect(en.stdout).toContain(`#${doc1.seq} enf/document DOC-1 [commercial_secret, personal_privacy]`);
    expect(en.stdout).toContain(`#${doc2.seq} enf/document DOC-2 [commercial_secret]`);
  });
});

describe('disclose approve and disclose record', () => {
  it('a disclosure without an approval is refused, and the refusal is logged', async () => {
    const n = await size();
    // Through the real bin: one line, exit 2.
    const r = await cli(
      [
        '--json',
        '-d',
        dir,
        'disclose',
        'record',
        '--case',
        CASE,
        '--recipient',
        '某区人民法院',
        '--key',
        'P-sun',
      ],
      { spawn: true, ...at(cst(2026, 11, 1)) },
    );
    expectOneLineError(r, 'DISCLOSURE_NO_APPROVAL', 2);
    const err = ErrorOutput.parse(JSON.parse(r.stdout)).error;
    expect(err).toMatchObject({ code: 'DISCLOSURE_NO_APPROVAL', exit: 2, eventSeq: n });
    expect(r.stderr).toContain(`refusal recorded as entry #${n}`);
    expect(await size()).toBe(n + 1);
    const e = await entryAt(n);
    expect(e.kind).toBe(ACC.disclosure);
    expect(e.body).toMatchObject({ outcome: 'refused', reason: 'DISCLOSURE_NO_APPROVAL', caseId: CASE });
  });

  it('only the head approves; a rejected approval refuses the disclosure', async () => {
    const n = await size();
    const approve = [
      '-d',
      dir,
      'disclose',
      'approve',
      '--case',
      CASE,
      '--recipient',
      '某区人民法院',
      '--purpose',
      '诉讼',
    ];
    expectOneLineError(await cli([...approve, '--key', 'P-zhao'], at(cst(2026, 11, 2))), 'ROLE_MISSING', 2);
    expect(await size()).toBe(n);
    const rej = await cliJson(
      'disclose approve',
      [...approve, '--approval-id', 'DA-R', '--reject', '--opinion', '不予提供', '--key', 'P-chen'],
      at(cst(2026, 11, 2)),
    );
    expect(rej).toMatchObject({
      approvalId: 'DA-R',
      decision: 'rejected',
      caseId: CASE,
      decidedAt: cst(2026, 11, 2),
    });
    expect(rej.entry.kind).toBe('enf/approval.disclosure');
    const r = await cli(
      ['-d', dir, 'disclose', 'record', '--approval', 'DA-R', '--key', 'P-sun'],
      at(cst(2026, 11, 3)),
    );
    expectOneLineError(r, 'DISCLOSURE_APPROVAL_REJECTED', 2);
    expect(await size()).toBe(n + 2); // the rejection and the logged refusal
  });

  it('with the head’s approval the disclosure is granted; case, recipient and purpose come from the approval', async () => {
    const a = await cliJson(
      'disclose approve',
      [
        '-d',
        dir,
        'disclose',
        'approve',
        '--case',
        CASE,
        '--recipient',
        '某区人民法院',
        '--purpose',
        '行政诉讼举证',
        '--key',
        'P-chen',
      ],
      at(cst(2026, 11, 4)),
    );
    expect(a.approvalId).toMatch(/^DA-[0-9A-F]{8}$/);
    expect(a).toMatchObject({ decision: 'approved', recipient: '某区人民法院', purpose: '行政诉讼举证' });
    const d = await cliJson(
      'disclose record',
      [
        '-d',
        dir,
        'disclose',
        'record',
        '--approval',
        a.approvalId,
        '--record',
        'DOC-2',
        '--channel',
        '光盘',
        '--key',
        'P-sun',
      ],
      at(cst(2026, 11, 5)),
    );
    expect(d).toMatchObject({
      granted: true,
      approvalId: a.approvalId,
      caseId: CASE,
      documentIds: ['DOC-2'],
      segmentIds: null,
      recipient: '某区人民法院',
      records: [{ seq: doc2.seq, kind: 'enf/document', recordId: 'DOC-2' }],
    });
    expect(d.event).toMatchObject({ kind: ACC.disclosure, time: cst(2026, 11, 5) });
    expect((await entryAt(d.event.seq)).body).toMatchObject({
      outcome: 'granted',
      approvalId: a.approvalId,
      purpose: '行政诉讼举证',
      channel: '光盘',
    });
    // An approval is good for one disclosure (the policy default): a second one under it is refused and logged.
    const n = await size();
    const reused = await cli(
      ['-d', dir, 'disclose', 'record', '--approval', a.approvalId, '--key', 'P-chen'],
      at(cst(2026, 11, 6)),
    );
    expectOneLineError(reused, 'DISCLOSURE_USED_UP', 2);
    expect(await size()).toBe(n + 1); // the logged refusal
    const a2 = await cliJson(
      'disclose approve',
      [
        '-d',
        dir,
        'disclose',
        'approve',
        '--case',
        CASE,
        '--recipient',
        '某区人民法院',
        '--purpose',
        '行政诉讼举证',
        '--key',
        'P-chen',
      ],
      at(cst(2026, 11, 6)),
    );
    const zh = await cli(
      ['-d', dir, '--lang', 'zh', 'disclose', 'record', '--approval', a2.approvalId, '--key', 'P-chen'],
      at(cst(2026, 11, 6)),
    );
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(
      new RegExp(
        `^对外提供已批准并登记（#\\d+，批准 ${a2.approvalId}）：案件 ${CASE} 的 \\d+ 份记录提供给 某区人民法院\\n`,
      ),
    );
    // The log stays clean: every granted disclosure was approved, refusals are not findings.
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content']);
    expect(v.ok).toBe(true);
    expect(v.archive).toMatchObject({ ok: true, findings: [] });
    expect(v.archive!.access.disclosures).toBe(2);
  });
});

describe('bad input: one coded line, nothing written', () => {
  const cases: Array<{ name: string; args: string[]; code: string; exit: number }> = [
    // Unknown case or record.
    {
      name: 'hold, unknown case',
      args: ['retention', 'hold', '--case', 'NO-SUCH', '--reason', 'x', '--key', 'P-sun'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'hold, unknown record',
      args: ['retention', 'hold', '--record', 'DOC-999', '--reason', 'x', '--key', 'P-sun'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'release, unknown hold',
      args: ['retention', 'release', 'H-none', '--reason', 'x', '--key', 'P-sun'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'label, unknown case',
      args: ['label', 'set', '--case', 'NO-SUCH', '--label', 'state_secret', '--key', 'P-sun'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'approve, unknown case',
      args: [
        'disclose',
        'approve',
        '--case',
        'NO-SUCH',
        '--recipient',
        'r',
        '--purpose',
        'p',
        '--key',
        'P-chen',
      ],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'disclose, unknown case',
      args: ['disclose', 'record', '--case', 'NO-SUCH', '--recipient', 'r', '--key', 'P-sun'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    // Missing key option, missing key file.
    {
      name: 'hold, no --key',
      args: ['retention', 'hold', '--case', CASE, '--reason', 'x'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'label, no --key',
      args: ['label', 'set', '--case', CASE, '--label', 'state_secret'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'disclose, no --key',
      args: ['disclose', 'record', '--case', CASE, '--recipient', 'r'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'release, key file missing',
      args: ['retention', 'release', 'H-1', '--reason', 'x', '--key', 'nobody'],
      code: 'STORAGE_NOT_FOUND',
      exit: 3,
    },
    {
      name: 'approve, key file missing',
      args: ['disclose', 'approve', '--case', CASE, '--recipient', 'r', '--purpose', 'p', '--key', 'nobody'],
      code: 'STORAGE_NOT_FOUND',
      exit: 3,
    },
    // A key without the role.
    {
      name: 'hold by an officer',
      args: ['retention', 'hold', '--case', CASE, '--reason', 'x', '--key', 'P-wang'],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    {
      name: 'label by a device',
      args: ['label', 'set', '--case', CASE, '--label', 'state_secret', '--key', 'BC-0107'],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    {
      name: 'disclosure by an officer',
      args: ['disclose', 'record', '--case', CASE, '--recipient', 'r', '--key', 'P-wang'],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    // Malformed arguments.
    {
      name: 'hold, no scope',
      args: ['retention', 'hold', '--reason', 'x', '--key', 'P-sun'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'label, unknown label',
      args: ['label', 'set', '--case', CASE, '--label', 'secret', '--key', 'P-sun'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'label, no label',
      args: ['label', 'set', '--case', CASE, '--key', 'P-sun'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'disclose, no recipient',
      args: ['disclose', 'record', '--case', CASE, '--key', 'P-sun'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'hold, record of another case',
      args: [
        'retention',
        'hold',
        '--case',
        'C-OTHER',
        '--record',
        'DOC-1',
        '--reason',
        'x',
        '--key',
        'P-sun',
      ],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'hold, a record twice',
      args: [
        'retention',
        'hold',
        '--record',
        'DOC-1',
        '--record',
        'DOC-1',
        '--reason',
        'x',
        '--key',
        'P-sun',
      ],
      code: 'USAGE',
      exit: 2,
    },
  ];

  beforeAll(async () => {
    // A second case, for the record-of-another-case check.
    await appendJson(
      {
        kind: 'enf/case',
        body: {
          caseId: 'C-OTHER',
          agencyId: 'jc-wjw',
          matterType: 'penalty',
          documentNumber: '晋市卫罚〔2026〕9号',
          title: '另案',
          target: { name: '某药店', kind: 'organisation' },
          openedAt: cst(2026, 12, 1),
          officers: ['P-wang', 'P-li'],
        },
      },
      'P-wang',
      cst(2026, 12, 1),
    );
  });

  it.each(cases)('$name → $code', async ({ args, code, exit }) => {
    const n = await size();
    const r = await cli(['--json', '-d', dir, ...args], at(cst(2026, 12, 2)));
    expectOneLineError(r, code, exit);
    expect(ErrorOutput.parse(JSON.parse(r.stdout)).error).toMatchObject({ code, exit });
    expect(await size()).toBe(n);
  });

  it('through the real bin: no stack trace', async () => {
    const r = await cli(
      ['-d', dir, 'retention', 'hold', '--case', 'NO-SUCH', '--reason', 'x', '--key', 'P-sun'],
      { spawn: true },
    );
    expectOneLineError(r, 'NOT_FOUND', 2);
  });

  it('--help lists the new subcommands', async () => {
    expect((await cli(['retention', '--help'])).stdout).toMatch(/hold[\s\S]*release/);
    expect((await cli(['--help'])).stdout).toMatch(/label[\s\S]*disclose/);
    expect((await cli(['disclose', '--help'])).stdout).toMatch(/approve[\s\S]*record/);
  });
});
