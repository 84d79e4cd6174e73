/**
 * Architecture rules (docs/ARCHITECTURE.md "Layers"), checked on the import graph of src/:
 * 1. src/ledger/ never imports src/domain/, src/compliance/, src/retention/, src/bundles/ or src/cli/;
 * 2. nothing outside src/cli/ imports src/cli/;
 * 2a. the layers (docs/ARCHITECTURE.md): a folder of src/ imports only folders of lower layers (LAYERS below), never
 *     one of its own layer or above; the entry files at the top of src/ may import anything but src/cli/;
 * 3. the runtime import closure of src/verify.ts (the browser entry) holds no Node builtin, no LevelDB package, no
 *    ledger file other than the pure ones (types, format*, registry, rows, checkpoint-key), nothing from
 *    src/cli/ and nothing from src/content/ but its pure chunk format and excerpt check;
 * 4. the inspector's page script (src/cli/page/app.ts, bundled into dist/inspector.html) keeps the same browser rules,
 *    except that it may use the page's own files, the pure part of the HTML report (not from-ledger.ts) and the
 *    catalogue of error details in Chinese (src/cli/error-details.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

interface ImportEdge {
  /** A repo-relative source path (`src/x/y.ts`) for relative imports, else the bare specifier as written. */
  readonly target: string;
  /** `import type` / `export type`: erased at build time, so outside the runtime closure. */
  readonly typeOnly: boolean;
}
type ImportGraph = ReadonlyMap<string, readonly ImportEdge[]>;

/** Entry points: above every layer (they only re-export). */
const ENTRY_UNITS = new Set(['index', 'verify', 'entries']);

const LEDGER_FORBIDDEN = ['src/domain/', 'src/compliance/', 'src/retention/', 'src/bundles/', 'src/cli/'];
const STORAGE_PACKAGES = new Set(['level', 'classic-level', 'memory-level', 'abstract-level', 'pg']);
const BUILTINS = new Set(builtinModules);

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(packageName(spec));
}

function browserForbiddenFile(path: string): boolean {
  if (path.startsWith('src/content/')) return !PURE_CONTENT_FILES.has(path.slice('src/content/'.length));
  if (path.startsWith('src/cli/')) return true;
  if (!path.startsWith('src/ledger/')) return false;
  const name = path.slice('src/ledger/'.length);
  return !(PURE_LEDGER_FILES.has(name) || (!name.includes('/') && name.startsWith('format')));
}

/** Content modules with no Node module: the chunk format and the chunk-excerpt check. */
const PURE_CONTENT_FILES = new Set(['chunk-format.ts', 'excerpt-format.ts']);

/**
 * Ledger modules with no storage: entry format, key/role registry, the replay of the log's state (log-state.ts, shared
 * by open, ledger verification and bundle verification), index-row derivation, checkpoint key check.
 */
const PURE_LEDGER_FILES = new Set([
  'types.ts',
  'registry.ts',
  'rows.ts',
  'checkpoint-key.ts',
  'log-state.ts',
]);

/**
 * The layers of src/, lowest first (docs/ARCHITECTURE.md draws them). A folder (or top-level file) may import only
 * from a strictly lower layer. The entry points (index.ts, verify.ts, entries/) sit above every layer but cli/.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['errors'],
  ['bytes', 'guards', 'problems', 'workers'],
  ['encoding', 'crypto'],
  ['merkle'],
  ['checkpoint'],
  ['ledger'],
  ['content', 'witness', 'domain'],
  ['compliance'],
  ['retention'],
  ['access'],
  ['bundles'],
  ['serve'],
  ['cli'],
];

/** The layer unit of a repo-relative path: `src/ledger/x.ts` → `ledger`, `src/bytes.ts` → `bytes`; else undefined. */
function unitOf(path: string): string | undefined {
  const m = /^src\/([^/]+?)(?:\.ts)?(?:\/|$)/.exec(path);
  return m?.[1];
}

function layerOf(unit: string): number | undefined {
  const i = LAYERS.findIndex((layer) => layer.includes(unit));
  return i < 0 ? undefined : i;
}

