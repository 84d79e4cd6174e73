/**
 * Vitest global setup: the package is built ONCE per run, for every test that needs the built files (the package
 * test, the worker host matrix, the built bin, the inspector's page dist/inspector.html that `inspector-page` run
 * from source copies and the browser tests open). It is built the way users get it: `npm pack`, whose `prepack` script
 * runs the build, on a tree with no dist/ — so the tarball having dist/ in it shows that a fresh clone packs.
 *
 * A run whose inputs (src/, scripts/, package.json, tsup and TypeScript config, the shipped docs) have not changed since the last pack reuses it
 * (stamped with a hash of those inputs), so running one test file does not rebuild. No timeout: under load the build
 * takes what it takes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, '.tmp', 'pack');
const INPUTS = ['src', 'scripts', 'package.json', 'tsup.config.ts', 'tsconfig.json', 'README.md', 'docs'];

declare module 'vitest' {
  export interface ProvidedContext {
    /** The packed tarball (`npm pack`, which built dist/). */
    packageTarball: string;
    /** The package root whose dist/ that pack built (the repository). */
    packageRoot: string;
  }
}

function inputsHash(): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name));
      return;
    }
    h.update(`${relative(ROOT, p)}\0`);
    h.update(readFileSync(p));
  };
  for (const i of INPUTS) walk(join(ROOT, i));
  return h.digest('hex');
}

export default function setup(project: TestProject): void {
  const hash = inputsHash();
  const stampFile = join(OUT, 'stamp.json');
  let stamp: { hash?: string; tarball?: string } = {};
  try {
    stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {}
  const fresh =
    stamp.hash === hash &&
    stamp.tarball !== undefined &&
    existsSync(stamp.tarball) &&
    existsSync(join(ROOT, 'dist', 'index.js')) &&
    existsSync(join(ROOT, 'dist', 'inspector.html'));
  if (!fresh) {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    rmSync(join(ROOT, 'dist'), { recursive: true, force: true }); // as on a fresh clone: prepack must build it
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['pack', '--pack-destination', OUT], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    // The tarball is the one .tgz in the emptied folder (npm's stdout mixes prepack's build log with its own output,
    // which tsup's bracketed log lines make unparseable as JSON).
    const tarballs = readdirSync(OUT).filter((f) => f.endsWith('.tgz'));
    if (tarballs.length !== 1) throw new Error(`npm pack left ${tarballs.length} tarballs in ${OUT}`);
    stamp = { hash, tarball: join(OUT, tarballs[0]!) };
    writeFileSync(stampFile, JSON.stringify(stamp));
  }
  project.provide('packageTarball', stamp.tarball!);
  project.provide('packageRoot', ROOT);
}
