/**
 * Input as agencies have it (issue 18, items 3 and 4): record files in UTF-8 (with or without a byte order mark), in
 * GB18030/GBK when the user says so (encoded here by iconv, an independent encoder), and refused — coded, nothing
 * written — when they are not text; a 100k-deep JSON refused with a code; ISO 8601 times in JSON records; every issue
 * of a refused record in --json. And no orphans: a record the check refuses leaves no file in the content store.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnforcementRecords } from '../../src/domain/records';
import { ErrorOutput } from '../../src/cli/schemas';
import { cli, cliJson, cst, expectOneLineError, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-input-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
});
afterAll(() => tmp.cleanup());

const file = async (name: string, data: string | Uint8Array) => {
  const p = join(tmp.dir, name);
  await writeFile(p, data);
  return p;
};

/** The ledger's size, read through the CLI. */
const size = async () => (await cliJson('verify', ['-d', D, 'verify', '--no-records'])).size;

/** Every object file in the content store (data and sidecars). */
async function storeFiles(): Promise<string[]> {
  const root = join(D, 'content', 'objects');
  const out: string[] = [];
  for (const shard of await readdir(root)) for (const f of await readdir(join(root, shard))) out.push(f);
  return out.sort();
}

/** A case record (a fresh id) whose Chinese text shows whether it was decoded right. */
const caseRecord = (caseId: string, openedAt: number | string = cst(2026, 3, 3, 9)) => ({
  kind: 'enf/case',
  body: {
    caseId,
    agencyId: 'jc-wjw',
    matterType: 'penalty',
    documentNumber: '晋市卫罚〔2026〕9号',
    title: '某诊所超范围执业案',
    target: { name: '晋城市某诊所', kind: 'organisation' },
    openedAt,
    officers: ['P-wang', 'P-li'],
  },
});

async function caseBody(caseId: string): Promise<Record<string, unknown> | undefined> {
  const er = await EnforcementRecords.open(join(D, 'ledger'));
  try {
    return (await er.byId('case', caseId))?.body as Record<string, unknown> | undefined;
  } finally {
    await er.ledger.close();
  }
}

/** `text` encoded by iconv (glibc), not by the decoder under test. */
function iconv(text: string, to: string): Uint8Array {
  const r = spawnSync('iconv', ['-f', 'UTF-8', '-t', to], { input: text });
  if (r.status !== 0) throw new Error(`iconv: ${r.stderr}`);
  return new Uint8Array(r.stdout);
}

