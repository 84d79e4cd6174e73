/**
 * Issue 13, finding 7: the HTML report of a bundle that failed verification never shows a case as compliant
 * (合规 / 未发现问题), and each failed check says in words, in Chinese and English, what its problem means and what to
 * do (from the PROBLEMS catalogue). The bundle: a genuine, compliant case whose exporter signature no longer verifies.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from '../../src/bundles/format';
import { PROBLEMS } from '../../src/problems';
import { cli, cliJson, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let good: string;
let bad: string;
let logKey: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-html-failed-');
  const D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
  good = join(tmp.dir, 'good.bundle');
  await cliJson('export-bundle', ['-d', D, 'export-bundle', '--out', good, '--case', 'JC-2026-PEN-0001']);
  const b = decodeBundle(new Uint8Array(await readFile(good)));
  const sig = b.signature.slice();
  sig[0]! ^= 1;
  bad = join(tmp.dir, 'bad.bundle');
  await writeFile(bad, encodeBundle(b.payloadBytes, new Uint8Array(Buffer.from(b.exporter, 'hex')), sig));
  logKey = (await cliJson('verify-bundle', ['verify-bundle', good], { expectCode: 1 })).keys.log!;
}, 120_000);
afterAll(() => tmp.cleanup());

async function report(file: string, code: number) {
  const html = join(tmp.dir, `${file.endsWith('bad.bundle') ? 'bad' : 'good'}.html`);
  const v = await cliJson('verify-bundle', ['verify-bundle', file, '--log-key', logKey, '--html', html], {
    expectCode: code,
  });
  return { v, html: await readFile(html, 'utf8') };
}

describe('the HTML report of a failed bundle', () => {
  it('the genuine bundle: the case is compliant', async () => {
    const { v, html } = await report(good, 0);
    expect(v.cases[0]!.compliant).toBe(true);
    expect(html).toContain('data-verdict="compliant"');
    expect(html).toContain('未发现问题');
  });

  it('the failed bundle: no case shown compliant; the failed check explains itself in zh and en', async () => {
    const { v, html } = await report(bad, 1);
    expect(v.verified).toBe(false);
    expect(v.problems.map((p) => p.code)).toEqual(['EXPORTER_SIGNATURE']);
    expect(v.cases.every((c) => !c.compliant)).toBe(true);
    expect(html).not.toContain('data-verdict="compliant"');
    expect(html).not.toMatch(/>合规</);
    expect(html).not.toContain('>未发现问题<');
    expect(html).toContain('data-verdict="unverified"');
    expect(html).toContain('证据包未通过核验，以下记录与结果不可采信');
    // The exporter check's row: failed, with the code's meaning and what to do, in both languages.
    const row = /<tr data-check="exporter"[^>]*>.*?<\/tr>/s.exec(html)![0];
    expect(row).toContain('data-status="failed"');
    const p = PROBLEMS.EXPORTER_SIGNATURE;
    for (const text of [p.zh, p.en, p.action!.zh, p.action!.en])
      expect(row).toContain(text.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;'));
  });
});
