/**
 * The package as users get it (issue 18.6). test/setup/build.ts packed it once with `npm pack` on a tree without
 * dist/, so `prepack` had to build it; here the tarball is installed into an empty project (from npm's cache, at
 * the lock file's versions, as an end user's `npm install` would resolve them), imported by name, and its bin run; the
 * `enforcement-ledger/verify` entry bundles for the browser with no Node builtin; and every runtime dependency is
 * one the code imports.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

const run = promisify(execFile);
const root = inject('packageRoot');
const tarball = inject('packageTarball');
const work = mkdtempSync(join(tmpdir(), 'el-pack-'));
const app = join(work, 'app');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every runtime (non-dev) package of the lock file that has one version in the tree → that version. */
function lockedRuntimeVersions(): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; dev?: boolean }>;
  };
  const versions = new Map<string, Set<string>>();
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (!path || meta.dev || !meta.version) continue;
    const name = path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const set = versions.get(name) ?? new Set<string>();
    set.add(meta.version);
    versions.set(name, set);
  }
  const out: Record<string, string> = {};
  for (const [name, set] of versions) if (set.size === 1) out[name] = [...set][0]!;
  return out;
}

describe('the published package', () => {
  beforeAll(async () => {
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'app',
        version: '1.0.0',
        type: 'module',
        private: true,
        overrides: lockedRuntimeVersions(),
      }),
    );
    // The dependencies come from npm's cache (filled by `npm ci`), pinned to the lock file's versions as a project
    // with its own lock file would have them. --prefer-offline, not --offline: for some packages (hono and
    // @hono/node-server, seen with npm 11) the install asks for the full package document, which `npm ci` never
    // downloads (it caches the abbreviated one), so a strictly offline install fails ENOTCACHED on a fresh machine's
    // cache; such a document comes from the registry `npm ci` just used, every tarball from the cache.
    await run(
      npm,
      ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts=false'],
      {
        cwd: app,
      },
    );
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('ships the build: prepack built dist/ on a tree that had none', async () => {
    expect(pkg.scripts.prepack).toBe('npm run build');
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const list = stdout.split('\n');
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/verify.js', 'dist/verify.d.ts', 'dist/cli.js'])
      expect(list).toContain(`package/${f}`);
    expect(list.some((f) => /package\/(test|src|node_modules|demo-ledger|\.tmp)\//.test(f))).toBe(false);
  });

  it('installs from the tarball, imports both entries by name and runs the bin', async () => {
    const script = `
      const main = await import('enforcement-ledger');
      const verify = await import('enforcement-ledger/verify');
      const ok = typeof main.Ledger?.create === 'function' && typeof verify.verifyInclusion === 'function'
        && typeof verify.verifyBundle === 'function' && typeof verify.portableSuite?.verify === 'function';
      console.log(ok ? 'imports-ok' : 'imports-missing');
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: app });
    expect(stdout.trim()).toBe('imports-ok');
    const bin = await run(join(app, 'node_modules', '.bin', 'enforcement-ledger'), ['--help'], { cwd: app });
    expect(bin.stdout).toMatch(/enforcement-ledger/);
    // The bin does real work from the installed copy: a demo ledger that verifies.
    const demo = join(work, 'demo');
    await run(join(app, 'node_modules', '.bin', 'enforcement-ledger'), ['demo', demo], { cwd: app });
    const v = await run(
      join(app, 'node_modules', '.bin', 'enforcement-ledger'),
      ['--json', '-d', demo, 'verify'],
      {
        cwd: app,
      },
    );
    expect(JSON.parse(v.stdout).ok).toBe(true);
  });

  it('the README quickstart runs from the installed package, importing it by name', async () => {
    const quickstart = readFileSync(join(root, 'examples', 'quickstart.ts'), 'utf8');
    expect(quickstart).toMatch(/from 'enforcement-ledger'/);
    // The example is TypeScript; Node 20 runs it through esbuild's type stripping (no tsconfig, no path aliases).
    const { transform } = await import('esbuild');
    const js = (await transform(quickstart, { loader: 'ts', format: 'esm' })).code;
    writeFileSync(join(app, 'quickstart.mjs'), js);
    const { stdout } = await run(process.execPath, ['quickstart.mjs', join(work, 'qs')], { cwd: app });
    expect(stdout.length).toBeGreaterThan(0);
  });

  it('writes the inspector page from the installed package, byte for byte the one it ships', async () => {
    const out = join(work, 'inspector.html');
    const { stdout: json } = await run(
      join(app, 'node_modules', '.bin', 'enforcement-ledger'),
      ['--json', 'inspector-page', out],
      { cwd: app },
    );
    const shipped = readFileSync(join(app, 'node_modules', 'enforcement-ledger', 'dist', 'inspector.html'));
    expect(readFileSync(out).equals(shipped)).toBe(true);
    const sum = (await run('sha256sum', [out])).stdout.split(' ')[0];
    expect(JSON.parse(json)).toMatchObject({ command: 'inspector-page', bytes: shipped.length, sha256: sum });
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

  // Type-only imports count: they reach the published declarations (abstract-level's AbstractLevel).
  it('declares as runtime dependencies exactly the packages src/ imports', () => {
    const imported = new Set<string>();
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts'))
          for (const m of readFileSync(p, 'utf8').matchAll(/^(?:import|export)[^;]*?from '([^'.][^']*)'/gm)) {
            const spec = m[1]!;
            if (spec.startsWith('node:')) continue;
            const parts = spec.split('/');
            imported.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
          }
      }
    };
    walk(join(root, 'src'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...imported].sort());
  });
});
