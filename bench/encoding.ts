/**
 * Canonical CBOR bench: encode and decode of a ~300-byte entry-like map, ours vs cbor-x (not canonical: unsorted
 * keys, float64 timestamps; shown for reference) and cborg (RFC 8949 deterministic options).
 * Each cell is the median of 5 runs (CPU time) after a warm-up. Run: npx tsx bench/encoding.ts [--quick]
 */
import * as cborg from 'cborg';
import { Decoder, Encoder } from 'cbor-x';
import { decodeCanonical, encodeCanonical } from '../src/encoding';
import type { CborValue } from '../src/ledger/types';
import { header, median, table } from './util';

const quick = process.argv.includes('--quick');
const RUNS = 5;
const RUN_MS = quick ? 100 : 500;

/** Per-second rate of `op` by process CPU time (the loop is synchronous, so a busy machine does not skew it). */
function rate(op: () => unknown): number {
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const until = performance.now() + RUN_MS / 2;
  while (performance.now() < until) op();
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let n = 0;
    const start = cpuMs();
    let now = start;
    while (now - start < RUN_MS) {
      for (let i = 0; i < 200; i++) op();
      n += 200;
      now = cpuMs();
    }
    rates.push((n * 1000) / (now - start));
  }
  return median(rates);
}

const h32 = (b: number) => new Uint8Array(32).fill(b);
const entry: CborValue = {
  v: 1,
  l: h32(1),
  s: 123_456,
  p: h32(2),
  t: 1_760_000_000_000,
  k: 'enf/document',
  b: {
    caseId: 'WJ-2025-0042',
    docType: '立案审批表',
    officers: ['张三', '李四'],
    amount: 5000,
    final: false,
  },
  c: [[h32(3), 1_048_576, h32(4)]],
  a: h32(5),
};
const ours = encodeCanonical(entry);
const cborxEncoder = new Encoder({ useRecords: false, tagUint8Array: false, variableMapSize: true });
const cborxDecoder = new Decoder({ useRecords: false, mapsAsObjects: true });
const cborxBytes = cborxEncoder.encode(entry);
const cborgBytes = cborg.encode(entry, cborg.rfc8949EncodeOptions);

const rows: Array<[string, number, number]> = [
  [
    'ours (canonical; decode checks canonical form on the bytes)',
    rate(() => encodeCanonical(entry)),
    rate(() => decodeCanonical(ours)),
  ],
  [
    'ours, decode then re-encode and compare (the check before issue 13)',
    rate(() => encodeCanonical(entry)),
    rate(() => {
      const v = decodeCanonical(ours);
      if (encodeCanonical(v).length !== ours.length) throw new Error('not canonical');
    }),
  ],
  [
    'cbor-x (not canonical)',
    rate(() => cborxEncoder.encode(entry)),
    rate(() => cborxDecoder.decode(cborxBytes)),
  ],
  [
    'cborg (rfc8949EncodeOptions)',
    rate(() => cborg.encode(entry, cborg.rfc8949EncodeOptions)),
    rate(() => cborg.decode(cborgBytes)),
  ],
];

console.log(header(`Canonical CBOR, ${ours.length}-byte entry map`, 'npx tsx bench/encoding.ts'));
console.log(
  table(
    ['codec', 'encode k ops/s', 'decode k ops/s'],
    rows.map(([name, e, d]) => [name, Math.round(e / 1000), Math.round(d / 1000)]),
  ),
);
