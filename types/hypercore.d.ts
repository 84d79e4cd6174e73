// Minimal typing for the bench's use of hypercore (dev dependency, compared against in bench/ledger.ts).
declare module 'hypercore' {
  export default class Hypercore {
    constructor(storage: string, opts?: Record<string, unknown>);
    readonly length: number;
    ready(): Promise<void>;
    append(blocks: Uint8Array | Uint8Array[]): Promise<{ length: number; byteLength: number }>;
    get(index: number): Promise<Uint8Array>;
    close(): Promise<void>;
  }
}
