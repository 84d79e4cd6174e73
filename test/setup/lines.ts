import type { Readable } from 'node:stream';

/** Calls `onLine` with every complete line (without its newline) a child process writes to `stream`. */
export function onLines(stream: Readable, onLine: (line: string) => void): void {
  let buf = '';
  stream.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      onLine(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      nl = buf.indexOf('\n');
    }
  });
}
