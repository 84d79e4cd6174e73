/**
 * `enforcement-ledger inspector-page <out>` from source: writes the built page (dist/inspector.html, built once by the
 * tests' global setup) and prints its size and SHA-256 (checked with sha256sum, an independent tool).
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cli, cliJson, tempDir } from '../cli/helpers';

let dir = '';
let done: () => Promise<void> = async () => {};
beforeAll(async () => {
  ({ dir, cleanup: done } = await tempDir('el-page-cmd-'));
});
afterAll(() => done());

describe('inspector-page', () => {
  it('writes the built page, with no ledger folder, and prints its SHA-256', async () => {
    const out = join(dir, 'inspector.html');
    const r = await cliJson('inspector-page', ['-d', join(dir, 'no-such-folder'), 'inspector-page', out]);
    const written = await readFile(out);
    expect(written.equals(await readFile(join(ROOT, 'dist', 'inspector.html')))).toBe(true);
    expect(r.bytes).toBe(written.length);
    expect(r.sha256).toBe(execFileSync('sha256sum', [out], { encoding: 'utf8' }).split(' ')[0]);
    const html = written.toString('utf8');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('id="bundleFile"');
  });

  it('says so in Chinese and English', async () => {
    const out = join(dir, 'p2.html');
    const zh = await cli(['--lang', 'zh', 'inspector-page', out]);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toContain('检查方核验页面已写入');
    const en = await cli(['--lang', 'en', 'inspector-page', out]);
    expect(en.stdout).toContain("Inspector's page written to");
  });

  it('fails with an I/O error when the output cannot be written', async () => {
    const r = await cli(['inspector-page', join(dir, 'missing-dir', 'x.html')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error \w+: /);
  });
});
