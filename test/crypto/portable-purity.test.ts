/** The browser path (portable suite, keys, PEM) and everything it imports use no node: module and no Buffer. */

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../../src');
const ENTRIES = ['crypto/portable.ts', 'crypto/keys.ts', 'crypto/types.ts', 'crypto/registry.ts'];

/** Relative imports of a module, followed transitively; package imports are reported as-is. */
function closure(entries: string[]): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = entries.map((e) => join(SRC, e));
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) todo.push(`${resolve(dirname(file), spec)}.ts`);
      else packages.add(spec);
    }
  }
  return { files, packages };
}

describe('browser-safe crypto', () => {
  const { files, packages } = closure(ENTRIES);

  it('imports only @noble packages and sm-crypto-v2, no node: modules', () => {
    expect(files.size).toBeGreaterThanOrEqual(ENTRIES.length + 3);
    for (const p of packages) expect(p).toMatch(/^(@noble\/(hashes|ed25519)|sm-crypto-v2$)/);
  });

  it('reaches both suites through the registry', () => {
    const names = [...files].map((f) => f.slice(SRC.length + 1));
    for (const n of ['crypto/sm2-suite.ts', 'crypto/sm2.ts', 'crypto/sm3.ts', 'crypto/sm2-keys.ts'])
      expect(names).toContain(n);
  });

  it('uses no Buffer and no process', () => {
    for (const f of files) {
      const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, f).not.toMatch(/\bBuffer\b|\bprocess\./);
    }
  });

  it('does not reach the node-only modules', () => {
    const names = [...files].map((f) => f.slice(SRC.length + 1));
    for (const n of [
      'crypto/node.ts',
      'crypto/node-sm2.ts',
      'crypto/node-registry.ts',
      'crypto/process-signer.ts',
      'crypto/keyfile.ts',
      'crypto/signer.ts',
      'crypto/index.ts',
    ])
      expect(names).not.toContain(n);
  });
});
