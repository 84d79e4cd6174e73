/** Reading inputs: a file path or `-` for stdin, with a size limit; missing files are STORAGE_NOT_FOUND (exit 3). */
import { readFile } from 'node:fs/promises';

const MAX_INPUT = 16 << 20;

export async function readInput(path: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (path !== '-') return readFile(path, 'utf8');
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stdin) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    n += b.length;
    if (n > MAX_INPUT) throw new RangeError('stdin input is larger than 16 MiB');
    parts.push(b);
  }
  return Buffer.concat(parts).toString('utf8');
}
