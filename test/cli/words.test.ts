/**
 * Words an auditor understands (issue 18, item 5): `verify` in Chinese is Chinese (problem meanings from the shared
 * catalogue, severities, counts); a missing or changed file is named by its record (DOC-x, SEG-y), not only its digest;
 * `verify` lists the checkpoints recorded in the log beside those given; every `next:` hint printed runs as printed.
 */
import { spawnSync } from 'node:child_process';
import { chmod, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PENALTY_CASE_DEFECTS } from '../../src/domain/example-penalty-case';
import { BIN, cli, cliJson, demoWithRecords, expectOneLineError, type tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;
let records: Record<string, { seq: number; digest: string }>;

const object = (digest: string) => join(D, 'content', 'objects', digest.slice(0, 2), digest);

beforeAll(async () => {
  ({ tmp, dir: D, records } = await demoWithRecords('el-cli-words-', 'JC-2026-PEN-0001', ['DOC-2', 'SEG-3']));
  // DOC-2's file deleted outside any purge; SEG-3's changed at byte 5.
  await rm(object(records['DOC-2']!.digest));
  const seg = object(records['SEG-3']!.digest);
  await chmod(seg, 0o644);
  const bytes = await readFile(seg);
  bytes[5] = bytes[5]! ^ 0xff;
  await writeFile(seg, bytes);
});
afterAll(() => tmp.cleanup());

/** Han characters, and Latin words that are not codes, ids, kinds, hex or command-line flags (`--checkpoint`). */
const latinWords = (line: string) =>
  line
    .replace(
      /--[a-z][\w-]*|\b[A-Z][A-Z0-9_]+\b|\b[A-Z]+-[\w-]+\b|\b[a-z]+\/[\w.]+\b|\b[0-9a-f]{8,}…?|\b[a-z_]+\.[\w.]+\b|\b[a-z]+_[a-z_]+\b/g,
      '',
    )
    .match(/\b[a-z]{3,}\b/gi) ?? [];

describe('verify in Chinese, and files named by their records', () => {
  it('--lang zh: every line is Chinese but for codes, ids, kinds and digests', async () => {
    const r = await cli(['-d', D, '--lang', 'zh', 'verify', '--content']);
    expect(r.code).toBe(1);
    for (const line of r.stdout
      .trim()
      .split('\n')
      .filter((l) => !/^\s+(root|#)/.test(l) || /#/.test(l)))
      expect(latinWords(line), line).toEqual([]);
    expect(r.stdout).toMatch(/CONTENT_MISSING enf\/document DOC-2 .*文件缺失/);
    expect(r.stdout).toMatch(/CONTENT_MODIFIED enf\/segment SEG-3 .*文件内容被修改，位置 \[0, /);
    expect(r.stdout).toMatch(/\[违规\] 第27条 CONTENT_MISSING_UNPURGED：.*enf\/document DOC-2（条目 #\d+）/);
  });

  it('--json and English name the record too', async () => {
    const v = await cliJson('verify', ['-d', D, 'verify', '--content'], { expectCode: 1 });
    const missing = v.content?.problems.find((p) => p.code === 'CONTENT_MISSING');
    expect(missing).toMatchObject({ seq: records['DOC-2']!.seq, kind: 'enf/document', recordId: 'DOC-2' });
    expect(missing?.message).toMatch(/DOC-2/);
    const changed = v.content?.problems.find((p) => p.code === 'CONTENT_MODIFIED');
    expect(changed).toMatchObject({ recordId: 'SEG-3', digest: records['SEG-3']!.digest });
    const f = v.archive?.findings.find((x) => x.code === 'CONTENT_MISSING_UNPURGED');
    expect(f?.message.en).toMatch(/of enf\/document DOC-2 \(entry #\d+\)/);
  });

  it('lists the checkpoints recorded in the log beside those given', async () => {
    const cp = join(tmp.dir, 'cp.txt');
    expect((await cli(['-d', D, 'checkpoint', '--out', cp])).code).toBe(0);
    const v = await cliJson('verify', ['-d', D, 'verify', '--checkpoint', cp], { expectCode: 0 });
    // The demo's own checkpoint and this one; one given.
    expect(v.logCheckpoints).toHaveLength(2);
    expect(v.logCheckpoints![1]).toBe(Number((await readFile(cp, 'utf8')).split('\n')[1]));
    expect(v.checkpoints).toBe(1);
    const en = await cli(['-d', D, '--lang', 'en', 'verify']);
    expect(en.stdout).toMatch(/checkpoints in the log: 2 \(sizes \d+, \d+\); given \(--checkpoint\): 0/);
    // The counts line says which checkpoints it counts (the held ones compared), not a bare "checkpoints 0" under
    // "checkpoints in the log: 2".
    expect(en.stdout).toMatch(/index rows \d+, held checkpoints compared 0\n/);
    expect(en.stdout).not.toMatch(/, checkpoints \d/);
    const zh = await cli(['-d', D, '--lang', 'zh', 'verify']);
    expect(zh.stdout).toMatch(/台账内检查点：2 个/);
    expect(zh.stdout).toMatch(/索引行 \d+，已比对的外部检查点 0 个\n/);
    const given = await cli(['-d', D, '--lang', 'en', 'verify', '--checkpoint', cp]);
    expect(given.stdout).toMatch(/held checkpoints compared 1\n/);
  });
});

/** Latin words left in a finding's Chinese message once ids (ACT-1, DOC-5, P-li, JC-2026-PEN-0001) are taken out. */
const latinInMessage = (m: string) =>
  m.replace(/\b[A-Z][A-Za-z0-9]*-[\w-]+\b/g, '').match(/[A-Za-z]{2,}/g) ?? [];

describe('rule findings and timelines in Chinese', () => {
  it('every finding of the example with all its defects names types, grounds and durations in Chinese', async () => {
    const r = await cli([
      '--lang',
      'zh',
      'demo',
      join(tmp.dir, 'defects'),
      ...PENALTY_CASE_DEFECTS.flatMap((d) => ['--defect', d]),
    ]);
    expect(r.code).toBe(1);
    const messages = r.stdout
      .split('\n')
      .map((l) => /^\s+第[\d()]+条 [a-z_]+：(.+)$/.exec(l)?.[1])
      .filter((m): m is string => m !== undefined);
    expect(messages.length).toBeGreaterThan(20);
    for (const m of messages) expect(latinInMessage(m), m).toEqual([]);
    const all = messages.join('\n');
    // Document types by their official names, action types and durations in the rule's words.
    expect(all).toMatch(/《行政处罚决定书》（DOC-\d+，[^）]+）早于《行政处罚事先告知书》/);
    expect(all).toMatch(/现场执法行为 ACT-\d+（扣押财物、文书 DOC-\d+）应当音像记录/);
    expect(all).toMatch(/音像记录中断 10分钟（/);
    // The check is not vacuous: the English message of the same findings names the ids.
    const en = await cli(['-d', join(tmp.dir, 'defects'), '--lang', 'en', 'compliance']);
    expect(en.stdout).toMatch(/PENALTY_DECISION DOC-\d+ .*precedes PENALTY_PRIOR_NOTICE/);
    expect(latinInMessage('文书 DOC-1（PENALTY_DECISION）')).toEqual(['PENALTY', 'DECISION']);
  });

  it('the timeline names an Art. 18 pause by its reason in the rule’s words', async () => {
    const out = join(tmp.dir, 'timeline.html');
    await cli(['-d', D, 'compliance', '--html', out]);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('暂停记录 10 分钟（个人隐私）');
    expect(html).toContain('recording paused 10 min (personal privacy)');
    expect(html).not.toMatch(/personal_privacy/);
  });
});

describe('verify-bundle in Chinese', () => {
  it('checklist details and problems are Chinese, unanchored and tampered', async () => {
    const bundle = join(tmp.dir, 'case.bundle');
    expect((await cli(['-d', D, 'export-bundle', '--out', bundle, '--case', 'JC-2026-PEN-0001'])).code).toBe(
      0,
    );
    const bytes = await readFile(bundle);
    bytes[bytes.length - 10]! ^= 0xff;
    const tampered = join(tmp.dir, 'tampered.bundle');
    await writeFile(tampered, bytes);
    const details: string[] = [];
    for (const file of [bundle, tampered]) {
      const r = await cli(['--lang', 'zh', 'verify-bundle', file]);
      expect(r.code).toBe(1);
      // File paths and verifier keys (name+hexid+base64) are copied, not read; Merkle is the proofs' name,
      // jincheng-2024 v2 the rule set's.
      for (const line of r.stdout.trim().split('\n')) {
        const words = latinWords(
          line
            .replaceAll(tmp.dir, '')
            .replace(/\bMerkle\b|\b[a-z]+-\d+ v\d+\b/g, '')
            .replace(/\S+\+[0-9a-f]{8}(\+\S+)?/g, ''),
        );
        expect(words, line).toEqual([]);
      }
      details.push(r.stdout);
    }
    // Not vacuous: the unanchored checklist explains itself, the tampered one names its problem in Chinese.
    expect(details[0]).toMatch(/由证据包自带的台账密钥签名：请与台账方另行核对该公钥/);
    expect(details[0]).toMatch(/未给出受信任的见证方公钥/);
    expect(details[1]).toMatch(/EXPORTER_SIGNATURE：/);
    const en = await cli(['--lang', 'en', 'verify-bundle', bundle]);
    expect(en.stdout).toMatch(/\(no trusted witness given\)/);
  });
});

describe('next: hints', () => {
  /** The `next:` / `下一步：` lines of an output, and the note that may follow one. */
  const hintsOf = (stdout: string) =>
    stdout
      .split('\n')
      .map((l) => /^\s*(?:next:|下一步：)\s*(.+)$/.exec(l)?.[1])
      .filter((h): h is string => h !== undefined);
  /** Through a shell, as a user pastes it, with `enforcement-ledger` the package's bin (built from source). */
  const paste = (h: string, lang: 'en' | 'zh') =>
    spawnSync('bash', ['-c', `enforcement-ledger() { '${process.execPath}' '${BIN}' "$@"; }\n${h}`], {
      encoding: 'utf8',
      cwd: tmp.dir,
      env: { PATH: process.env.PATH ?? '', LANG: lang === 'zh' ? 'zh_CN.UTF-8' : 'C.UTF-8' },
    });
  const dir = () => join(tmp.dir, "the auditor's copy");

  it('run as printed, from a folder whose path has a space and a quote', async () => {
    for (const lang of ['en', 'zh'] as const) {
      const r = await cli(['--lang', lang, 'demo', join(dir(), lang)]);
      expect(r.code).toBe(0);
      const hints = hintsOf(r.stdout);
      expect(hints.length).toBeGreaterThan(0);
      for (const h of hints) {
        expect(h.startsWith('enforcement-ledger ')).toBe(true);
        const run = paste(h, lang);
        expect(run.status, `${h}\n${run.stdout}${run.stderr}`).toBe(0);
      }
    }
  });

  it('lead from a request to its approval to the retrieval or the purge, each pasted as printed', async () => {
    // Retrieval in English, purge in Chinese: each step is the previous step's hint, and each names a key of the role.
    const en = join(dir(), 'en');
    const step = (out: string, lang: 'en' | 'zh', command: RegExp) => {
      const hints = hintsOf(out);
      expect(hints, out).toHaveLength(1);
      expect(hints[0]).toMatch(command);
      expect(hints[0]).toMatch(/ --key P-\w+( |$)/);
      const run = paste(hints[0]!, lang);
      expect(run.status, `${hints[0]}\n${run.stdout}${run.stderr}`).toBe(0);
      return run.stdout;
    };
    const req = await cli([
      '-d',
      en,
      '--lang',
      'en',
      'request',
      'retrieval',
      '--requester',
      'P-wang',
      '--record',
      'DOC-1',
      '--purpose',
      'review',
      '--key',
      'P-wang',
    ]);
    expect(req.code).toBe(0);
    const approved = step(
      req.stdout,
      'en',
      /^enforcement-ledger -d '[^']*'\\''[^']*' approve retrieval --request RR-/,
    );
    const retrieved = step(
      approved,
      'en',
      /retrieve --record DOC-1 --requester P-wang --approval RA-\S+ --out DOC-1\.\w+/,
    );
    expect(retrieved).toMatch(/^Retrieval granted and recorded/);
    // --record names a record that exists, and not together with --seq; refused before anything is written.
    const size = (await cliJson('verify', ['-d', en, 'verify'])).size;
    const retrieve = (extra: string[]) =>
      cli([
        '-d',
        en,
        'retrieve',
        ...extra,
        '--requester',
        'P-wang',
        '--key',
        'P-sun',
        '--out',
        join(tmp.dir, 'x'),
      ]);
    expectOneLineError(await retrieve(['--record', 'DOC-404']), 'NOT_FOUND', 2);
    expectOneLineError(await retrieve(['--record', 'DOC-1', '--seq', '1']), 'USAGE', 2);
    expect((await cliJson('verify', ['-d', en, 'verify'])).size).toBe(size);
    const zh = join(dir(), 'zh');
    const purge = await cli([
      '-d',
      zh,
      '--lang',
      'zh',
      'request',
      'purge',
      '--case',
      'JC-2026-PEN-0001',
      '--expired',
      '--reason',
      '保存期满',
      '--key',
      'P-sun',
    ]);
    expect(purge.code).toBe(0);
    const head = step(purge.stdout, 'zh', /approve purge --request PR-\S+ --reason '同意销毁' --key P-chen$/);
    const purged = step(
      head,
      'zh',
      /retention purge --purge-id \S+ --request-id PR-\S+ --approval-id PA-\S+/,
    );
    expect(purged).toMatch(/个文件/);
  });

  it('say so when the folder holds no key of the role, instead of naming one', async () => {
    const zh = join(dir(), 'zh');
    // The heads' and supervisors' keys are elsewhere: the hint keeps a KEY placeholder and says whose it must be.
    for (const k of ['P-chen', 'P-zhao']) await rm(join(zh, 'keys', `${k}.pem`));
    const r = await cli([
      '-d',
      zh,
      '--lang',
      'zh',
      'request',
      'retrieval',
      '--requester',
      'P-wang',
      '--case',
      'JC-2026-PEN-0001',
      '--purpose',
      '复核',
      '--key',
      'P-wang',
    ]);
    expect(r.stdout).toMatch(
      /下一步：.* approve retrieval --request RR-\S+ --key KEY\n\s+（本文件夹 keys\/ 中没有主管领导或机构负责人的密钥/,
    );
  });
});

describe('the HTML report', () => {
  it('English shows English punctuation; Chinese shows no English words but codes, ids and digests', async () => {
    const out = join(tmp.dir, 'report.html');
    await cli(['-d', D, 'compliance', '--html', out]);
    const html = await readFile(out, 'utf8');
    const text = (drop: RegExp) =>
      html
        .replace(
          /<script>[\s\S]*?<\/script>|<style>[\s\S]*?<\/style>|<title>[\s\S]*?<\/title>|<button[\s\S]*?<\/button>/g,
          '',
        )
        .replace(drop, '')
        .replace(/<[^>]+>/g, ' ');
    const en = text(/<span lang="zh-CN" class="zh">[^<]*<\/span>/g);
    expect([...en.matchAll(/.{0,20}[：；、（）].{0,20}/g)].map((m) => m[0])).toEqual([]);
    const zh = text(/<span lang="en" class="en">[^<]*<\/span>/g).replace(
      /--[a-z][\w-]*|\b[A-Z][A-Z0-9_]+\b|\b[A-Z]+-[\w-]+\b|\b[0-9a-f]{16,}\b|\b[a-z]+[-_./][\w./-]+\b|\broot\b|\bMerkle\b|\bverify --[a-z-]+/g,
      '',
    );
    expect([...zh.matchAll(/.{0,20}\b[a-z]{3,}\b.{0,20}/gi)].map((m) => m[0])).toEqual([]);
  });
});
