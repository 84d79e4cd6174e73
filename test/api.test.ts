/**
 * The public surface (issue 19): each entry point's export list equals its reviewed copy in api/*.api.md, so that
 * adding, removing or changing an export shows in review. After a deliberate change: `npx tsx scripts/api-report.ts`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReports, entryPoints } from '../scripts/api-report';

const ROOT = join(import.meta.dirname, '..');
const reports = apiReports();

describe('public API report', () => {
  it.each(entryPoints().map((e) => [e.subpath, e.name]))('%s matches api/%s.api.md', (_subpath, name) => {
    const file = join(ROOT, 'api', `${name}.api.md`);
    expect(existsSync(file), `${file} is missing: run npx tsx scripts/api-report.ts`).toBe(true);
    expect(reports.get(name)).toBe(readFileSync(file, 'utf8'));
  });

  it('keeps internals and fixtures out of the main entry', () => {
    const main = reports.get('index')!;
    for (const internal of [
      'CompactRange',
      'KeyRegistry',
      'inclusionProofPlan',
      'buildPenaltyCase',
      'exampleSigner',
      'cst',
    ])
      expect(main).not.toContain(`\`${internal}\``);
    expect(main).toContain('`EnforcementRecords`');
  });

  it('the README API reference describes every name of the main entry', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## API reference'), readme.indexOf('## Development'));
    const spans = section.match(/`[^`\n]+`/g) ?? [];
    const names = [...reports.get('index')!.matchAll(/^\| `([A-Za-z_$][\w$]*)` \|/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(50);
    const undocumented = names.filter((n) => !spans.some((s) => new RegExp(`\\b${n}\\b`).test(s)));
    expect(undocumented).toEqual([]);
  });

  it('keeps fixtures only in /testing', () => {
    for (const [name, text] of reports)
      if (name !== 'testing') expect(text, name).not.toContain('`buildPenaltyCase`');
    expect(reports.get('testing')).toContain('`buildPenaltyCase`');
  });
});
