/**
 * Every example in examples/ runs to completion (exit 0), importing the package by its name ('enforcement-ledger',
 * mapped to src/ by tsconfig paths under tsx); the README's quickstart block is examples/readme.ts verbatim.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('examples', () => {
  it('there are examples to run', () => {
    expect(examples).toContain('quickstart.ts');
    expect(examples).toContain('penalty-case.ts');
    expect(examples).toContain('readme.ts');
  });
  it('the README quickstart block is examples/readme.ts, which imports the package by name', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const at = readme.indexOf('## Quickstart');
    const block = readme.slice(
      readme.indexOf('```ts\n', at) + 6,
      readme.indexOf('```\n', readme.indexOf('```ts\n', at) + 6),
    );
    const file = readFileSync(`${dir}readme.ts`, 'utf8');
    expect(block).toBe(file.slice(file.search(/^import /m)));
    for (const f of examples) expect(readFileSync(`${dir}${f}`, 'utf8')).not.toMatch(/from '\.\.?\//);
  });
  it.each(examples)('examples/%s runs', (file) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], {
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
