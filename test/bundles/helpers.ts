import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex, utf8 } from '../../src/bytes';
import { contentRefOfBytes } from '../../src/bundles/content-ref';
import {
  type BundlePayload,
  bundleSigningMessage,
  decodeBundle,
  encodeBundle,
  encodePayload,
} from '../../src/bundles/format';
import type { BundleReport } from '../../src/bundles/verify';
import { Witness, type WitnessState } from '../../src/checkpoint/witness';
import { nodeSuite } from '../../src/crypto/node';
import { createSigner } from '../../src/crypto/signer';
import type { Signer } from '../../src/crypto/types';
import {
  buildPenaltyCase,
  exampleSigner,
  type PenaltyCaseDefect,
} from '../../src/domain/example-penalty-case';
import type { EnforcementRecords } from '../../src/domain/records';
import type { Ledger } from '../../src/ledger/ledger';
import { witnessLedger } from '../../src/witness/ledger';

export const hash = nodeSuite.hash;
export const key = (label: string): Signer => exampleSigner(label, hash);

/** Witness `i`: name and deterministic signer. */
export function witnessKey(i: number): { name: string; signer: Signer; publicKey: Uint8Array } {
  const signer = createSigner(hash(utf8(`enforcement-ledger test witness ${i}`)));
  return { name: `witness-${i}.example`, signer, publicKey: signer.publicKey };
}

export function memoryWitnessStore() {
  const map = new Map<string, WitnessState>();
  return {
    map,
    get: async (o: string) => map.get(o),
    set: async (o: string, s: WitnessState) => void map.set(o, s),
  };
}

/** An in-process witness `i` following `ledger`, with its own memory state. */
export function inProcessWitness(ledger: Ledger, i: number, now = () => 1_772_000_000) {
  const w = witnessKey(i);
  const witness = new Witness({
    name: w.name,
    signer: w.signer,
    suite: nodeSuite,
    store: memoryWitnessStore(),
  });
  const logKeys = [
    { name: ledger.manifest.checkpointKey.name, publicKey: ledger.manifest.checkpointKey.publicKey },
  ];
  return {
    ...w,
    witness,
    client: (req: Parameters<Witness['addCheckpoint']>[0]) => witness.addCheckpoint(req, logKeys, now()),
  };
}

const dirs: string[] = [];
export async function tempDir(prefix = 'el-bundle-'): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export async function cleanup(): Promise<void> {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
}

export interface PenaltySetup {
  readonly records: EnforcementRecords;
  readonly ledger: Ledger;
  readonly caseId: string;
  readonly root: Signer;
  readonly archivist: Signer;
  /** Witnesses 1 and 2 cosigned the newest checkpoint (recorded in the ledger). */
  readonly witnesses: ReturnType<typeof inProcessWitness>[];
  /** Content files by hex digest. */
  readonly files: Map<string, Uint8Array>;
}

/** The penalty-case example, checkpointed and cosigned by `nWitnesses` witnesses. The caller closes the ledger. */
export async function penaltySetup(
  opts: { defects?: PenaltyCaseDefect[]; nWitnesses?: number } = {},
): Promise<PenaltySetup> {
  const dir = await tempDir();
  const files = new Map<string, Uint8Array>();
  const r = await buildPenaltyCase(dir, {
    keepOpen: true,
    defects: opts.defects ?? [],
    putContent: async (b) => {
      const ref = contentRefOfBytes(b, hash);
      files.set(toHex(ref.digest), b);
      return ref;
    },
  });
  const records = r.records!;
  const ledger = records.ledger;
  const root = key('root');
  await ledger.checkpoint();
  const witnesses = [];
  for (let i = 1; i <= (opts.nWitnesses ?? 2); i++) {
    const w = inProcessWitness(ledger, i);
    await witnessLedger(ledger, { witness: w, client: w.client, signer: root });
    witnesses.push(w);
  }
  return { records, ledger, caseId: r.caseId, root, archivist: key('P-sun'), witnesses, files };
}

export function policyOf(ws: ReadonlyArray<{ name: string; publicKey: Uint8Array }>, quorum = ws.length) {
  return { witnesses: ws.map((w) => ({ name: w.name, publicKey: w.publicKey })), quorum };
}

/** The codes of a bundle report's problems. */
export const codes = (r: BundleReport): string[] => r.problems.map((p) => p.code);

/** Each named check's status. */
export const statuses = (r: BundleReport): Record<string, string> =>
  Object.fromEntries(Object.values(r.checks).map((c) => [c.name, c.status]));

/** Re-signs a bundle whose payload was changed by `edit` (the exporter itself lying). */
export async function resign(
  bytes: Uint8Array,
  exporter: Signer,
  edit: (p: BundlePayload) => BundlePayload,
): Promise<Uint8Array> {
  const b = decodeBundle(bytes);
  const payloadBytes = encodePayload(edit(b.payload));
  const sig = await exporter.sign(bundleSigningMessage(payloadBytes));
  return encodeBundle(payloadBytes, new Uint8Array(Buffer.from(exporter.keyId, 'hex')), sig);
}
