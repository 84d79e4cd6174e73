/** The entries a subcommand appended, read back from the ledger: [from, size). */
import { toHex } from '../../bytes';
import type { Ledger } from '../../ledger';

export interface AppendedEntry {
  readonly seq: number;
  readonly kind: string;
  readonly leafHash: string;
  readonly time: number;
}

export async function appendedSince(ledger: Ledger, from: number): Promise<AppendedEntry[]> {
  const out: AppendedEntry[] = [];
  for await (const e of ledger.entries({ from }))
    out.push({ seq: e.seq, kind: e.kind, leafHash: toHex(e.leafHash), time: e.time });
  return out;
}

export const entryLines = (entries: readonly AppendedEntry[]): string =>
  entries.map((e) => `  #${e.seq} ${e.kind} ${e.leafHash.slice(0, 16)}…`).join('\n');
