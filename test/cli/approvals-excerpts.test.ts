/**
 * `request retrieval` / `approve retrieval`, `request purge` / `approve purge`, `excerpt` / `verify-excerpt` end to end
 * on the example case (`demo`) in a temporary folder, plus a case of its own with a 3-chunk recording (the demo's case
 * is archived: it takes retrieval and purge requests and approvals, but no new segments). Each --json output is checked
 * against its schema; the effect through the other subcommands (a retrieval refused before the approval is granted
 * after it; a purge proceeds once requested, approved and expired); excerpts against independently computed chunk
 * hashes (RFC 9162 §2.1.1, §2.1.3.1), and every mutation of an excerpt file refused with its code. Bad input: one coded
 * line, nothing written. The clock is $EL_NOW / --now, moving forward only.
 */
import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACC } from '../../src/access';
import { ErrorOutput } from '../../src/cli/schemas';
import { describeProblem } from '../../src/problems';
import { RET } from '../../src/retention';
import { at, cli, cliJson, cst, demoWithRecords, expectOneLineError, type tempDir } from './helpers';

const CASE = 'JC-2026-PEN-0001';
const MIB = 1 << 20;
const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
/** RFC 9162 §2.1.1 leaf and node hashes, written here independently of src/merkle. */
const leaf = (b: Uint8Array) => sha256(Uint8Array.of(0), b);
const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

let tmp: Awaited<ReturnType<typeof tempDir>>;
let dir: string;
let seg1: { seq: number; digest: string };
let seg2: { seq: number; digest: string };
let doc2: { seq: number; digest: string };
/** The 3-chunk recording ingested into case JC-2026-EXC-1. */
let media: Uint8Array;
let bigSeq = -1;

const size = async () => (await cliJson('verify', ['-d', dir, 'verify'])).size;
const run = (args: string[], t: number) => cli(['-d', dir, ...args], at(t));

beforeAll(async () => {
  const demo = await demoWithRecords('el-cli-appr-', CASE, ['SEG-1', 'SEG-2', 'DOC-2']);
  tmp = demo.tmp;
  dir = demo.dir;
  seg1 = demo.records['SEG-1']!;
  seg2 = demo.records['SEG-2']!;
  doc2 = demo.records['DOC-2']!;
  // A case of its own and a recording of 2 MiB + 12345 bytes: three chunks, the last one short.
  const target = { name: '某某口腔诊所', kind: 'organisation' };
  const opened = cst(2026, 5, 1, 9);
  const records = [
    {
      kind: 'enf/case',
      body: {
        caseId: 'JC-2026-EXC-1',
        agencyId: 'jc-wjw',
        matterType: 'inspection',
        documentNumber: '晋市卫监〔2026〕98号',
        title: '摘录测试',
        target,
        openedAt: opened,
        officers: ['P-wang', 'P-li'],
      },
    },
    {
      kind: 'enf/action.start',
      body: {
        actionId: 'ACT-X',
        caseId: 'JC-2026-EXC-1',
        actionTypes: ['on_site_inspection'],
        officers: ['P-wang', 'P-li'],
        target,
        location: '某路 2 号',
        startedAt: opened + 60_000,
      },
    },
  ];
  const r = await cli(['-q', '-d', dir, 'append', '-', '--key', 'P-wang'], {
    input: JSON.stringify(records),
    ...at(opened),
  });
  expect(r.code, r.stderr).toBe(0);
  media = new Uint8Array(2 * MIB + 12345);
  for (let i = 0; i < media.length; i++) media[i] = (i * 31 + (i >> 13)) & 0xff;
  const file = join(tmp.dir, 'clip.mp4');
  await writeFile(file, media);
  const ing = await cliJson(
    'ingest',
    [
      '-d',
      dir,
      'ingest',
      file,
      '--key',
      'BC-0107',
      '--case',
      'JC-2026-EXC-1',
      '--action',
      'ACT-X',
      '--segment-id',
      'SEG-X',
      '--session',
      'S-X',
      '--start',
      '2026-05-01T09:05',
      '--end',
      '2026-05-01T09:35',
    ],
    at(cst(2026, 5, 1, 10)),
  );
  bigSeq = ing.entry.seq;
  expect(ing.content).toMatchObject({ digest: hex(sha256(media)), size: media.length });
});
afterAll(() => tmp.cleanup());

