/**
 * Algorithms behind the suite (issue 15): no file outside src/crypto/ names a hash or signature algorithm — no
 * import of a hash or signature library, no node:crypto hashing or signing call, no algorithm name in a string,
 * no import of one suite's implementation in place of the registry (`suiteById` / `portableSuiteById`).
 *
 * Files not yet wired through the suite are listed in NOT_YET_WIRED with what they still pin. The list is a
 * ratchet: a new file that names an algorithm fails, and so does a listed file that no longer does (delete its line).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

const RULES: ReadonlyArray<readonly [RegExp, string]> = [
  [
    /from\s+['"](?:@noble\/(?:hashes|ed25519|curves)[^'"]*|sm-crypto-v2)['"]/,
    'imports a hash or signature library',
  ],
  [
    /\b(?:createHash|createHmac|createSign|createVerify)\s*\(|\bcrypto\.(?:sign|verify|hash)\s*\(/,
    'hashes or signs with node:crypto',
  ],
  [/['"`](?:sha-?256|sha-?512|sm3|sm2|ed25519)['"`]/i, 'names an algorithm in a string'],
  [
    /from\s+['"][./]*crypto\/(?:node|portable|signer|keys|ed25519-strict|node-sm2|sm2-suite)['"]/,
    'imports one suite’s implementation instead of the registry',
  ],
];

/** What each file still pins; remove a line when the file is wired through the suite. */
const NOT_YET_WIRED: Readonly<Record<string, string>> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') ? [relative(ROOT, p).split('\\').join('/')] : [];
  });
}

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** File → reasons it names an algorithm (files under src/crypto/ excluded). */
function algorithmNames(files: ReadonlyMap<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [file, source] of files) {
    if (file.startsWith('src/crypto/')) continue;
    const code = stripComments(source);
    const why = RULES.filter(([re]) => re.test(code)).map(([, w]) => w);
    if (why.length) out.set(file, why);
  }
  return out;
}

describe('algorithms stay behind the crypto suite', () => {
  const files = new Map(sourceFiles(join(ROOT, 'src')).map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
  const found = algorithmNames(files);

  it('no file outside src/crypto/ names an algorithm, except those listed as not yet wired', () => {
    const unexpected = [...found]
      .filter(([f]) => !(f in NOT_YET_WIRED))
      .map(([f, why]) => `${f}: ${why.join('; ')}`);
    expect(unexpected).toEqual([]);
  });

  it('every file listed as not yet wired still is (the list only shrinks)', () => {
    const stale = Object.keys(NOT_YET_WIRED).filter((f) => !found.has(f));
    expect(stale).toEqual([]);
  });

  it('the checker catches each rule and ignores comments and src/crypto/', () => {
    const probe = new Map([
      ['src/a.ts', "import { sha256 } from '@noble/hashes/sha2.js';"],
      ['src/b.ts', "const h = createHash('sha256');"],
      ['src/c.ts', "const alg = 'Ed25519';"],
      ['src/d.ts', "import { nodeSuite } from '../crypto/node';"],
      [
        'src/e.ts',
        "// createHash('sha256') in a comment\nimport { suiteById } from '../crypto/node-registry';",
      ],
      ['src/crypto/x.ts', "const h = createHash('sm3');"],
    ]);
    expect([...algorithmNames(probe).keys()]).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']);
  });
});
