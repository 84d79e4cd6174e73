/**
 * Issue 15 on the command line: `init --suite sm2-sm3` makes an SM2/SM3 folder whose key files OpenSSL reads as SM2;
 * `keys generate` follows the folder's suite; `demo --suite sm2-sm3` builds, verifies and checks the penalty case
 * with its content addressed by SM3, and its bundle verifies from the file alone against the log key; the HTML
 * report is written for it.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, expectOneLineError, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('el-cli-sm2-');
});
afterAll(() => tmp.cleanup());

const opensslText = (pem: string) =>
  execFileSync('openssl', ['pkey', '-in', pem, '-noout', '-text'], { encoding: 'utf8' });

describe('an sm2-sm3 folder', () => {
  it('init --suite sm2-sm3: an SM2 root key (OpenSSL reads it), the suite in config.json; keys follow it', async () => {
    const dir = join(tmp.dir, 'init');
    const i = await cliJson('init', [
      '-d',
      dir,
      'init',
      '--suite',
      'sm2-sm3',
      '--origin',
      'ledger.example/sm2',
    ]);
    expect(i.rootKey.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')).suite).toBe('sm2-sm3');
    expect(opensslText(join(dir, 'keys', 'root.pem'))).toMatch(/ASN1 OID: SM2/);
    const k = await cliJson('keys generate', ['-d', dir, 'keys', 'generate', 'officer-wang']);
    expect(k.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(opensslText(k.file)).toMatch(/ASN1 OID: SM2/);
    const e = await cliJson('keys generate', [
      '-d',
      dir,
      'keys',
      'generate',
      'old',
      '--suite',
      'ed25519-sha256',
    ]);
    expect(e.publicKey).toMatch(/^[0-9a-f]{64}$/);
    const shown = await cliJson('keys show', ['-d', dir, 'keys', 'show', 'root']);
    expect(shown.publicKey).toBe(i.rootKey.publicKey);
    expect(shown.logKey).toBe(i.checkpointKey);
    expect((await cliJson('verify', ['-d', dir, 'verify'])).ok).toBe(true);
    expectOneLineError(await cli(['-d', join(tmp.dir, 'bad'), 'init', '--suite', 'rsa']), 'USAGE', 2);
  });

  it('demo --suite sm2-sm3: the penalty case verifies, its files are intact, its bundle verifies offline', async () => {
    const dir = join(tmp.dir, 'demo');
    const d = await cliJson('demo', ['demo', dir, '--suite', 'sm2-sm3']);
    expect(d).toMatchObject({ verify: { ok: true, problems: 0 }, compliance: { compliant: true } });
    expect(d.content.files).toBeGreaterThan(0);
    expect(d.content.ok).toBe(d.content.files);
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content', '--checkpoint', d.checkpoint]);
    expect(v).toMatchObject({ ok: true, problems: [] });
    expect(v.content?.ok).toBe(v.content?.files);
    const file = join(tmp.dir, 'case.bundle');
    const html = join(tmp.dir, 'case.html');
    await cliJson('export-bundle', ['-d', dir, 'export-bundle', '--out', file, '--case', d.caseId]);
    const b = await cliJson('verify-bundle', [
      'verify-bundle',
      file,
      '--log-key',
      d.checkpointKey,
      '--html',
      html,
    ]);
    expect(b).toMatchObject({ ok: true, verified: true });
    expect(await readFile(html, 'utf8')).toContain(d.caseId);
    // The same bundle against an Ed25519 log key of the same name does not verify.
    const other = await cliJson('demo', ['demo', join(tmp.dir, 'demo-ed')]);
    const wrong = await cliJson('verify-bundle', ['verify-bundle', file, '--log-key', other.checkpointKey], {
      expectCode: 1,
    });
    expect(wrong.ok).toBe(false);
  });
});