describe('excerpt and verify-excerpt', () => {
  /** An excerpt is a retrieval (Art. 24–25): approvals by the head, one per case, good for the whole describe. */
  const EX_AT = at(cst(2026, 5, 1, 12));
  const grant = { pen: [] as string[], x: [] as string[] };
  beforeAll(async () => {
    for (const [k, caseId] of [
      ['pen', CASE],
      ['x', 'JC-2026-EXC-1'],
    ] as const) {
      const a = await cliJson(
        'approve retrieval',
        [
          '-d',
          dir,
          'approve',
          'retrieval',
          '--requester',
          'P-wang',
          '--case',
          caseId,
          '--purpose',
          '摘录核查',
          '--max-uses',
          '50',
          '--key',
          'P-chen',
        ],
        at(cst(2026, 5, 1, 11)),
      );
      grant[k] = ['--requester', 'P-wang', '--approval', a.approvalId, '--key', 'P-sun'];
    }
  });

  const out = (name: string) => join(tmp.dir, name);
  const verify = (file: string, extra: string[] = []) =>
    cliJson('verify-excerpt', ['-d', dir, 'verify-excerpt', file, ...extra], { expectCode: 0 });
  const refuted = (file: string) =>
    cliJson('verify-excerpt', ['-d', dir, 'verify-excerpt', file], { expectCode: 1 });
  type ExcerptJson = {
    seq: number;
    kind: string;
    ledgerId: string;
    origin: string;
    content: { digest: string; size: number; chunkRoot: string };
    chunk: { index: number; start: number; end: number; bytes: string; proof: string[] };
  };
  const readExcerpt = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as ExcerptJson;
  /** Writes a mutated copy of an excerpt file. */
  const mutate = async (file: string, name: string, f: (x: ExcerptJson) => void) => {
    const x = await readExcerpt(file);
    f(x);
    const p = out(name);
    await writeFile(p, JSON.stringify(x));
    return p;
  };
  const flipBit = (b64: string, byte: number, bit: number) => {
    const b = Buffer.from(b64, 'base64');
    b[byte]! ^= 1 << bit;
    return b.toString('base64');
  };

  it('an excerpt of a demo segment: the whole (one-chunk) file, proof empty, verifies against the demo checkpoint', async () => {
    const n = await size();
    const e = await cliJson(
      'excerpt',
      ['-d', dir, 'excerpt', 'SEG-2', '--chunk', '0', '--out', out('seg2.json'), ...grant.pen],
      EX_AT,
    );
    // The excerpt was a logged retrieval: one granted event naming the chunk.
    expect(await size()).toBe(n + 1);
    expect(e.event.kind).toBe('acc/retrieval');
    expect(e.approvalId).toBe(grant.pen[3]);
    expect(e).toMatchObject({ seq: seg2.seq, kind: 'enf/segment', recordId: 'SEG-2', caseId: CASE });
    expect(e.content.digest).toBe(seg2.digest);
    expect(e.chunk).toMatchObject({ index: 0, start: 0, end: e.content.size, chunks: 1, proofLength: 0 });
    const x = await readExcerpt(out('seg2.json'));
    const bytes = new Uint8Array(Buffer.from(x.chunk.bytes, 'base64'));
    // Independently: the chunk is the whole file, and a one-leaf tree's root is its leaf hash.
    expect(hex(sha256(bytes))).toBe(seg2.digest);
    expect(x.content.chunkRoot).toBe(hex(leaf(bytes)));
    expect(x).toMatchObject({ seq: seg2.seq, kind: 'enf/segment', chunk: { proof: [] } });
    const v = await verify(out('seg2.json'));
    expect(v).toMatchObject({
      ok: true,
      code: 'EXCERPT_OK',
      seq: seg2.seq,
      recordId: 'SEG-2',
      range: { start: 0, end: bytes.length },
      anchor: { source: 'log' },
    });
    expect(Object.values(v.checks).every((c) => c === 'pass')).toBe(true);
    expect(v.anchor!.size).toBeGreaterThan(seg2.seq);
  });

  it('chunk 1 of the 3-chunk recording: proof = [leaf 0, leaf 2] and the root computed independently', async () => {
    const e = await cliJson(
      'excerpt',
      ['-d', dir, 'excerpt', 'SEG-X', '--chunk', '1', '--out', out('x1.json'), ...grant.x],
      EX_AT,
    );
    expect(e.chunk).toEqual({ index: 1, start: MIB, end: 2 * MIB, chunks: 3, proofLength: 2 });
    const x = await readExcerpt(out('x1.json'));
    const chunks = [media.subarray(0, MIB), media.subarray(MIB, 2 * MIB), media.subarray(2 * MIB)];
    const [l0, l1, l2] = chunks.map(leaf) as [Uint8Array, Uint8Array, Uint8Array];
    expect(Buffer.from(x.chunk.bytes, 'base64').equals(Buffer.from(chunks[1]!))).toBe(true);
    // RFC 9162 §2.1.3.1: PATH(1, D[0:3]) = PATH(1, D[0:2]) : MTH(D[2:3]) = [L0, L2].
    expect(x.chunk.proof).toEqual([hex(l0), hex(l2)]);
    expect(x.content.chunkRoot).toBe(hex(node(node(l0, l1), l2)));
    // Appended after the demo's checkpoint: proved against the current tree until a checkpoint covers it.
    const v = await verify(out('x1.json'));
    expect(v).toMatchObject({ ok: true, range: { start: MIB, end: 2 * MIB }, anchor: { source: 'tree' } });
  });

  it('the last, short chunk verifies; after a checkpoint, against it (or a held --checkpoint file)', async () => {
    const e = await cliJson(
      'excerpt',
      ['-d', dir, 'excerpt', String(bigSeq), '--chunk', '2', '--out', out('x2.json'), ...grant.x],
      EX_AT,
    );
    expect(e.chunk).toMatchObject({ start: 2 * MIB, end: media.length });
    const cp = await cliJson(
      'checkpoint',
      ['-d', dir, 'checkpoint', '--out', out('cp.txt')],
      at(cst(2026, 5, 2)),
    );
    const v = await verify(out('x2.json'));
    expect(v).toMatchObject({ ok: true, anchor: { source: 'log', size: cp.size, root: cp.root } });
    const en = await cli(['-d', dir, '--lang', 'en', 'verify-excerpt', out('x2.json')]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(
      new RegExp(
        `^Excerpt verified: bytes ${2 * MIB}–${media.length} are chunk 2 of the file [0-9a-f]{16}… recorded by entry #${bigSeq} \\(enf/segment SEG-X\\), included in the signed checkpoint of size ${cp.size}\\n`,
      ),
    );
    const f = await verify(out('x2.json'), ['--checkpoint', out('cp.txt')]);
    expect(f.anchor).toEqual({ source: 'file', size: cp.size, root: cp.root });
  });

  it('a flipped bit in the chunk bytes or a proof hash: exit 1, EXCERPT_PROOF_INVALID, the earlier checks pass', async () => {
    const bytesFlip = await mutate(out('x1.json'), 'x1-bytes.json', (x) => {
      x.chunk.bytes = flipBit(x.chunk.bytes, 777, 3);
    });
    const a = await refuted(bytesFlip);
    expect(a).toMatchObject({ ok: false, code: 'EXCERPT_PROOF_INVALID', range: null });
    expect(a.checks).toEqual({
      ledger: 'pass',
      record: 'pass',
      signature: 'pass',
      inclusion: 'pass',
      content: 'pass',
      chunk: 'fail',
    });
    const proofFlip = await mutate(out('x1.json'), 'x1-proof.json', (x) => {
      const p = x.chunk.proof[1]!;
      x.chunk.proof[1] = `${p.slice(0, 10)}${p[10] === '0' ? '1' : '0'}${p.slice(11)}`;
    });
    expect(await refuted(proofFlip)).toMatchObject({ code: 'EXCERPT_PROOF_INVALID' });
    // The demo segment's only chunk, one bit changed.
    const demoFlip = await mutate(out('seg2.json'), 'seg2-bytes.json', (x) => {
      x.chunk.bytes = flipBit(x.chunk.bytes, 0, 0);
    });
    const zh = await cli(['-d', dir, '--lang', 'zh', 'verify-excerpt', demoFlip]);
    expect(zh.code).toBe(1);
    expect(zh.stderr).toBe('');
    expect(zh.stdout).toMatch(/^摘录核验未通过：EXCERPT_PROOF_INVALID：/);
    // The failure's meaning in Chinese from the problem catalogue, not only the English detail.
    expect(zh.stdout.split('\n')[0]).toContain(
      `EXCERPT_PROOF_INVALID：${describeProblem('EXCERPT_PROOF_INVALID', 'zh')}。详情：`,
    );
    // The checklist in Chinese too, not `chunk: fail`.
    expect(zh.stdout).toContain('\n  签名：通过\n');
    expect(zh.stdout).toMatch(/\n {2}数据块及其证明：未通过\n?$/);
    expect(zh.stdout).not.toMatch(/: (pass|fail|skipped)/);
  });

  it('property: any one flipped bit of the chunk bytes is refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(MIB - 1), fc.nat(7), async (byte, bit) => {
        const p = await mutate(out('x1.json'), 'x1-prop.json', (x) => {
          x.chunk.bytes = flipBit(x.chunk.bytes, byte, bit);
        });
        const r = await cli(['--json', '-d', dir, 'verify-excerpt', p]);
        expect(r.code).toBe(1);
        expect(JSON.parse(r.stdout).code).toBe('EXCERPT_PROOF_INVALID');
      }),
      { numRuns: 8 },
    );
  });

  it('every other damage is refused with its code (exit 1)', async () => {
    const forged = new Uint8Array(Buffer.from('forged recording'));
    const cases: Array<[string, (x: ExcerptJson) => void, string]> = [
      [
        'short',
        (x) => {
          x.chunk.bytes = Buffer.from(x.chunk.bytes, 'base64').subarray(1).toString('base64');
        },
        'EXCERPT_WRONG_LENGTH',
      ],
      [
        'proof-dropped',
        (x) => {
          x.chunk.proof.pop();
        },
        'EXCERPT_PROOF_INVALID',
      ],
      [
        'index',
        (x) => {
          x.chunk.index = 5;
        },
        'EXCERPT_OUT_OF_RANGE',
      ],
      [
        'index-other',
        (x) => {
          x.chunk.index = 0;
        },
        'EXCERPT_PROOF_INVALID',
      ],
      [
        'claimed-range',
        (x) => {
          x.chunk.start += 1;
        },
        'EXCERPT_RANGE_MISMATCH',
      ],
      [
        'digest',
        (x) => {
          x.content.digest = seg1.digest;
        },
        'EXCERPT_REF_NOT_IN_RECORD',
      ],
      [
        'other-segment',
        (x) => {
          x.seq = seg1.seq;
        },
        'EXCERPT_REF_NOT_IN_RECORD',
      ],
      [
        'kind',
        (x) => {
          x.kind = 'enf/document';
        },
        'EXCERPT_RECORD_MISMATCH',
      ],
      [
        'no-record',
        (x) => {
          x.seq = 1_000_000;
        },
        'EXCERPT_NO_RECORD',
      ],
      [
        'ledger',
        (x) => {
          x.ledgerId = '00'.repeat(32);
        },
        'EXCERPT_OTHER_LEDGER',
      ],
      // Self-consistent, but not the recorded file: the ref must be the record's.
      [
        'forged-ref',
        (x) => {
          x.chunk.index = 0;
          x.chunk.start = 0;
          x.chunk.end = forged.length;
          x.chunk.bytes = Buffer.from(forged).toString('base64');
          x.chunk.proof = [];
          x.content = { digest: hex(sha256(forged)), size: forged.length, chunkRoot: hex(leaf(forged)) };
        },
        'EXCERPT_REF_NOT_IN_RECORD',
      ],
    ];
    for (const [name, f, code] of cases) {
      const v = await refuted(await mutate(out('x1.json'), `x1-${name}.json`, f));
      expect({ name, code: v.code, ok: v.ok }).toEqual({ name, code, ok: false });
    }
  });

  it('bad input: a chunk beyond the file, an unknown record, an unreadable excerpt file — exit 2, nothing written (a refusal for want of approval is logged)', async () => {
    const n = await size();
    const p = out('x3.json');
    const r = await cli(
      ['--json', '-d', dir, 'excerpt', 'SEG-X', '--chunk', '3', '--out', p, ...grant.x],
      EX_AT,
    );
    expectOneLineError(r, 'EXCERPT_OUT_OF_RANGE', 2);
    expect(r.stderr).toMatch(/has 3 chunk\(s\), 0–2/);
    expect(ErrorOutput.parse(JSON.parse(r.stdout)).error.code).toBe('EXCERPT_OUT_OF_RANGE');
    await expect(stat(p)).rejects.toThrow();
    expectOneLineError(
      await cli(['-d', dir, 'excerpt', 'SEG-404', '--chunk', '0', '--out', p, ...grant.x], EX_AT),
      'NOT_FOUND',
      2,
    );
    expectOneLineError(
      await cli(['-d', dir, 'excerpt', 'SEG-X', '--chunk', '-1', '--out', p, ...grant.x], EX_AT),
      'USAGE',
      2,
    );
    expectOneLineError(await cli(['-d', dir, 'excerpt', 'SEG-X', '--out', p, ...grant.x], EX_AT), 'USAGE', 2);
    // Without an approval: refused, and the refusal is logged (the one entry written), no file.
    const before = await size();
    expectOneLineError(
      await cli(
        [
          '-d',
          dir,
          'excerpt',
          'SEG-X',
          '--chunk',
          '0',
          '--out',
          p,
          '--requester',
          'P-wang',
          '--key',
          'P-sun',
        ],
        EX_AT,
      ),
      'RETRIEVAL_NO_APPROVAL',
      2,
    );
    expect(await size()).toBe(before + 1);
    await expect(stat(p)).rejects.toThrow();
    // Never overwrites.
    expectOneLineError(
      await cli(['-d', dir, 'excerpt', 'SEG-X', '--chunk', '0', '--out', out('x1.json'), ...grant.x], EX_AT),
      'STORAGE_EXISTS',
      3,
    );
    const notJson = out('bad.json');
    await writeFile(notJson, '{"format": ');
    expectOneLineError(await cli(['-d', dir, 'verify-excerpt', notJson]), 'EXCERPT_MALFORMED', 2);
    const noProof = await mutate(out('x1.json'), 'x1-noproof.json', (x) => {
      delete (x.chunk as { proof?: unknown }).proof;
    });
    const m = await cli(['-d', dir, 'verify-excerpt', noProof]);
    expectOneLineError(m, 'EXCERPT_MALFORMED', 2);
    expect(m.stderr).toContain('chunk.proof');
    const badB64 = await mutate(out('x1.json'), 'x1-b64.json', (x) => {
      x.chunk.bytes = `*${x.chunk.bytes.slice(1)}`;
    });
    expectOneLineError(await cli(['-d', dir, 'verify-excerpt', badB64]), 'EXCERPT_MALFORMED', 2);
    expectOneLineError(await cli(['-d', dir, 'verify-excerpt', out('none.json')]), 'STORAGE_NOT_FOUND', 3);
    expect(await size()).toBe(n + 1); // only the logged refusal
  });
});

