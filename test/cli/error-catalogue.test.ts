/**
 * Error details in Chinese that cannot fall behind the code (issue 18 item 5: `--lang zh` output is Chinese
 * throughout). The catalogue src/cli/error-details.ts maps each message template of src/ to a Chinese one; this file
 * reads src/ with the TypeScript compiler (test/cli/message-sites.ts) and fails, naming file:line, when a message has no
 * Chinese template, when a Chinese template drops a placeholder, or when the allowlist of messages that are not
 * literals is out of date. Then real failures through the built bin under --lang zh: no English sentence is left in
 * the line (paths, codes, hex and numbers stay), and under en the line is unchanged: the library's message.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DETAIL_ZH, detailZh, errorDetailZh, EXTERNAL_ZH, ISSUE_ZH } from '../../src/cli/error-details';
import { ERROR_ZH } from '../../src/cli/error-words';
import { EncodingError, PolicyError, ValidationError } from '../../src/errors';
import { PROBLEMS } from '../../src/problems';
import { at, cli, cliJson, cst, demoWithRecords, expectOneLineError, ROOT, type Run } from './helpers';
import { issueCodes, type MessageSite, messageSites } from './message-sites';

const han = /[\u4e00-\u9fff]/;
const placeholders = (t: string) => [...t.matchAll(/\{(\d+)\}/g)].map((m) => m[1]).sort();
/**
 * A template with something to translate: words outside its placeholders and option names. A single token ('admin',
 * 'access.defaultMaxUses': a field a helper names) is a value the message carries, not a phrase.
 */
const worded = (t: string) => {
  const rest = t.replace(/\{\d+\}/g, ' ').replace(/--[a-z-]+/g, ' ');
  return /\b[a-z]{2,}\b/.test(rest) && /\S\s+\S/.test(t.trim());
};

/**
 * Messages that are not literals, each with why it needs no template of its own. The test fails when one of these is
 * gone (a stale entry) or a new one appears.
 */
const NOT_LITERAL: ReadonlyArray<{ at: string; text: string; why: string }> = [
  // A refused retrieval or disclosure throws its first reason: the `add('CODE', message)` calls of src/access/check.ts
  // and the objects of access.ts, all collected as reasons.
  { at: 'src/access/access.ts', text: 'first.message', why: 'the first reason (collected)' },
  { at: 'src/access/access.ts', text: 'first.message', why: 'the first reason (collected)' },
  // roleProblem's own template: 'approver {0} holds none of {1} ({2})' (in the catalogue).
  { at: 'src/access/check.ts', text: 'why', why: 'roleProblem (catalogued)' },
  { at: 'src/access/check.ts', text: 'why', why: 'roleProblem (catalogued)' },
  // A witness refusal passing on a checkpoint's or proof's error: that error's message (collected).
  { at: 'src/checkpoint/witness.ts', text: 'err.message', why: 'an inner error (collected)' },
  { at: 'src/cli/commands/witness.ts', text: 'err.message', why: 'an inner error (collected)' },
  // process-signer's `failed(message)` forwarded by its protocol-error helper, whose calls are literals.
  { at: 'src/crypto/process-signer.ts', text: 'message', why: 'protocolError’s calls' },
  // The registry's signer check: its `{ code, message }` objects (collected as reasons).
  { at: 'src/ledger/ledger.ts', text: 'problem.message', why: 'registry reasons (collected)' },
  // A refused purge throws its first reason: the `add('CODE', message)` calls of src/retention/purge-check.ts.
  { at: 'src/retention/retention.ts', text: 'first.message', why: 'the first reason (collected)' },
];

let sites: MessageSite[];
beforeAll(() => {
  sites = messageSites(ROOT);
});