/** Every rule broken in `graph`, as readable lines (empty when the architecture holds). */
function findViolations(graph: ImportGraph, browserEntry = 'src/verify.ts'): string[] {
  const out: string[] = [];
  for (const [file, edges] of graph) {
    for (const { target } of edges) {
      if (file.startsWith('src/ledger/') && LEDGER_FORBIDDEN.some((p) => target.startsWith(p))) {
        out.push(`${file} imports ${target}: the ledger core must not import higher layers`);
        continue;
      }
      if (!file.startsWith('src/cli/') && target.startsWith('src/cli/')) {
        out.push(`${file} imports ${target}: nothing outside src/cli/ may import it`);
        continue;
      }
      const from = unitOf(file);
      const to = unitOf(target);
      if (from === undefined || to === undefined || from === to) continue;
      const lf = layerOf(from);
      const lt = layerOf(to);
      if (lf === undefined) {
        if (!ENTRY_UNITS.has(from)) out.push(`${file}: src/${from} is in no layer (add it to LAYERS)`);
      } else if (lt === undefined) {
        if (!ENTRY_UNITS.has(to)) out.push(`${target}: src/${to} is in no layer (add it to LAYERS)`);
        else if (from !== 'cli')
          out.push(`${file} imports ${target}: only the entry points and cli/ import an entry point`);
      } else if (lt >= lf)
        out.push(
          `${file} imports ${target}: ${from} (layer ${lf}) may import only lower layers, not ${to} (layer ${lt})`,
        );
    }
  }
  if (!graph.has(browserEntry)) {
    out.push(`${browserEntry} is missing: the browser entry must exist`);
    return out;
  }
  out.push(...closureViolations(graph, browserEntry, browserForbiddenFile));
  return out;
}

/** Runtime closure of `entry`: every file `forbidden` names and every Node builtin or storage package it reaches. */
function closureViolations(
  graph: ImportGraph,
  entry: string,
  forbidden: (file: string) => boolean,
): string[] {
  const out: string[] = [];
  if (!graph.has(entry)) return [`${entry} is missing`];
  // Breadth-first over runtime edges, remembering how each file was reached to print the chain.
  const parent = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  const chain = (file: string): string => {
    const files: string[] = [];
    for (let f: string | null | undefined = file; f; f = parent.get(f)) files.unshift(f);
    return files.join(' → ');
  };
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (forbidden(file)) out.push(`${chain(file)}: not allowed in the browser closure`);
    for (const { target, typeOnly } of graph.get(file) ?? []) {
      if (typeOnly) continue;
      if (target.startsWith('src/')) {
        if (!parent.has(target)) {
          parent.set(target, file);
          queue.push(target);
        }
      } else if (isNodeBuiltin(target) || STORAGE_PACKAGES.has(packageName(target))) {
        out.push(`${chain(file)} → ${target}: not allowed in the browser closure`);
      }
    }
  }
  return out;
}

/** The inspector page's own files, the pure part of the HTML report and the Chinese error details (no imports). */
const PAGE_CLI_FILES =
  /^src\/cli\/(page\/[^/]+|report\/(model|html|from-bundle|problem-text)|lang|error-details)\.ts$/;
const PAGE_ENTRY = 'src/cli/page/app.ts';

/** Rule 4: the page script's closure, under the browser rules with the page and report files allowed. */
function pageViolations(graph: ImportGraph): string[] {
  return closureViolations(graph, PAGE_ENTRY, (f) => !PAGE_CLI_FILES.test(f) && browserForbiddenFile(f));
}

// Static `import … from`, `export … from`, side-effect `import '…'`; then dynamic import() and require().
const STATIC_RE = /(?:^|[;}\s])(import|export)\s+(type\s+)?(?:[\w*{}\s,$]*?\s*from\s*)?['"]([^'"\n]+)['"]/g;
const DYNAMIC_RE = /\b(?:import|require)\s*\(\s*['"]([^'"\n]+)['"]\s*\)/g;

function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Import specifiers of one file, with whether each is type-only. */
function parseImports(source: string): Array<{ spec: string; typeOnly: boolean }> {
  const code = stripComments(source);
  const out: Array<{ spec: string; typeOnly: boolean }> = [];
  for (const m of code.matchAll(STATIC_RE)) out.push({ spec: m[3]!, typeOnly: m[2] !== undefined });
  for (const m of code.matchAll(DYNAMIC_RE)) out.push({ spec: m[1]!, typeOnly: false });
  return out;
}

