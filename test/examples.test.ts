/** Every example in examples/ runs to completion (exit 0) — the README's snippets are these files. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dir = fileURLToPath(new URL('../examples/', import.meta.url));
const examples = readdirSync(dir).filter((f) => f.endsWith('.ts'));

describe('examples', () => {
  it('there are examples to run', () => {
    expect(examples).toContain('quickstart.ts');
    expect(examples).toContain('penalty-case.ts');
  });
  it.each(examples)('examples/%s runs', (file) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${file}`], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
