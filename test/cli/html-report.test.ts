/**
 * The inspector's HTML report of the penalty-case bundle with an injected AV gap, opened in headless Debian
 * chromium (playwright-core) with the network off: the checklist, the timeline and the gap finding are on the page.
 * A screenshot is saved to test-artifacts/. Also: the same flow once through the built dist/cli.js.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT, cli, cliJson, tempDir } from './helpers';
import { CHROMIUM, CHROMIUM_ARGS } from '../browser/chromium';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let html: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-html-');
  const D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D, '--defect', 'unexcused_gap'])).code).toBe(1);
  const b = join(tmp.dir, 'penalty.bundle');
  await cliJson('export-bundle', [
    '-d',
    D,
    'export-bundle',
    '--out',
    b,
    '--case',
    'JC-2026-PEN-0001',
    '--content',
  ]);
  html = join(tmp.dir, 'report.html');
  // Without a trust anchor the bundle is not verified; its log key is printed to be compared and passed back.
  const bare = await cliJson('verify-bundle', ['verify-bundle', b], { expectCode: 1 });
  expect(bare).toMatchObject({ verified: false, anchored: false });
  const logKey = bare.keys.log!;
  const v = await cliJson('verify-bundle', ['verify-bundle', b, '--log-key', logKey, '--html', html], {
    expectCode: 1,
  });
  expect(v.verified).toBe(true); // the bundle is genuine…
  expect(v.cases[0]!.findings.map((f) => `${f.article} ${f.code}`)).toEqual(['17 gap']); // …and shows the gap
});
afterAll(() => tmp.cleanup());

describe('verify-bundle --html', () => {
  it('is self-contained: no external reference', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/(src|href)\s*=\s*["']?(https?:|\/\/)/i);
    expect(text).not.toMatch(/@import|url\(/i);
    expect(text).toMatch(/<html lang="zh-CN"/);
  });

  it('opens offline in headless chromium and shows the checklist, the timeline and the gap', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)`);
    // A fresh profile; playwright takes it as the persistent context's user-data-dir.
    const context = await chromium.launchPersistentContext(join(tmp.dir, 'chromium-profile'), {
      executablePath: CHROMIUM,
      offline: true,
      args: [...CHROMIUM_ARGS],
    });
    try {
      const requests: string[] = [];
      context.on('request', (r) => requests.push(r.url()));
      const page = await context.newPage();
      await page.goto(pathToFileURL(html).href);
      // Chinese by default.
      expect(await page.locator('h1 .zh').innerText()).toBe('执法全过程记录证据包核验报告');
      // The checklist: every bundle check, the passed ones marked.
      const checks = page.locator('#checklist tr[data-check]');
      expect(await checks.count()).toBe(13);
      expect(await page.locator('#checklist tr[data-check="inclusion"]').getAttribute('data-ok')).toBe(
        'true',
      );
      expect(await page.locator('#checklist tr[data-check="checkpoint"] td.pass').isVisible()).toBe(true);
      expect(await page.locator('#checklist').innerText()).toContain('每条记录包含于检查点');
      // The timeline of the case: actions with their segments, the gap marked, documents, the deposit deadline.
      const c = page.locator('section.case[data-case="JC-2026-PEN-0001"]');
      expect(await c.locator('.timeline .action').count()).toBeGreaterThanOrEqual(4);
      const inspection = c.locator('.action[data-action="ACT-1"]');
      expect(await inspection.locator('.seg').count()).toBe(2);
      expect(await inspection.locator('.mark.gap').count()).toBe(1);
      expect(await inspection.locator('li[data-mark="gap"]').innerText()).toContain(
        '音像记录中断 10 分钟（第17条）',
      );
      expect(await inspection.locator('.deposit').getAttribute('data-deadline')).toBe('2026-03-05');
      expect(await inspection.locator('.docs').innerText()).toContain('现场笔录');
      // The recorded, approved privacy pause of the inquiry is shown, not as a gap.
      expect(await c.locator('.action[data-action="ACT-2"] .mark.exception').count()).toBe(1);
      expect(await c.locator('.action[data-action="ACT-2"] .mark.gap').count()).toBe(0);
      // The finding with its article and liability item.
      const f = c.locator('tr.finding[data-article="17"][data-code="gap"]');
      expect(await f.count()).toBe(1);
      expect(await f.innerText()).toMatch(/第17条[\s\S]*违规[\s\S]*ACT-1[\s\S]*第30\(1\)项/);
      expect(await page.locator('#verdict').innerText()).toBe('发现问题');
      // Switching to English.
      await page.click('#lang');
      expect(await page.locator('h1 .en').innerText()).toBe('Proof bundle verification report');
      expect(await page.locator('h1 .zh').isVisible()).toBe(false);
      await page.click('#lang');
      await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'test-artifacts', 'inspector-report.png'), fullPage: true });
      expect(requests.every((u) => u.startsWith('file:'))).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('the built bin (tsup → dist/cli.js, built once for the run by test/setup/build.ts)', () => {
  it('runs demo, verify and verify-bundle with the same results', async () => {
    const dist = join(inject('packageRoot'), 'dist');
    const script = join(dist, 'cli.js');
    expect((await readFile(script, 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
    // The inspector's page is built beside the bundles (tsup.config.ts onSuccess).
    expect((await readFile(join(dist, 'inspector.html'), 'utf8')).startsWith('<!DOCTYPE html>')).toBe(true);
    const D = join(tmp.dir, 'dist-demo');
    const d = await cliJson('demo', ['demo', D, '--defect', 'unexcused_gap'], { script, expectCode: 1 });
    expect(d.compliance.findings).toEqual([{ article: '17', code: 'gap', severity: 'violation' }]);
    const v = await cliJson('verify', ['-d', D, 'verify', '--content'], { script });
    expect(v.content!.ok).toBe(v.content!.files);
    const b = join(tmp.dir, 'dist.bundle');
    await cliJson('export-bundle', ['-d', D, 'export-bundle', '--out', b, '--case', 'JC-2026-PEN-0001'], {
      script,
    });
    const vb = await cliJson('verify-bundle', ['verify-bundle', b], { script, expectCode: 1 });
    expect(vb).toMatchObject({ verified: false, anchored: false });
    const pinned = await cliJson('verify-bundle', ['verify-bundle', b, '--log-key', vb.keys.log!], {
      script,
      expectCode: 1,
    });
    expect(pinned.verified).toBe(true);
  }, 300_000);
});