const ROOT = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(p);
    return d.name.endsWith('.ts') ? [p] : [];
  });
}

function resolveRelative(fromFile: string, spec: string): string {
  const base = posix.join(posix.dirname(fromFile), spec);
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => c.endsWith('.ts') && existsSync(join(ROOT, c))) ?? base;
}

function buildGraph(): Map<string, ImportEdge[]> {
  const graph = new Map<string, ImportEdge[]>();
  for (const abs of sourceFiles(join(ROOT, 'src'))) {
    const file = relative(ROOT, abs).split('\\').join('/');
    const edges = parseImports(readFileSync(abs, 'utf8')).map(({ spec, typeOnly }) => ({
      target: spec.startsWith('.') ? resolveRelative(file, spec) : spec,
      typeOnly,
    }));
    graph.set(file, edges);
  }
  return graph;
}

describe('architecture of src/', () => {
  it('keeps the layer and browser rules', () => {
    const graph = buildGraph();
    expect(graph.size).toBeGreaterThan(10);
    expect(findViolations(graph)).toEqual([]);
  });

  it('keeps the inspector page script browser-safe', () => {
    const graph = buildGraph();
    expect(graph.has(PAGE_ENTRY)).toBe(true);
    expect(pageViolations(graph)).toEqual([]);
  });

  it('has one replay of the log state: open, ledger verify and bundle replay all run src/ledger/log-state.ts', () => {
    const graph = buildGraph();
    for (const user of ['src/ledger/ledger.ts', 'src/ledger/verify.ts', 'src/bundles/replay.ts'])
      expect(
        graph.get(user)?.some((e) => e.target === 'src/ledger/log-state.ts' && !e.typeOnly),
        `${user} replays through log-state.ts`,
      ).toBe(true);
    // Nobody else decides whether a manifest is acceptable: validating it is the replay's first step.
    const manifestChecks = [...graph.keys()].filter(
      (f) =>
        f !== 'src/ledger/log-state.ts' &&
        /validateCoreBody\(MANIFEST_KIND/.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(manifestChecks).toEqual(['src/ledger/ledger.ts']); // `create` validates the manifest it writes
  });
});

/**
 * A cast of an entry's body as read (`x.body as T`) or of records to a body-typed record (issue 19.2). Bodies going
 * in are not covered: the server hands a request's JSON to the library's typed inputs (src/serve/api.ts), which
 * validate it at run time with coded errors.
 */
const BODY_CAST = /\.body as\b|as (?:readonly )?(?:Array<)?(?:ViewRecord|StoredEntry|Entry)<[^>]*Body\b/;

describe('typed bodies', () => {
  it('no file in src/ casts an entry body: bodies are read by kind (get/entries/isKind) or field by field', () => {
    const casts = sourceFiles(join(ROOT, 'src')).flatMap((abs) =>
      readFileSync(abs, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          BODY_CAST.test(line) && !/^\s*(\/\/|\*)/.test(line)
            ? [`${relative(ROOT, abs)}:${i + 1}: ${line.trim()}`]
            : [],
        ),
    );
    expect(casts).toEqual([]);
  });

  it('the check catches the casts it names', () => {
    for (const bad of [
      'const b = e.body as HoldBody;',
      'const b = (await ledger.get(s)).body as { entrustedBy?: unknown };',
      'const c = xs.filter(f) as Array<ViewRecord<string, SelfCheckBody>>;',
    ])
      expect(BODY_CAST.test(bad), bad).toBe(true);
    expect(BODY_CAST.test("const by = field((await ledger.get(s)).body, 'entrustedBy');")).toBe(false);
  });
});

describe('the architecture checker itself', () => {
  const clean = (): Map<string, ImportEdge[]> =>
    new Map<string, ImportEdge[]>([
      ['src/verify.ts', [{ target: 'src/bundles/verify.ts', typeOnly: false }]],
      [
        'src/bundles/verify.ts',
        [
          { target: 'src/ledger/format.ts', typeOnly: false },
          { target: 'src/ledger/types.ts', typeOnly: false },
          { target: 'src/ledger/ledger.ts', typeOnly: true },
          { target: '@noble/hashes/sha2.js', typeOnly: false },
        ],
      ],
      ['src/ledger/format.ts', [{ target: 'src/encoding/cbor.ts', typeOnly: false }]],
      ['src/ledger/types.ts', []],
      ['src/encoding/cbor.ts', []],
      [
        'src/ledger/ledger.ts',
        [
          { target: 'abstract-level', typeOnly: false },
          { target: 'node:crypto', typeOnly: false },
        ],
      ],
      ['src/cli/main.ts', [{ target: 'src/cli/args.ts', typeOnly: false }]],
      ['src/cli/args.ts', [{ target: 'src/domain/index.ts', typeOnly: false }]],
    ]);
  const add = (g: Map<string, ImportEdge[]>, file: string, target: string, typeOnly = false) => {
    g.set(file, [...(g.get(file) ?? []), { target, typeOnly }]);
    return g;
  };

  it('accepts a clean graph (type-only imports stay out of the browser closure)', () => {
    expect(findViolations(clean())).toEqual([]);
  });

  it.each([
    ['src/ledger/ledger.ts', 'src/domain/index.ts'],
    ['src/ledger/registry.ts', 'src/compliance/rule.ts'],
    ['src/ledger/x.ts', 'src/retention/table.ts'],
    ['src/ledger/x.ts', 'src/bundles/export.ts'],
  ])('catches %s importing %s', (file, target) => {
    expect(findViolations(add(clean(), file, target, true))).toEqual([
      `${file} imports ${target}: the ledger core must not import higher layers`,
    ]);
  });

  it.each([
    [
      'src/encoding/decode.ts',
      'src/ledger/types.ts',
      'encoding (layer 2) may import only lower layers, not ledger (layer 5)',
    ],
    [
      'src/domain/records.ts',
      'src/witness/x.ts',
      'domain (layer 6) may import only lower layers, not witness (layer 6)',
    ],
    [
      'src/bytes.ts',
      'src/problems.ts',
      'bytes (layer 1) may import only lower layers, not problems (layer 1)',
    ],
    [
      'src/compliance/rule.ts',
      'src/retention/policy.ts',
      'compliance (layer 7) may import only lower layers, not retention (layer 8)',
    ],
  ])('catches the upward or sideways import %s → %s', (file, target, why) => {
    expect(findViolations(add(clean(), file, target, true))).toEqual([`${file} imports ${target}: ${why}`]);
  });

  it('catches a folder in no layer, and an import of an entry point', () => {
    expect(findViolations(add(clean(), 'src/newthing/a.ts', 'src/bytes.ts'))).toEqual([
      'src/newthing/a.ts: src/newthing is in no layer (add it to LAYERS)',
    ]);
    expect(findViolations(add(clean(), 'src/domain/a.ts', 'src/index.ts'))).toEqual([
      'src/domain/a.ts imports src/index.ts: only the entry points and cli/ import an entry point',
    ]);
  });

  it('catches an import of src/cli/ from outside it', () => {
    const v = findViolations(add(clean(), 'src/domain/index.ts', 'src/cli/args.ts'));
    expect(v).toEqual([
      'src/domain/index.ts imports src/cli/args.ts: nothing outside src/cli/ may import it',
    ]);
  });

  it('fails when the browser entry is missing', () => {
    const g = clean();
    g.delete('src/verify.ts');
    expect(findViolations(g)).toEqual(['src/verify.ts is missing: the browser entry must exist']);
  });

  it.each([
    ['node:fs', 'node:fs'],
    ['bare builtin', 'crypto'],
    ['builtin subpath', 'fs/promises'],
    ['worker_threads', 'worker_threads'],
    ['level', 'level'],
    ['classic-level', 'classic-level'],
    ['memory-level', 'memory-level'],
    ['abstract-level subpath', 'abstract-level/types'],
  ])('catches %s reached transitively from the browser entry', (_name, pkg) => {
    const v = findViolations(add(clean(), 'src/encoding/cbor.ts', pkg));
    expect(v).toEqual([
      `src/verify.ts → src/bundles/verify.ts → src/ledger/format.ts → src/encoding/cbor.ts → ${pkg}: not allowed in the browser closure`,
    ]);
  });

  it.each([
    'src/ledger/ledger.ts',
    'src/ledger/verify.ts',
    'src/ledger/formats/x.ts',
    'src/content/store.ts',
    'src/cli/args.ts',
  ])('catches %s in the browser closure', (file) => {
    const v = findViolations(add(clean(), 'src/ledger/format.ts', file));
    expect(
      v.some((line) =>
        line.startsWith(`src/verify.ts → src/bundles/verify.ts → src/ledger/format.ts → ${file}:`),
      ),
    ).toBe(true);
  });

  it('lets the page script use the report renderer but not the ledger report, other CLI files or Node', () => {
    const page = (): Map<string, ImportEdge[]> => {
      const g = clean();
      g.set(PAGE_ENTRY, [{ target: 'src/cli/page/inspect.ts', typeOnly: false }]);
      g.set('src/cli/page/inspect.ts', [
        { target: 'src/verify.ts', typeOnly: false },
        { target: 'src/cli/report/html.ts', typeOnly: false },
        { target: 'src/cli/lang.ts', typeOnly: true },
      ]);
      g.set('src/cli/report/html.ts', [{ target: 'src/cli/report/model.ts', typeOnly: false }]);
      g.set('src/cli/report/model.ts', []);
      return g;
    };
    expect(pageViolations(page())).toEqual([]);
    for (const bad of ['src/cli/report/from-ledger.ts', 'src/cli/commands/bundle.ts', 'src/cli/page/x/y.ts'])
      expect(pageViolations(add(page(), 'src/cli/report/html.ts', bad))).toEqual([
        `${PAGE_ENTRY} → src/cli/page/inspect.ts → src/cli/report/html.ts → ${bad}: not allowed in the browser closure`,
      ]);
    expect(pageViolations(add(page(), 'src/cli/report/model.ts', 'node:fs'))).toEqual([
      `${PAGE_ENTRY} → src/cli/page/inspect.ts → src/cli/report/html.ts → src/cli/report/model.ts → node:fs: not allowed in the browser closure`,
    ]);
    expect(pageViolations(add(page(), 'src/cli/report/model.ts', 'src/ledger/ledger.ts'))).toContain(
      `${PAGE_ENTRY} → src/cli/page/inspect.ts → src/cli/report/html.ts → src/cli/report/model.ts → src/ledger/ledger.ts: not allowed in the browser closure`,
    );
  });

  it('allows format*.ts ledger files in the browser closure', () => {
    expect(findViolations(add(clean(), 'src/ledger/format.ts', 'src/ledger/format-v2.ts'))).toEqual([]);
  });

  it('parses static, side-effect, re-export, multi-line, type-only and dynamic imports, ignoring comments', () => {
    const src = [
      "import { a } from '../a';",
      "import type { B } from './b';",
      'import {',
      '  c,',
      '  d,',
      "} from 'pkg-c';",
      'import * as e from "node:fs";',
      "import './side-effect';",
      "export { f } from '../f';",
      "export type { G } from '../g';",
      "export * from './h';",
      "const m = await import('./dyn');",
      "// import { x } from '../cli/commented';",
      "/* export * from 'level'; */",
      "const url = 'http://example.com'; import def, { z } from '@scope/pkg/sub';",
    ].join('\n');
    expect(parseImports(src)).toEqual([
      { spec: '../a', typeOnly: false },
      { spec: './b', typeOnly: true },
      { spec: 'pkg-c', typeOnly: false },
      { spec: 'node:fs', typeOnly: false },
      { spec: './side-effect', typeOnly: false },
      { spec: '../f', typeOnly: false },
      { spec: '../g', typeOnly: true },
      { spec: './h', typeOnly: false },
      { spec: '@scope/pkg/sub', typeOnly: false },
      { spec: './dyn', typeOnly: false },
    ]);
  });

  it('resolves relative imports in the real tree', () => {
    const graph = buildGraph();
    const format = graph.get('src/ledger/format.ts');
    expect(format?.map((e) => e.target)).toContain('src/encoding/cbor.ts');
  });
});
