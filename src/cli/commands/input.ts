/**
 * Reading inputs: a file path or `-` for stdin, with a size limit; missing files are STORAGE_NOT_FOUND (exit 3).
 * Text is UTF-8 unless `--encoding` says otherwise (gb18030, gbk: what many agency systems export), decoded strictly:
 * bytes that are not text in that encoding are refused with INPUT_ENCODING (exit 2, the byte offset named) rather than
 * stored as U+FFFD. A UTF-8 byte order mark is dropped. The decoder is the WHATWG Encoding Standard's, in Node's
 * TextDecoder (ICU; official Node builds carry full ICU).
 */
import { readFile } from 'node:fs/promises';
import { CliError } from '../exit';

const MAX_INPUT = 16 << 20;

/** Encodings `--encoding` takes (WHATWG labels). */
export const ENCODINGS = ['utf-8', 'gb18030', 'gbk'] as const;
export type InputEncoding = (typeof ENCODINGS)[number];

async function readBytes(path: string, stdin: NodeJS.ReadableStream): Promise<Uint8Array> {
  if (path !== '-') return readFile(path);
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of stdin) {
    const b = typeof c === 'string' ? Buffer.from(c) : (c as Buffer);
    n += b.length;
    if (n > MAX_INPUT) throw new RangeError('stdin input is larger than 16 MiB');
    parts.push(b);
  }
  return Buffer.concat(parts);
}

/** The offset of the first byte that is not text in `encoding` (the length when the text stops mid-character). */
function firstBadByte(bytes: Uint8Array, encoding: InputEncoding): number {
  // The shortest failing prefix, by bisection: a prefix that fails stays failing when it grows.
  const fails = (n: number) => {
    try {
      new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (fails(mid + 1)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Decodes `bytes` strictly as `encoding`; INPUT_ENCODING (exit 2) naming the first bad byte. */
export function decodeText(bytes: Uint8Array, encoding: InputEncoding, what: string): string {
  let dec: TextDecoder;
  try {
    dec = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new CliError('USAGE', `this Node has no ${encoding} decoder (it needs full ICU)`);
  }
  try {
    return dec.decode(bytes);
  } catch {
    const at = firstBadByte(bytes, encoding);
    throw new CliError(
      'INPUT_ENCODING',
      `${what} is not ${encoding} text (invalid bytes near offset ${at})${encoding === 'utf-8' ? '; if it is GB18030 or GBK, give --encoding gb18030' : ''}; nothing written`,
    );
  }
}

export async function readInput(
  path: string,
  stdin: NodeJS.ReadableStream,
  encoding: InputEncoding = 'utf-8',
): Promise<string> {
  return decodeText(await readBytes(path, stdin), encoding, path === '-' ? 'stdin' : path);
}