describe('record files as agencies have them', () => {
  it('invalid UTF-8 is refused with INPUT_ENCODING naming the offset, and nothing is written', async () => {
    const before = await size();
    const text = JSON.stringify(caseRecord('JC-2026-ENC-BAD'));
    // GBK bytes in a file read as UTF-8: the bug this guards against stored them as U+FFFD.
    const utf8 = Buffer.from(text);
    const at = utf8.indexOf(Buffer.from('诊'));
    for (const [name, bytes] of [
      // GBK bytes read as UTF-8: the bug this guards against stored them as U+FFFD.
      ['gbk-as-utf8.json', iconv(text, 'GBK')],
      ['lone-ff.json', Buffer.concat([utf8.subarray(0, 20), Buffer.from([0xff]), utf8.subarray(20)])],
      // A character cut after its second byte, then more text.
      ['cut.json', Buffer.concat([utf8.subarray(0, at + 2), utf8.subarray(at + 3)])],
    ] as const) {
      const r = await cli(['-d', D, 'append', await file(name, bytes), '--key', 'P-wang'], {
        spawn: name === 'lone-ff.json',
      });
      expectOneLineError(r, 'INPUT_ENCODING', 2);
      expect(r.stderr).toMatch(/offset \d+/);
    }
    // The offset is that of the first bad byte: 20 for the 0xFF put there.
    const r = await cli(['-d', D, 'append', join(tmp.dir, 'lone-ff.json'), '--key', 'P-wang']);
    expect(r.stderr).toMatch(/offset 20\b/);
    // The same from stdin; and stdin with --encoding.
    const gbk = iconv(text, 'GBK');
    expectOneLineError(
      await cli(['-d', D, 'append', '-', '--key', 'P-wang'], { input: gbk }),
      'INPUT_ENCODING',
      2,
    );
    expect(await size()).toBe(before);
    const ok = await cli(['-d', D, 'append', '-', '--key', 'P-wang', '--encoding', 'gbk'], { input: gbk });
    expect(ok.code, ok.stderr).toBe(0);
    expect((await caseBody('JC-2026-ENC-BAD'))?.title).toBe('某诊所超范围执业案');
    expect(await size()).toBe(before + 1);
  });

  it('a UTF-8 byte order mark is accepted and not stored', async () => {
    const text = JSON.stringify(caseRecord('JC-2026-ENC-BOM'));
    const p = await file('bom.json', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const r = await cli(['-d', D, 'append', p, '--key', 'P-wang']);
    expect(r.code, r.stderr).toBe(0);
    expect((await caseBody('JC-2026-ENC-BOM'))?.title).toBe('某诊所超范围执业案');
  });

  it('GB18030 and GBK are read right with --encoding, and refused without it', async () => {
    for (const [enc, iconvName] of [
      ['gb18030', 'GB18030'],
      ['gbk', 'GBK'],
    ] as const) {
      const id = `JC-2026-ENC-${enc.toUpperCase()}`;
      // 〔〕 are outside GB2312 but in GBK; 𠀀 (U+20000, four bytes in GB18030) only in GB18030.
      const rec = caseRecord(id);
      if (enc === 'gb18030') rec.body.title = '某诊所𠀀案';
      const p = await file(`${enc}.json`, iconv(JSON.stringify(rec), iconvName));
      expectOneLineError(await cli(['-d', D, 'append', p, '--key', 'P-wang']), 'INPUT_ENCODING', 2);
      expect(await caseBody(id)).toBeUndefined();
      const r = await cli(['-d', D, 'append', p, '--key', 'P-wang', '--encoding', enc]);
      expect(r.code, r.stderr).toBe(0);
      const body = await caseBody(id);
      expect(body?.title).toBe(rec.body.title);
      expect(body?.documentNumber).toBe('晋市卫罚〔2026〕9号');
      expect((body?.target as { name: string } | undefined)?.name).toBe('晋城市某诊所');
    }
    // Bytes that are not GB18030 either (0xFF never starts a GB18030 character).
    const bad = await file(
      'bad-gb.json',
      Buffer.concat([Buffer.from('{"kind":"'), Buffer.from([0xff, 0x30])]),
    );
    const r = await cli(['-d', D, 'append', bad, '--key', 'P-wang', '--encoding', 'gb18030']);
    expectOneLineError(r, 'INPUT_ENCODING', 2);
    expect(r.stderr).toMatch(/offset 9\b/);
    expectOneLineError(
      await cli(['-d', D, 'append', bad, '--key', 'P-wang', '--encoding', 'big5']),
      'USAGE',
      2,
    );
  });

  it('a 100k-deep JSON is refused with a code and its path, not a stack overflow', async () => {
    const before = await size();
    const deep = `{"kind":"enf/case","body":{"caseId":"JC-2026-DEEP","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const r = await cli(['--json', '-d', D, 'append', '-', '--key', 'P-wang'], { input: deep, spawn: true });
    expectOneLineError(r, 'VALIDATION_FAILED', 2);
    expect(r.stderr).not.toMatch(/call stack/i);
    const e = ErrorOutput.parse(JSON.parse(r.stdout)).error;
    const tooDeep = e.issues?.find((i) => i.code === 'too_deep');
    expect(tooDeep?.path.slice(0, 3)).toEqual(['body', 'x', 0]);
    expect(await size()).toBe(before);
  });

  it('times in JSON records may be ISO 8601 (UTC+8 without an offset), and a bad one is named', async () => {
    const rec = caseRecord('JC-2026-ENC-ISO', '2026-03-03T09:30');
    const r = await cli(['-d', D, 'append', '-', '--key', 'P-wang'], { input: JSON.stringify(rec) });
    expect(r.code, r.stderr).toBe(0);
    expect((await caseBody('JC-2026-ENC-ISO'))?.openedAt).toBe(Date.UTC(2026, 2, 3, 1, 30));
    // With an offset; a date alone is its midnight (UTC+8); in an array of records.
    const two = [
      caseRecord('JC-2026-ENC-ISO2', '2026-03-03T01:30:00Z'),
      caseRecord('JC-2026-ENC-ISO3', '2026-03-04'),
    ];
    expect(
      (await cli(['-d', D, 'append', '-', '--key', 'P-wang'], { input: JSON.stringify(two) })).code,
    ).toBe(0);
    expect((await caseBody('JC-2026-ENC-ISO2'))?.openedAt).toBe(Date.UTC(2026, 2, 3, 1, 30));
    expect((await caseBody('JC-2026-ENC-ISO3'))?.openedAt).toBe(Date.UTC(2026, 2, 3, 16));
    // Not a time (a date that does not exist; no date at all): the field's path in the issue list.
    const bad = [caseRecord('JC-2026-ENC-ISO4', '2026-02-30'), caseRecord('JC-2026-ENC-ISO5', 'yesterday')];
    const b = await cli(['--json', '-d', D, 'append', '-', '--key', 'P-wang'], {
      input: JSON.stringify(bad),
    });
    expectOneLineError(b, 'VALIDATION_FAILED', 2);
    const issues = ErrorOutput.parse(JSON.parse(b.stdout)).error.issues ?? [];
    expect(issues.filter((i) => i.code === 'invalid_time').map((i) => i.path)).toEqual([
      [0, 'body', 'openedAt'],
      [1, 'body', 'openedAt'],
    ]);
  });

  it('--json lists every issue of a refused record with its path (more than the five on stderr)', async () => {
    const many = Array.from({ length: 8 }, (_, i) => ({ kind: 'enf/case', body: { x: 0.5 + i } }));
    const r = await cli(['--json', '-d', D, 'append', '-', '--key', 'P-wang'], {
      input: JSON.stringify(many),
    });
    expectOneLineError(r, 'VALIDATION_FAILED', 2);
    expect(r.stderr).toMatch(/and 3 more/);
    const issues = ErrorOutput.parse(JSON.parse(r.stdout)).error.issues ?? [];
    expect(issues.map((i) => i.path)).toEqual(many.map((_, i) => [i, 'body', 'x']));
    expect(new Set(issues.map((i) => i.code))).toEqual(new Set(['not_integer']));
  });
});

describe('no orphans', () => {
  it('an ingest into an archived case is refused and stores nothing; a file already stored stays', async () => {
    const before = await storeFiles();
    const size0 = await size();
    const ingest = (media: string, seg: string) =>
      cli([
        '-d',
        D,
        'ingest',
        media,
        '--key',
        'BC-0107',
        '--case',
        'JC-2026-PEN-0001',
        '--action',
        'ACT-1',
        '--segment-id',
        seg,
        '--session',
        `S-${seg}`,
        '--start',
        '2026-03-03T09:30',
        '--end',
        '2026-03-03T09:40',
      ]);
    // A new file: refused by the record check (the case is archived), so never stored.
    const fresh = await file(
      'fresh.mp4',
      new Uint8Array(3 << 20).map((_, i) => (i * 31) & 255),
    );
    const r = await ingest(fresh, 'SEG-ORPHAN-1');
    expectOneLineError(r, 'VALIDATION_FAILED', 2);
    expect(r.stderr).toMatch(/case_archived/);
    expect(await storeFiles()).toEqual(before);
    // A file the store already holds (the demo's first document): refused too, and still there.
    const stored = before.find((f) => !f.endsWith('.chunks'))!;
    const copy = await file(
      'copy.pdf',
      await readFile(join(D, 'content', 'objects', stored.slice(0, 2), stored)),
    );
    expectOneLineError(await ingest(copy, 'SEG-ORPHAN-2'), 'VALIDATION_FAILED', 2);
    expect(await storeFiles()).toEqual(before);
    expect(await size()).toBe(size0);
    expect((await cli(['-d', D, 'verify', '--content'])).code).toBe(0);
  });

  it('append --attach refused by the record check stores nothing; accepted, it stores the file', async () => {
    const before = await storeFiles();
    const doc = await file('scan.pdf', '%PDF-1.4 a scan that must not be orphaned\n');
    const rec = {
      kind: 'enf/document',
      body: {
        documentId: 'DOC-ORPHAN',
        caseId: 'JC-2026-PEN-0001',
        actionId: 'ACT-1',
        type: 'ITEM_LIST',
        officers: ['P-wang', 'P-li'],
        signatures: { officers: true, party: 'signed' },
        startedAt: '2026-03-03T09:40',
      },
    };
    const r = await cli(['-d', D, 'append', '-', '--key', 'P-wang', '--attach', doc], {
      input: JSON.stringify(rec),
    });
    expectOneLineError(r, 'VALIDATION_FAILED', 2);
    expect(r.stderr).toMatch(/body\.caseId: case_archived/);
    expect(await storeFiles()).toEqual(before);
    // The control: the same file attached to a record the check accepts is stored (data and sidecar).
    const ok = caseRecord('JC-2026-ATTACH');
    const a = await cli(['-d', D, 'append', '-', '--key', 'P-wang', '--attach', doc], {
      input: JSON.stringify(ok),
    });
    expect(a.code, a.stderr).toBe(0);
    expect((await storeFiles()).length).toBe(before.length + 2);
  });
});
