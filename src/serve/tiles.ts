/**
 * The log as C2SP tlog-tiles (https://c2sp.org/tlog-tiles), read from the ledger's stored tree:
 *
 *   /tile/<L>/<N>[.p/<W>]        hashes of the tree nodes at height 8·L with index 256·N … 256·N + W − 1 (W = 256
 *                                for a full tile), each of the suite's hash length (32 bytes in both suites), concatenated
 *   /tile/entries/<N>[.p/<W>]    the entry bundle: entries 256·N … 256·N + W − 1, each as a big-endian uint16 length
 *                                and the signed entry's bytes (the Merkle leaf data: leaf hash = H(0x00 ‖ bytes))
 *
 * N is written in 3-digit groups, all but the last prefixed with `x` (1234067 → x001/x234/067). The hashes are the
 * ledger suite's (SHA-256 in the default suite, as tlog-tiles expects; an SM3 ledger serves SM3 tiles, which tooling
 * that hard-codes SHA-256 cannot check). A tile is served only when every hash in it is fixed: full tiles and
 * partial tiles never change once served, so both may be cached for ever.
 */
import { concatBytes } from '../bytes';
import type { Ledger } from '../ledger';

export const TILE_WIDTH = 256;
/** Tree height covered by one tile row. */
export const TILE_HEIGHT = 8;
/** An entry's length prefix in a bundle is a uint16. */
export const MAX_BUNDLE_ENTRY = 0xffff;

export interface TilePath {
  /** A tile row (0, 1, …) or `entries` for an entry bundle. */
  readonly level: number | 'entries';
  readonly index: number;
  /** Hashes (or entries) in the tile: 256 for a full tile, 1–255 for a partial one. */
  readonly width: number;
}

const LEVEL = /^(?:0|[1-9][0-9]?)$/;
const WIDTH = /^(?:[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])$/;

/** The tile a path after `/tile/` names (`0/x001/234.p/17`, `entries/005`), or undefined when it is not one. */
export function parseTilePath(rest: string): TilePath | undefined {
  const parts = rest.split('/');
  const head = parts.shift();
  let level: number | 'entries';
  if (head === 'entries') level = 'entries';
  else if (head !== undefined && LEVEL.test(head) && Number(head) <= 63) level = Number(head);
  else return undefined;
  let width = TILE_WIDTH;
  if (parts.length >= 2 && parts[parts.length - 2]!.endsWith('.p')) {
    const w = parts.pop()!;
    if (!WIDTH.test(w)) return undefined;
    width = Number(w);
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -2);
  }
  if (parts.length === 0) return undefined;
  let index = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const digits = i < parts.length - 1 ? (p.startsWith('x') ? p.slice(1) : undefined) : p;
    if (digits === undefined || !/^[0-9]{3}$/.test(digits)) return undefined;
    index = index * 1000 + Number(digits);
  }
  // A leading x000 group is not the canonical spelling; nor is an index beyond what a log can hold.
  if (parts.length > 1 && parts[0] === 'x000') return undefined;
  if (!Number.isSafeInteger(index)) return undefined;
  return { level, index, width };
}

/** The canonical path (after `/tile/`) of a tile. */
export function tilePath(t: TilePath): string {
  let n = String(t.index % 1000).padStart(3, '0');
  for (let rest = Math.floor(t.index / 1000); rest > 0; rest = Math.floor(rest / 1000))
    n = `x${String(rest % 1000).padStart(3, '0')}/${n}`;
  return `${t.level}/${n}${t.width === TILE_WIDTH ? '' : `.p/${t.width}`}`;
}

/** Whether the log of `size` entries holds every hash (or entry) of the tile. */
export function tileAvailable(t: TilePath, size: number): boolean {
  const height = t.level === 'entries' ? 0 : t.level * TILE_HEIGHT;
  return (t.index * TILE_WIDTH + t.width) * 2 ** height <= size;
}

/** The bytes of a tile or entry bundle; undefined when the log does not (yet) hold all of it. */
export async function readTile(ledger: Ledger, t: TilePath): Promise<Uint8Array | undefined> {
  if (!tileAvailable(t, ledger.size)) return undefined;
  const begin = t.index * TILE_WIDTH;
  if (t.level !== 'entries')
    return concatBytes(...(await ledger.subtreeHashes(t.level * TILE_HEIGHT, begin, begin + t.width)));
  const parts: Uint8Array[] = [];
  for await (const { seq, bytes } of ledger.entries({ from: begin, to: begin + t.width })) {
    if (bytes.length > MAX_BUNDLE_ENTRY)
      throw new RangeError(
        `entry ${seq} is ${bytes.length} bytes: too long for an entry bundle's uint16 length`,
      );
    parts.push(new Uint8Array([bytes.length >> 8, bytes.length & 0xff]), bytes);
  }
  return concatBytes(...parts);
}
