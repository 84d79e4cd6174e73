/**
 * The problem catalogue (src/problems.ts) is the one vocabulary of verification reports: every report's code union
 * is part of it (checked by the compiler below), every code has its meaning in both languages, docs/PROBLEMS.md is
 * the catalogue rendered (UPDATE_DOCS=1 rewrites it), and no document names a code the source no longer has (a
 * drifted name such as `UNKNOWN_SUITE` fails here).
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AccessProblemCode } from '../../src/access/check';
import type { BundleProblem } from '../../src/bundles/verify';
import type { ContentCheckCode } from '../../src/content/verify';
import type { ExcerptCheckCode } from '../../src/content/excerpt-format';
import type { RecordProblem } from '../../src/domain/verify';
import type { SignerProblem } from '../../src/ledger/registry';
import type { VerifyProblem } from '../../src/ledger/types';
import {
  PROBLEMS,
  PROBLEM_CODES,
  type ProblemArea,
  type ProblemCode,
  describeProblem,
  isProblemCode,
} from '../../src/problems';
import type { PurgeProblemCode } from '../../src/retention/purge-check';
import type { RetentionFindingCode } from '../../src/retention/verify';

// Compile-time: each report's codes are catalogue codes (a code missing from the catalogue is a type error here).
type Assignable<T extends ProblemCode> = T;
type CatalogueCovers = [
  Assignable<VerifyProblem['code']>,
  Assignable<RecordProblem['code']>,
  Assignable<BundleProblem['code']>,
  Assignable<SignerProblem['code']>,
  Assignable<AccessProblemCode>,
  Assignable<PurgeProblemCode>,
  Assignable<RetentionFindingCode>,
  Assignable<Exclude<ContentCheckCode, 'CONTENT_OK'>>,
  Assignable<Exclude<ExcerptCheckCode, 'EXCERPT_OK'>>,
];

const ROOT = join(__dirname, '..', '..');
const AREA_TITLES: Record<ProblemArea, string> = {
  ledger: 'Ledger (`verify`, `Ledger.verify`, the entries a bundle carries)',
  records: 'Enforcement records (`verify`, `EnforcementRecords.verify`, `verifyRecords`)',
  access: 'Access (`verify`, `verifyAccess`)',
  retention: 'Retention (`verify`, `verifyRetention`)',
  content: 'Content (`verify --content`, `verifyContent`)',
  excerpt: 'Chunk excerpts (`excerpt verify`, `verifyChunkExcerpt`)',
  bundle: 'Proof bundles (`verify-bundle`, `verifyBundle`)',
};

const cell = (s: string) => s.replaceAll('|', '\\|');

/** The catalogue as the Markdown tables of docs/PROBLEMS.md (between the generated-section markers). */
function renderTables(): string {
  const out: string[] = [];
  for (const area of Object.keys(AREA_TITLES) as ProblemArea[]) {
    out.push(
      `### ${AREA_TITLES[area]}`,
      '',
      '| code | meaning | 含义 | what to do · 处理 |',
      '| --- | --- | --- | --- |',
    );
    for (const code of PROBLEM_CODES.filter((c) => PROBLEMS[c].area === area)) {
      const p = PROBLEMS[code];
      const action = p.action ? `${cell(p.action.en)} · ${cell(p.action.zh)}` : '';
      out.push(`| \`${code}\` | ${cell(p.en)} | ${cell(p.zh)} | ${action} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

const BEGIN = '<!-- generated from src/problems.ts: begin -->';
const END = '<!-- generated from src/problems.ts: end -->';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('problem catalogue', () => {
  it('covers the codes of every report (checked by the compiler)', () => {
    const covered: CatalogueCovers[number][] = ['INDEX_EXTRA', 'RECORD_INVALID', 'WITNESS_QUORUM'];
    expect(covered.every(isProblemCode)).toBe(true);
  });

  it('gives every code an area and a one-line meaning in Chinese and in English', () => {
    expect(PROBLEM_CODES.length).toBeGreaterThan(100);
    for (const code of PROBLEM_CODES) {
      const p = PROBLEMS[code];
      expect(code, code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(Object.keys(AREA_TITLES), code).toContain(p.area);
      expect(p.zh, code).toMatch(/[\u4e00-\u9fff]/);
      expect(p.en, code).toMatch(/^[a-z`(]/);
      expect(`${p.zh}${p.en}`, code).not.toContain('\n');
      if (p.action) {
        expect(p.action.zh, code).toMatch(/[\u4e00-\u9fff]/);
        expect(p.action.en.length, code).toBeGreaterThan(0);
      }
    }
  });

  it('no two codes share a meaning (the same condition has one code)', () => {
    const seen = new Map<string, string>();
    for (const code of PROBLEM_CODES) {
      const other = seen.get(PROBLEMS[code].en);
      expect(other, `${code} and ${other} say the same`).toBeUndefined();
      seen.set(PROBLEMS[code].en, code);
    }
  });

  it('describes a known code and shows an unknown one as itself', () => {
    expect(isProblemCode('INDEX_EXTRA')).toBe(true);
    expect(isProblemCode('toString')).toBe(false);
    expect(describeProblem('BAD_SIGNATURE', 'en')).toBe(PROBLEMS.BAD_SIGNATURE.en);
    expect(describeProblem('BAD_SIGNATURE', 'zh')).toBe(PROBLEMS.BAD_SIGNATURE.zh);
    expect(describeProblem('NO_SUCH_CODE', 'zh')).toBe('NO_SUCH_CODE');
  });

  it('docs/PROBLEMS.md is the catalogue rendered (UPDATE_DOCS=1 rewrites it)', () => {
    const path = join(ROOT, 'docs', 'PROBLEMS.md');
    const doc = readFileSync(path, 'utf8');
    const a = doc.indexOf(BEGIN);
    const b = doc.indexOf(END);
    expect(a, 'generated-section markers').toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const want = `${BEGIN}\n\n${renderTables()}\n${END}`;
    const have = doc.slice(a, b + END.length);
    if (have !== want && process.env.UPDATE_DOCS === '1')
      writeFileSync(path, doc.slice(0, a) + want + doc.slice(b + END.length));
    else expect(have).toBe(want);
  });

  it('the docs name no code that the source does not have (no drifted names)', () => {
    const source = walk(join(ROOT, 'src'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    const known = new Set(source.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g));
    const docs = ['README.md', 'docs/FORMAT.md', 'docs/CLI.md', 'docs/PROBLEMS.md', 'docs/WALKTHROUGH.md'];
    const stale: string[] = [];
    for (const d of docs) {
      const text = readFileSync(join(ROOT, d), 'utf8');
      for (const m of text.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:_\*)?`/g))
        if (!known.has(m[1]!) && !m[0].includes('_*')) stale.push(`${d}: ${m[1]}`);
    }
    expect(stale).toEqual([]);
  });
});