describe('the catalogue of error details', () => {
  it('every message of src/ has a Chinese template (file:line named when one has none)', () => {
    expect(sites.length).toBeGreaterThan(300);
    const missing = sites.flatMap((s) =>
      s.templates
        .filter((t) => worded(t) && DETAIL_ZH[t] === undefined)
        .map((t) => `${s.file}:${s.line} ${JSON.stringify(t)}`),
    );
    expect(missing, 'add each to DETAIL_ZH in src/cli/error-details.ts').toEqual([]);
  });

  it('every issue code of src/ has a Chinese name (a refused record lists its fields’ issues by name)', () => {
    const codes = issueCodes(ROOT);
    expect(codes.size).toBeGreaterThan(40);
    const missing = [...codes]
      .filter(([code]) => ISSUE_ZH[code] === undefined)
      .map(([c, at]) => `${at} ${c}`);
    expect(missing, 'add each to ISSUE_ZH in src/cli/error-details.ts').toEqual([]);
  });

  it('the messages that are not literals are exactly the allowlist', () => {
    const found = sites
      .filter((s) => s.templates.length === 0)
      .map((s) => `${s.file} ${s.text}`)
      .sort();
    expect(found).toEqual(NOT_LITERAL.map((n) => `${n.at} ${n.text}`).sort());
  });

  it('each Chinese template keeps every placeholder, is Chinese, and is picked for its own message', () => {
    for (const [en, zh] of [...Object.entries(DETAIL_ZH), ...Object.entries(EXTERNAL_ZH)]) {
      expect(placeholders(zh), en).toEqual(placeholders(en));
      // A template of placeholders and punctuation only (`{0}: {1}`) has no word of its own: it counts when a value
      // is a message the catalogue renders (tested below).
      if (!worded(en)) continue;
      expect(zh, en).toMatch(han);
      // No English sentence left: three English words in a row (a command in backquotes, a list of field names in
      // braces or brackets aside).
      expect(zh.replace(/\{[^}]*\}|\[[^\]]*\]|`[^`]*`/g, '#'), en).not.toMatch(
        /[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/,
      );
      // Filled with values (no spaces: a placeholder ends where the next literal starts), the message renders in
      // Chinese with each value verbatim.
      const values = placeholders(en).map((n) => `V${n}-x`);
      const message = en.replace(/\{(\d+)\}/g, (_, n: string) => `V${n}-x`);
      const out = detailZh(message);
      expect(out, en).toMatch(han);
      for (const v of values) expect(out, en).toContain(v);
    }
  });

  it('a message inside a message is rendered too; a message the catalogue lacks stays as it is', () => {
    expect(detailZh('cannot decode: unexpected end of input')).toBe('无法解码：输入意外结束');
    expect(detailZh('/a b/x.json is not JSON: Unexpected end of JSON input')).toBe(
      '/a b/x.json 不是 JSON：JSON 输入意外结束',
    );
    expect(detailZh('/x.pem: not a strict "PRIVATE KEY" PEM: too few lines')).toBe(
      '/x.pem：不是严格的“PRIVATE KEY” PEM：行数过少',
    );
    // Words of its own or a rendered value: a bare `{0}: {1}` of unknown text is left as it is.
    expect(detailZh('a: b')).toBeUndefined();
    expect(detailZh('something new happened')).toBeUndefined();
    expect(errorDetailZh('something new happened')).toBe('something new happened');
  });

  it('structure is rendered from codes: issues with their paths, a byte offset, further reasons and the logged refusal', () => {
    const v = new ValidationError([
      { code: 'required', path: ['body', 'caseId'], message: 'Required' },
      { code: 'some_new_code', path: [], message: 'x' },
    ]);
    expect(errorDetailZh(v.message, v)).toBe(
      `body.caseId：${ISSUE_ZH.required}（required）；（根）：some_new_code`,
    );
    const e = new EncodingError('ENCODING_MALFORMED', 'unexpected end of input', 17);
    expect(e.message).toBe('unexpected end of input (at byte 17)');
    expect(errorDetailZh(e.message, e)).toBe('输入意外结束（位于第 17 字节）');
    const p = new PolicyError('PURGE_NO_APPROVAL', 'no purge approval PA-9 by the head precedes the purge', {
      eventSeq: 40,
      problems: [
        { code: 'PURGE_NO_APPROVAL', message: '' },
        { code: 'PURGE_BEFORE_EXPIRY', message: '' },
      ],
    });
    expect(errorDetailZh(p.message, p)).toBe(
      '销毁之前没有机构负责人的销毁批准 PA-9；另有：PURGE_BEFORE_EXPIRY（该拒绝已记录为第 40 条）',
    );
    for (const zh of Object.values(ISSUE_ZH)) expect(zh).toMatch(han);
  });
});

/**
 * An English sentence left in a line: three English words in a row, once paths, options and lists of ids or roles in
 * brackets are set aside.
 */
function english(line: string): string | undefined {
  const rest = line
    .replace(/^error [A-Z_]+: /, '')
    .replace(/\/[^\s：；，（）'"]+/g, ' ')
    .replace(/--[a-z-]+/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  return rest.match(/[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}/)?.[0];
}

describe('usage errors under --lang zh (the option parser’s messages)', () => {
  it('an unknown option or command, a missing option or argument, a bad choice, too many arguments', async () => {
    for (const args of [
      ['verify', '--no-such-flag'],
      ['verify', '--chekpoint', 'x'],
      ['frobnicate'],
      ['verfy'],
      ['retention', 'purge', '--request-id', 'R'],
      ['keys', 'show'],
      ['demo', '--suite', 'rsa'],
      ['verify', 'one', 'two'],
      ['verify', '--checkpoint'],
    ]) {
      const r = await cli(['--lang', 'zh', ...args]);
      expectOneLineError(r, 'USAGE', 2);
      const line = r.stderr.trimEnd();
      expect(line.startsWith(`error USAGE: ${ERROR_ZH.USAGE}。详情：`), line).toBe(true);
      expect(english(line), line).toBeUndefined();
      expect(line.slice(line.indexOf('详情：') + 3), line).toMatch(han);
    }
  });
});

describe('error lines under --lang zh, through the built bin', () => {
  let fixture: Awaited<ReturnType<typeof demoWithRecords>>;
  let D: string;
  /** Each failure: its code, exit and arguments (and input). */
  let cases: Array<{ code: string; exit: number; args: string[]; input?: string | Uint8Array; env?: object }>;

  beforeAll(async () => {
    fixture = await demoWithRecords('el-cli-errcat-', 'JC-2026-PEN-0001', ['SEG-1']);
    D = fixture.dir;
    const file = async (name: string, data: string | Uint8Array) => {
      const p = join(fixture.tmp.dir, name);
      await writeFile(p, data);
      return p;
    };
    const record = {
      kind: 'enf/case',
      body: { caseId: 'JC-2026-ENC-1', agencyId: 'jc-wjw', title: '某诊所超范围执业案' },
    };
    const gbk = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: JSON.stringify(record) });
    expect(gbk.status).toBe(0);
    // A purge request and the head's approval, then a purge months before the segment's six months have run.
    const SEG = fixture.records['SEG-1']!;
    const targets = [{ seq: SEG.seq, digest: { $bytes: SEG.digest } }];
    const append = (r: object, key: string, t: number) =>
      cliJson('append', ['-d', D, 'append', '-', '--key', key], { input: JSON.stringify(r), ...at(t) });
    await append(
      {
        kind: 'ret/purge.request',
        body: {
          requestId: 'PR-1',
          caseId: 'JC-2026-PEN-0001',
          targets,
          reason: '保存期满',
          requestedAt: cst(2026, 5, 1),
        },
      },
      'P-sun',
      cst(2026, 5, 1),
    );
    await append(
      {
        kind: 'enf/approval.purge',
        body: {
          approvalId: 'PA-1',
          decision: 'approved',
          decidedAt: cst(2026, 5, 2),
          caseId: 'JC-2026-PEN-0001',
          targets,
          reason: '同意销毁',
        },
      },
      'P-chen',
      cst(2026, 5, 2),
    );
    const badKey = await file('bad.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const obstruction = JSON.stringify({
      kind: 'enf/obstruction',
      body: { obstructionId: 'O-1', caseId: 'JC-2026-PEN-0001', occurredAt: 1, description: 'x' },
    });
    cases = [
      { code: 'STORAGE_NOT_FOUND', exit: 3, args: ['-d', join(fixture.tmp.dir, 'none'), 'verify'] },
      {
        code: 'VALIDATION_FAILED',
        exit: 2,
        args: ['-d', D, 'append', '-', '--key', 'P-wang'],
        input: JSON.stringify([{ kind: 'enf/case', body: { x: 1.5, y: { $bytes: 'abc' } }, extra: 1 }]),
      },
      {
        code: 'VALIDATION_FAILED',
        exit: 2,
        args: [
          '-d',
          D,
          'append',
          await file('garbage.json', '{"kind": "enf/case", "body": {'),
          '--key',
          'P-wang',
        ],
      },
      {
        code: 'INPUT_ENCODING',
        exit: 2,
        args: ['-d', D, 'append', await file('gbk.json', gbk.stdout), '--key', 'P-wang'],
      },
      {
        code: 'PURGE_BEFORE_EXPIRY',
        exit: 2,
        args: [
          ...[
            '--now',
            '2026-06-01',
            '-d',
            D,
            'retention',
            'purge',
            '--purge-id',
            'PG-1',
            '--request-id',
            'PR-1',
          ],
          ...['--approval-id', 'PA-1', '--key', 'P-sun'],
        ],
      },
      {
        code: 'CRYPTO_BAD_PEM',
        exit: 2,
        args: ['-d', D, 'append', '-', '--key', badKey],
        input: obstruction,
      },
      { code: 'STORAGE_NOT_FOUND', exit: 3, args: ['-d', D, 'checkpoint', '--key', 'nobody'] },
      { code: 'USAGE', exit: 2, args: ['-d', D, 'retention', 'schedule', '--at', 'next tuesday'] },
    ];
  });
  afterAll(() => fixture.tmp.cleanup());

  it('each failure: code first, the meaning and the detail in Chinese, no English sentence; --json keeps the English', async () => {
    for (const c of cases) {
      const zh: Run = await cli(['--lang', 'zh', '--json', ...c.args], { input: c.input, spawn: true });
      expectOneLineError(zh, c.code, c.exit);
      const line = zh.stderr.trimEnd();
      const meaning = ERROR_ZH[c.code] ?? PROBLEMS[c.code as keyof typeof PROBLEMS]?.zh;
      expect(line.startsWith(`error ${c.code}: ${meaning}。详情：`), line).toBe(true);
      expect(english(line), line).toBeUndefined();
      expect(line.slice(line.indexOf('详情：')), line).toMatch(han);
      const json = JSON.parse(zh.stdout) as { error: { code: string; message: string } };
      expect(json.error.code).toBe(c.code);
      expect(json.error.message, 'the library’s message in --json').not.toMatch(han);

      // Under en the line is the library's message, as before.
      const en = await cli(['--lang', 'en', ...c.args], { input: c.input });
      expect(en.stderr).toBe(`error ${c.code}: ${json.error.message}\n`);
      expect(en.stderr).not.toMatch(han);
    }
  });

  it('the values stay verbatim: the path, the offset, the fields and the entry', async () => {
    const [missing, fields, , gbk, purge] = cases;
    const run = async (c: (typeof cases)[number]) =>
      (await cli(['--lang', 'zh', ...c.args], { input: c.input })).stderr;
    expect(await run(missing!)).toBe(
      `error STORAGE_NOT_FOUND: ${ERROR_ZH.STORAGE_NOT_FOUND}。详情：${join(fixture.tmp.dir, 'none')} 处没有台账目录（请先运行 init）\n`,
    );
    expect(await run(fields!)).toContain(
      '0.extra：不允许的字段（unrecognized_key）；0.body.x：不是整数（not_integer）',
    );
    expect(await run(gbk!)).toMatch(
      /gbk\.json 不是 utf-8 文本（在偏移 \d+ 附近有无效字节）；如为 GB18030 或 GBK 编码/,
    );
    expect(await run(purge!)).toMatch(
      new RegExp(`第 ${fixture.records['SEG-1']!.seq} 条（AV）保存至 2026-\\d\\d-\\d\\d`),
    );
  });
});
