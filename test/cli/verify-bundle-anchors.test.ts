/**
 * Issue 13, findings 5 and 6, from the command line: `verify-bundle` with no anchor is never "verified" (exit 1) and
 * prints the log key exactly as `--log-key` takes it; passing it back verifies (exit 0); `--trust-bundle-keys` is
 * the explicit alternative; a quorum of zero is refused; the rule set is shown and can be pinned (`--rule-set`).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliJson, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let bundle: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-anchor-');
  const D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
  bundle = join(tmp.dir, 'case.bundle');
  await cliJson('export-bundle', ['-d', D, 'export-bundle', '--out', bundle, '--case', 'JC-2026-PEN-0001']);
}, 120_000);
afterAll(() => tmp.cleanup());

describe('verify-bundle trust anchors', () => {
  it('no anchor: NOT verified, exit 1, the log key printed in --log-key form; passing it back verifies', async () => {
    const r = await cli(['--lang', 'en', 'verify-bundle', bundle]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Bundle NOT verified: .* no trust anchor given/);
    expect(r.stdout).not.toMatch(/Bundle verified/);
    expect(r.stdout).toMatch(/\? Log checkpoint signature/);
    const printed = /log key \(compare it out of band, then pass --log-key\): (\S+)/.exec(r.stdout)![1]!;
    const j = await cliJson('verify-bundle', ['verify-bundle', bundle], { expectCode: 1 });
    expect(j).toMatchObject({ ok: false, verified: false, anchored: false });
    expect(j.keys.log).toBe(printed);
    expect(j.checks.checkpoint!.status).toBe('not_anchored');
    expect(j.checks.witnesses!.status).toBe('not_anchored');
    // The case is not shown compliant while the bundle is not verified.
    expect(j.cases.every((c) => c.compliant === false)).toBe(true);

    const ok = await cli(['--lang', 'en', 'verify-bundle', bundle, '--log-key', printed]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^Bundle verified: /);
    // The key given is named as given, not asked for again.
    expect(ok.stdout).toContain(`  log key: ${printed} (the one given with --log-key)`);
    expect(ok.stdout).not.toMatch(/then pass --log-key/);
    const zh = await cli(['--lang', 'zh', 'verify-bundle', bundle, '--log-key', printed]);
    expect(zh.stdout).toContain(`  台账密钥：${printed}（即 --log-key 给出的密钥）`);
    const jo = await cliJson('verify-bundle', ['verify-bundle', bundle, '--log-key', printed]);
    expect(jo).toMatchObject({ ok: true, verified: true, anchored: true });
    expect(jo.cases[0]!.compliant).toBe(true);
  });

  it('a cosignature whose witness key was given is named as given, else the witness key is asked for', async () => {
    const D = join(tmp.dir, 'demo');
    const { witnessKey } = await cliJson('keys generate', [
      '-d',
      D,
      'keys',
      'generate',
      'wit',
      '--witness-name',
      'w.example',
    ]);
    expect(witnessKey).toMatch(/^w\.example\+[0-9a-f]{8}\+/);
    const cp = join(D, 'checkpoint.txt');
    expect(
      (await cli(['-d', D, 'witness', 'cosign', cp, '--key', 'wit', '--name', 'w.example', '--record'])).code,
    ).toBe(0);
    const cosigned = join(tmp.dir, 'cosigned.bundle');
    await cliJson('export-bundle', [
      '-d',
      D,
      'export-bundle',
      '--out',
      cosigned,
      '--case',
      'JC-2026-PEN-0001',
    ]);
    const id = witnessKey.split('+').slice(0, 2).join('+');
    const given = await cli(['--lang', 'en', 'verify-bundle', cosigned, '--witness', witnessKey]);
    expect(given.code).toBe(0);
    expect(given.stdout).toContain(`  checkpoint cosignature: ${id} (the witness key given with --witness)`);
    const asked = await cli(['--lang', 'en', 'verify-bundle', cosigned, '--trust-bundle-keys']);
    expect(asked.stdout).toContain(
      `  checkpoint cosignature: ${id} (the bundle carries no witness key: get it from the witness, pass --witness)`,
    );
  });

  it('--trust-bundle-keys is the explicit choice to trust the bundle’s own key, and says so', async () => {
    const r = await cli(['--lang', 'en', 'verify-bundle', bundle, '--trust-bundle-keys']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--trust-bundle-keys (not compared out of band)');
  });

  it('a quorum of zero is refused', async () => {
    const r = await cli(['verify-bundle', bundle, '--witness', 'w+01020304+AQ==', '--quorum', '0']);
    expect(r.code).toBe(2);
  });

  it('shows the rule set; pinning another one flags this bundle’s (RULE_SET_UNTRUSTED)', async () => {
    const j = await cliJson('verify-bundle', ['verify-bundle', bundle, '--trust-bundle-keys']);
    expect(j.ruleSet).toMatchObject({ name: 'jincheng-2024', trusted: true });
    expect(j.ruleSet!.hash).toMatch(/^[0-9a-f]{64}$/);
    const pinned = await cliJson('verify-bundle', [
      'verify-bundle',
      bundle,
      '--trust-bundle-keys',
      '--rule-set',
      j.ruleSet!.hash,
    ]);
    expect(pinned.verified).toBe(true);
    const other = await cliJson(
      'verify-bundle',
      ['verify-bundle', bundle, '--trust-bundle-keys', '--rule-set', 'ab'.repeat(32)],
      { expectCode: 1 },
    );
    expect(other.ruleSet!.trusted).toBe(false);
    expect(other.problems.map((p) => p.code)).toEqual(['RULE_SET_UNTRUSTED']);
    expect(other.checks.rules!.status).toBe('failed');
  });
});
