/**
 * The text of sm-crypto-v2's UMD build (`dist/index.umd.js`), for SM2 worker sources (worker-verifiers.ts,
 * pool-signer.ts): a worker here is an eval'd string that can load only builtins (src/workers/pool.ts), so the SM2
 * library reaches it as text. The UMD file is self-contained but for `@noble/hashes/hkdf`, which only the library's
 * `hkdf` export uses; the worker evaluates it with no `require`, so that argument is undefined and SM2 is unaffected.
 *
 * Two ways in, one text:
 * - the built package (dist/): tsup.config.ts replaces this module with one returning the text inlined at build time
 *   (after checking it is the version package-lock.json pins), so bundled hosts carry it;
 * - the sources (vitest, tsx): read from node_modules at run time.
 * When neither gives it (undefined), SM2 checks and signatures run on the calling thread, and the pools say so
 * (`usesWorkers` false).
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The file, as a package path. */
export const SM2_LIBRARY_FILE = 'sm-crypto-v2/dist/index.umd.js';

let text: string | null | undefined;

/** The library's text, or undefined when it cannot be found. */
export function sm2LibraryText(): string | undefined {
  if (text === undefined) {
    try {
      text = readFileSync(createRequire(import.meta.url).resolve(SM2_LIBRARY_FILE), 'utf8');
    } catch {
      text = null;
    }
  }
  return text ?? undefined;
}