describe('request retrieval and approve retrieval', () => {
  const retrieve = (requester: string, approval: string | undefined, file: string, t: number) =>
    cli(
      [
        '--json',
        '-d',
        dir,
        'retrieve',
        '--seq',
        String(doc2.seq),
        '--requester',
        requester,
        ...(approval ? ['--approval', approval] : []),
        '--key',
        'P-sun',
        '--out',
        join(tmp.dir, file),
      ],
      at(t),
    );

  it('refused without an approval; requested and approved, granted; the approval allows one retrieval', async () => {
    const n = await size();
    const refused = await retrieve('P-wang', 'RA-1', 'doc2-a.bin', cst(2026, 6, 1));
    expectOneLineError(refused, 'RETRIEVAL_NO_APPROVAL', 2);
    expect(await size()).toBe(n + 1); // the refusal is logged
    const q = await cliJson(
      'request retrieval',
      [
        '-d',
        dir,
        'request',
        'retrieval',
        '--requester',
        'P-wang',
        '--record',
        'DOC-2',
        '--purpose',
        '案件复核',
        '--key',
        'P-wang',
      ],
      at(cst(2026, 6, 2)),
    );
    expect(q.requestId).toMatch(/^RR-[0-9A-F]{8}$/);
    expect(q).toMatchObject({
      scope: 'internal',
      requesterId: 'P-wang',
      contactId: null,
      caseId: CASE,
      documentIds: ['DOC-2'],
      segmentIds: null,
      purpose: '案件复核',
      requestedAt: cst(2026, 6, 2),
      records: [{ seq: doc2.seq, kind: 'enf/document', recordId: 'DOC-2' }],
    });
    expect(q.entry.kind).toBe(ACC.retrievalRequest);
    const a = await cliJson(
      'approve retrieval',
      [
        '-d',
        dir,
        'approve',
        'retrieval',
        '--request',
        q.requestId,
        '--approval-id',
        'RA-1',
        '--key',
        'P-zhao',
      ],
      at(cst(2026, 6, 2, 10)),
    );
    expect(a).toMatchObject({
      approvalId: 'RA-1',
      decision: 'approved',
      requestId: q.requestId,
      requesterId: 'P-wang',
      caseId: CASE,
      purpose: '案件复核',
      slipNo: q.requestId,
      decidedAt: cst(2026, 6, 2, 10),
      validFrom: cst(2026, 6, 2, 10),
      validUntil: cst(2026, 6, 9, 10),
      maxUses: 1,
    });
    expect(a.entry.kind).toBe('enf/approval.retrieval');
    const g = await retrieve('P-wang', 'RA-1', 'doc2-b.bin', cst(2026, 6, 3));
    expect(g.code, g.stderr).toBe(0);
    expect(JSON.parse(g.stdout)).toMatchObject({ granted: true, approvalId: 'RA-1', digest: doc2.digest });
    expect(hex(sha256(await readFile(join(tmp.dir, 'doc2-b.bin'))))).toBe(doc2.digest);
    // The request bounds the approval: another record of the case is not covered; a second use is refused.
    expectOneLineError(
      await retrieve('P-wang', 'RA-1', 'doc2-c.bin', cst(2026, 6, 3)),
      'RETRIEVAL_USED_UP',
      2,
    );
  });

  it('without a request: requester, case, window and uses given; outside the window refused; a rejection refuses', async () => {
    const a = await cliJson(
      'approve retrieval',
      [
        '-d',
        dir,
        'approve',
        'retrieval',
        '--requester',
        'P-li',
        '--case',
        CASE,
        '--purpose',
        '复议答辩',
        '--slip-no',
        '调用单-7',
        '--valid-until',
        '2026-06-20',
        '--max-uses',
        '2',
        '--key',
        'P-chen',
      ],
      at(cst(2026, 6, 10)),
    );
    expect(a).toMatchObject({
      requestId: null,
      requesterId: 'P-li',
      slipNo: '调用单-7',
      validFrom: cst(2026, 6, 10),
      validUntil: cst(2026, 6, 20),
      maxUses: 2,
    });
    expect((await retrieve('P-li', a.approvalId, 'doc2-d.bin', cst(2026, 6, 11))).code).toBe(0);
    // Used once of twice, but past --valid-until.
    expectOneLineError(
      await retrieve('P-li', a.approvalId, 'doc2-e.bin', cst(2026, 6, 20, 1)),
      'RETRIEVAL_APPROVAL_EXPIRED',
      2,
    );
    const r = await cliJson(
      'approve retrieval',
      [
        '-d',
        dir,
        'approve',
        'retrieval',
        '--requester',
        'P-li',
        '--case',
        CASE,
        '--purpose',
        'x',
        '--reject',
        '--opinion',
        '不必要',
        '--key',
        'P-zhao',
      ],
      at(cst(2026, 6, 21)),
    );
    expect(r.decision).toBe('rejected');
    expectOneLineError(
      await retrieve('P-li', r.approvalId, 'doc2-f.bin', cst(2026, 6, 22)),
      'RETRIEVAL_APPROVAL_REJECTED',
      2,
    );
  });

  it('an external request (Art. 25): the approval names the staff contact; the outside requester retrieves', async () => {
    const q = await cliJson(
      'request retrieval',
      [
        '-d',
        dir,
        'request',
        'retrieval',
        '--external',
        '--requester',
        '91140500MA0XXXXX1',
        '--organisation',
        '某律师事务所',
        '--contact',
        'P-wang',
        '--case',
        CASE,
        '--purpose',
        '代理诉讼查阅',
        '--request-id',
        'RR-EXT',
        '--key',
        'P-wang',
      ],
      at(cst(2026, 7, 1)),
    );
    expect(q).toMatchObject({ scope: 'external', requesterId: '91140500MA0XXXXX1', contactId: 'P-wang' });
    expect(q.records.length).toBeGreaterThan(10);
    const en = await cli(
      ['-d', dir, '--lang', 'en', 'approve', 'retrieval', '--request', 'RR-EXT', '--key', 'P-chen'],
      at(cst(2026, 7, 2)),
    );
    expect(en.code, en.stderr).toBe(0);
    const id = /^Retrieval approved: (RA-[0-9A-F]{8}) \(#\d+\): 91140500MA0XXXXX1 may retrieve/.exec(
      en.stdout,
    )?.[1];
    expect(id).toBeDefined();
    expect((await retrieve('91140500MA0XXXXX1', id, 'doc2-g.bin', cst(2026, 7, 3))).code).toBe(0);
  });
});

