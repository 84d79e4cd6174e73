/**
 * Child process for store.test.ts and crash.test.ts.
 *   slow <dir> <MiB>  ingest a generated stream slowly, printing `progress <bytes>` as chunks are hashed
 *   put <dir> <file>  ingest a file, printing `ref <digest hex> <chunkRoot hex>`
 */
import { toHex } from '../../src/bytes';
import { FsContentStore } from '../../src/content';
import { generatedStream } from './helpers';

const [mode, dir, arg] = process.argv.slice(2);

async function main(): Promise<void> {
  const store = await FsContentStore.open(dir!);
  process.stdout.write('ready\n');
  if (mode === 'slow') {
    const ref = await store.put(generatedStream(Number(arg), 2), {
      onProgress: (p) => process.stdout.write(`progress ${p.bytesDone}\n`),
    });
    process.stdout.write(`done ${toHex(ref.digest)}\n`);
  } else if (mode === 'put') {
    const ref = await store.put(arg!);
    process.stdout.write(`ref ${toHex(ref.digest)} ${toHex(ref.chunkRoot)}\n`);
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
