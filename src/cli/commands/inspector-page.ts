/**
 * `inspector-page <out.html>`: writes the inspector's page (src/cli/page/), one self-contained HTML file that verifies
 * a proof bundle in a browser with no network. The page is built with the package (`npm run build` →
 * dist/inspector.html); this command copies it out and prints its SHA-256, so the inspector can check the copy.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { toHex } from '../../bytes';
import { createStreamingHash } from '../../crypto/node-registry';
import { SUITE_ID } from '../../ledger/registry';
import type { Ctx, Outcome } from '../context';
import { CliError, EXIT } from '../exit';
import type { OutputOf } from '../schemas';

/** Where the built page is: beside the bundled CLI (dist/), or in dist/ of the repository when run from source. */
const CANDIDATES = ['./inspector.html', '../../../dist/inspector.html'];

async function builtPage(): Promise<Uint8Array> {
  for (const rel of CANDIDATES) {
    try {
      return new Uint8Array(await readFile(fileURLToPath(new URL(rel, import.meta.url))));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new CliError(
    'NOT_FOUND',
    'the inspector page is not built (dist/inspector.html): run `npm run build` in the package',
    EXIT.io,
  );
}

export async function inspectorPage(_ctx: Ctx, out: string): Promise<Outcome> {
  const page = await builtPage();
  await writeFile(out, page);
  const data: Omit<OutputOf<'inspector-page'>, 'format' | 'command'> = {
    file: out,
    bytes: page.length,
    // SHA-256 (the default suite's hash), whatever ledger the page will check: the page's own fingerprint.
    sha256: toHex(createStreamingHash(SUITE_ID).update(page).digest()),
  };
  return {
    command: 'inspector-page',
    exit: 0,
    data,
    human: (l) =>
      l === 'zh'
        ? `检查方核验页面已写入 ${out}（${data.bytes} 字节，SHA-256 ${data.sha256}）\n  用浏览器打开即可离线核验证据包：输入信任锚，拖入证据包与随附文件。`
        : `Inspector's page written to ${out} (${data.bytes} bytes, SHA-256 ${data.sha256})\n  open it in a browser to verify a bundle offline: enter the trust anchors, drop the bundle and content files.`,
  };
}