describe('request purge and approve purge', () => {
  const purge = (t: number, id: string, req: string, appr: string) =>
    cli(
      [
        '--json',
        '-d',
        dir,
        'retention',
        'purge',
        '--purge-id',
        id,
        '--request-id',
        req,
        '--approval-id',
        appr,
        '--key',
        'P-sun',
      ],
      at(t),
    );

  it('requested before expiry and approved, the purge waits for expiry, then proceeds', async () => {
    const q = await cliJson(
      'request purge',
      [
        '-d',
        dir,
        'request',
        'purge',
        '--record',
        'SEG-1',
        '--reason',
        '保存期满',
        '--request-id',
        'PR-1',
        '--key',
        'P-sun',
      ],
      at(cst(2026, 8, 1)),
    );
    expect(q).toMatchObject({
      requestId: 'PR-1',
      caseId: CASE,
      reason: '保存期满',
      requestedAt: cst(2026, 8, 1),
    });
    expect(q.targets).toEqual([
      {
        seq: seg1.seq,
        digest: seg1.digest,
        kind: 'enf/segment',
        recordId: 'SEG-1',
        expiresAt: expect.any(Number),
        purgeable: false,
      },
    ]);
    expect(q.entry.kind).toBe(RET.purgeRequest);
    const zh = await cli(
      [
        '-d',
        dir,
        '--lang',
        'zh',
        'approve',
        'purge',
        '--request',
        'PR-1',
        '--reason',
        '同意销毁',
        '--approval-id',
        'PA-1',
        '--key',
        'P-chen',
      ],
      at(cst(2026, 8, 2)),
    );
    expect(zh.code, zh.stderr).toBe(0);
    expect(zh.stdout).toMatch(/^机构负责人批准销毁申请 PR-1：PA-1（#\d+），1 个文件/);
    const n = await size();
    expectOneLineError(await purge(cst(2026, 8, 3), 'PG-1', 'PR-1', 'PA-1'), 'PURGE_BEFORE_EXPIRY', 2);
    expect(await size()).toBe(n);
    const after = q.targets[0]!.expiresAt!;
    const p = await cliJson(
      'retention purge',
      [
        '-d',
        dir,
        'retention',
        'purge',
        '--purge-id',
        'PG-1',
        '--request-id',
        'PR-1',
        '--approval-id',
        'PA-1',
        '--key',
        'P-sun',
      ],
      at(after),
    );
    expect(p).toMatchObject({ removed: [seg1.digest], targets: [{ seq: seg1.seq, digest: seg1.digest }] });
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content']);
    expect(v.ok).toBe(true);
    expect(v.content).toMatchObject({ purged: 1, problems: [] });
  });

  it('--expired requests exactly what the schedule calls purgeable; the approval names the same files', async () => {
    const t = cst(2026, 9, 5, 12);
    const s = await cliJson('retention schedule', [
      '-d',
      dir,
      'retention',
      'schedule',
      '--case',
      CASE,
      '--at',
      String(t),
    ]);
    const purgeable = s.items.filter((i) => i.purgeable).map((i) => i.seq);
    expect(purgeable.length).toBeGreaterThan(0);
    expect(purgeable).not.toContain(seg1.seq); // purged already
    const q = await cliJson(
      'request purge',
      ['-d', dir, 'request', 'purge', '--case', CASE, '--expired', '--reason', '保存期满', '--key', 'P-sun'],
      at(t),
    );
    expect(q.requestId).toMatch(/^PR-[0-9A-F]{8}$/);
    expect(q.targets.map((x) => x.seq)).toEqual(purgeable);
    expect(q.targets.every((x) => x.purgeable)).toBe(true);
    const a = await cliJson(
      'approve purge',
      ['-d', dir, 'approve', 'purge', '--request', q.requestId, '--reason', '同意', '--key', 'P-chen'],
      at(t),
    );
    expect(a).toMatchObject({ decision: 'approved', requestId: q.requestId, caseId: CASE });
    expect(a.targets).toEqual(q.targets.map((x) => ({ seq: x.seq, digest: x.digest })));
    const p = await cliJson(
      'retention purge',
      [
        '-d',
        dir,
        'retention',
        'purge',
        '--purge-id',
        'PG-2',
        '--request-id',
        q.requestId,
        '--approval-id',
        a.approvalId,
        '--key',
        'P-sun',
      ],
      at(t),
    );
    expect(p.removed.length).toBe(purgeable.length);
  });

  it('a rejected purge approval refuses the purge', async () => {
    const t = cst(2026, 10, 2);
    const q = await cliJson(
      'request purge',
      ['-d', dir, 'request', 'purge', '--record', 'SEG-9', '--reason', '保存期满', '--key', 'P-sun'],
      at(t),
    );
    const a = await cliJson(
      'approve purge',
      [
        '-d',
        dir,
        'approve',
        'purge',
        '--request',
        q.requestId,
        '--reason',
        '留作培训',
        '--reject',
        '--key',
        'P-chen',
      ],
      at(t),
    );
    expect(a.decision).toBe('rejected');
    const n = await size();
    expectOneLineError(await purge(t, 'PG-3', q.requestId, a.approvalId), 'PURGE_APPROVAL_REJECTED', 2);
    expect(await size()).toBe(n);
  });
});

describe('bad input: one coded line, nothing written', () => {
  const cases: Array<{ name: string; args: string[]; code: string; exit: number }> = [
    {
      name: 'request retrieval, unknown case',
      args: [
        'request',
        'retrieval',
        '--requester',
        'P-wang',
        '--case',
        'NO-SUCH',
        '--purpose',
        'p',
        '--key',
        'P-wang',
      ],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'request retrieval, no scope',
      args: ['request', 'retrieval', '--requester', 'P-wang', '--purpose', 'p', '--key', 'P-wang'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'request retrieval, external without a contact',
      args: [
        'request',
        'retrieval',
        '--external',
        '--requester',
        'X',
        '--organisation',
        'o',
        '--case',
        CASE,
        '--purpose',
        'p',
        '--key',
        'P-wang',
      ],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'request retrieval, internal requester not a person',
      args: [
        'request',
        'retrieval',
        '--requester',
        'P-nobody',
        '--case',
        CASE,
        '--purpose',
        'p',
        '--key',
        'P-wang',
      ],
      code: 'VALIDATION_FAILED',
      exit: 2,
    },
    {
      name: 'request retrieval by a device',
      args: [
        'request',
        'retrieval',
        '--requester',
        'P-wang',
        '--case',
        CASE,
        '--purpose',
        'p',
        '--key',
        'BC-0107',
      ],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    {
      name: 'approve retrieval, unknown request',
      args: ['approve', 'retrieval', '--request', 'RR-404', '--key', 'P-zhao'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'approve retrieval, neither request nor requester',
      args: ['approve', 'retrieval', '--case', CASE, '--purpose', 'p', '--key', 'P-zhao'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'approve retrieval, another requester than the request’s',
      args: ['approve', 'retrieval', '--request', 'RR-EXT', '--requester', 'P-li', '--key', 'P-zhao'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'approve retrieval, --max-uses 0',
      args: ['approve', 'retrieval', '--request', 'RR-EXT', '--max-uses', '0', '--key', 'P-zhao'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'approve retrieval, bad time',
      args: ['approve', 'retrieval', '--request', 'RR-EXT', '--valid-until', 'tomorrow', '--key', 'P-zhao'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'approve retrieval by an officer',
      args: ['approve', 'retrieval', '--request', 'RR-EXT', '--key', 'P-wang'],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    {
      name: 'request purge, nothing named',
      args: ['request', 'purge', '--reason', 'r', '--key', 'P-sun'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'request purge, an entry without a file',
      args: ['request', 'purge', '--seq', '1', '--reason', 'r', '--key', 'P-sun'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'request purge, only purged files',
      args: ['request', 'purge', '--record', 'SEG-1', '--reason', 'r', '--key', 'P-sun'],
      code: 'NOTHING_TO_PURGE',
      exit: 2,
    },
    {
      name: 'request purge, --expired before any expiry',
      args: ['request', 'purge', '--record', 'DOC-2', '--expired', '--reason', 'r', '--key', 'P-sun'],
      code: 'NOTHING_TO_PURGE',
      exit: 2,
    },
    {
      name: 'request purge by an officer',
      args: ['request', 'purge', '--record', 'DOC-2', '--reason', 'r', '--key', 'P-wang'],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    {
      name: 'approve purge, unknown request',
      args: ['approve', 'purge', '--request', 'PR-404', '--reason', 'r', '--key', 'P-chen'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'approve purge, a retrieval request id',
      args: ['approve', 'purge', '--request', 'RR-EXT', '--reason', 'r', '--key', 'P-chen'],
      code: 'NOT_FOUND',
      exit: 2,
    },
    {
      name: 'approve purge by a supervisor',
      args: ['approve', 'purge', '--request', 'PR-1', '--reason', 'r', '--key', 'P-zhao'],
      code: 'ROLE_MISSING',
      exit: 2,
    },
    {
      name: 'approve purge, no --reason',
      args: ['approve', 'purge', '--request', 'PR-1', '--key', 'P-chen'],
      code: 'USAGE',
      exit: 2,
    },
    {
      name: 'approve purge, key file missing',
      args: ['approve', 'purge', '--request', 'PR-1', '--reason', 'r', '--key', 'nobody'],
      code: 'STORAGE_NOT_FOUND',
      exit: 3,
    },
  ];

  it.each(cases)('$name → $code', async ({ args, code, exit }) => {
    const n = await size();
    const r = await run(['--json', ...args], cst(2026, 12, 1));
    expectOneLineError(r, code, exit);
    expect(ErrorOutput.parse(JSON.parse(r.stdout)).error).toMatchObject({ code, exit });
    expect(await size()).toBe(n);
  });

  it('through the real bin: no stack trace', async () => {
    const r = await cli(
      ['-d', dir, 'approve', 'purge', '--request', 'PR-404', '--reason', 'r', '--key', 'P-chen'],
      {
        spawn: true,
      },
    );
    expectOneLineError(r, 'NOT_FOUND', 2);
  });

  it('--help lists the new subcommands', async () => {
    expect((await cli(['--help'])).stdout).toMatch(
      /request[\s\S]*approve[\s\S]*excerpt[\s\S]*verify-excerpt/,
    );
    expect((await cli(['request', '--help'])).stdout).toMatch(/retrieval[\s\S]*purge/);
    expect((await cli(['approve', '--help'])).stdout).toMatch(/retrieval[\s\S]*purge/);
  });
});
