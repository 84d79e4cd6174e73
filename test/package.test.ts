/**
 * The package as users get it: `npm pack`, installed into an empty folder, imports both entries; and the
 * `enforcement-ledger/verify` entry bundles for the browser platform with no Node builtin.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'el-pack-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the published package', () => {
  let tarball = '';
  beforeAll(() => {
    execFileSync(npm, ['run', 'build'], { cwd: root, stdio: 'pipe' });
    const out = execFileSync(npm, ['pack', '--pack-destination', work, '--json'], {
      cwd: root,
      encoding: 'utf8',
    });
    tarball = join(work, JSON.parse(out)[0].filename);
    const app = join(work, 'app');
    execFileSync('mkdir', ['-p', app]);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', type: 'module', private: true }),
    );
    execFileSync(
      npm,
      ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts=false'],
      {
        cwd: app,
        stdio: 'pipe',
      },
    );
  }, 600_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('installs from the tarball and imports both entries', () => {
    const app = join(work, 'app');
    const script = `
      const main = await import('enforcement-ledger');
      const verify = await import('enforcement-ledger/verify');
      const ok = typeof main.Ledger?.create === 'function' && typeof verify.verifyInclusion === 'function'
        && typeof verify.verifyBundle === 'function' && typeof verify.portableSuite?.verify === 'function';
      console.log(ok ? 'imports-ok' : 'imports-missing');
    `;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('imports-ok');
    const bin = execFileSync(join(app, 'node_modules', '.bin', 'enforcement-ledger'), ['--help'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(bin).toMatch(/enforcement-ledger/);
  });

  it('ships no tests, sources or databases', () => {
    const list = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(list.some((f) => f.startsWith('package/dist/verify.js'))).toBe(true);
    expect(list.some((f) => /package\/(test|src|node_modules|demo-ledger)\//.test(f))).toBe(false);
  });

  it('bundles enforcement-ledger/verify for the browser with no Node builtin', async () => {
    const r = await build({
      entryPoints: [join(root, 'dist', 'verify.js')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    const code = r.outputFiles[0]!.text;
    expect(code.length).toBeGreaterThan(10_000);
    expect(code).not.toMatch(
      /from\s*["']node:|require\(["']node:|["']node:(fs|crypto|worker_threads|os|path)["']/,
    );
  });

  it('writes the inspector page from the installed package, byte for byte the one it ships', () => {
    const app = join(work, 'app');
    const out = join(work, 'inspector.html');
    const json = execFileSync(
      join(app, 'node_modules', '.bin', 'enforcement-ledger'),
      ['--json', 'inspector-page', out],
      { cwd: app, encoding: 'utf8' },
    );
    const shipped = readFileSync(join(app, 'node_modules', 'enforcement-ledger', 'dist', 'inspector.html'));
    expect(readFileSync(out).equals(shipped)).toBe(true);
    const sum = execFileSync('sha256sum', [out], { encoding: 'utf8' }).split(' ')[0];
    expect(JSON.parse(json)).toMatchObject({ command: 'inspector-page', bytes: shipped.length, sha256: sum });
  });
});
