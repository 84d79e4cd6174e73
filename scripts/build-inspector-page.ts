/**
 * Builds the inspector's page (src/cli/page/) into one self-contained HTML file, dist/inspector.html by default:
 * src/cli/page/app.ts bundled for the browser by esbuild (an IIFE, minified) and inlined in the page shell with the
 * report's style sheet. Run by `npm run build` (tsup.config.ts onSuccess; so also by the tests' global setup, which
 * packs the package); `tsx scripts/build-inspector-page.ts [out.html]` builds it alone. `enforcement-ledger
 * inspector-page` writes it out.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { pageHtml } from '../src/cli/page/shell';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const INSPECTOR_PAGE_FILE = 'inspector.html';

/** Builds the page into `out` (default dist/inspector.html); returns the path and the page's size. */
export async function buildInspectorPage(
  out = join(ROOT, 'dist', INSPECTOR_PAGE_FILE),
): Promise<{ file: string; bytes: number }> {
  const r = await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'page', 'app.ts')],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  const script = r.outputFiles[0]!.text;
  const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const html = pageHtml(script, version);
  await mkdir(dirname(out), { recursive: true });
  // Written aside and renamed, so a reader (a test, the CLI) never sees half a page.
  const part = `${out}.${process.pid}.part`;
  await writeFile(part, html);
  await rename(part, out);
  return { file: out, bytes: Buffer.byteLength(html) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { file, bytes } = await buildInspectorPage(process.argv[2]);
  console.log(`inspector page: ${file} (${bytes} bytes)`);
}
