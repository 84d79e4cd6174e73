import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { utf8 } from '../../src/bytes';
import { signCheckpoint } from '../../src/checkpoint';
import type { Signer } from '../../src/crypto/types';
import { CompactRange, consistencyProofPlan, hashLeaf, materialize, type NodeId } from '../../src/merkle';
import { portableSuite } from '../../src/crypto/portable';

export { portableSuite as suite, createPortableSigner as signerFromSeed } from '../../src/crypto/portable';

export function vectors<T = any>(file: string): T {
  return JSON.parse(readFileSync(join(__dirname, '../vectors/c2sp', file), 'utf8')) as T;
}

export const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
export const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

/** Seed of a Go note private key `PRIVATE+KEY+<name>+<hash>+<base64(0x01 ‖ seed)>`. */
export function goSkeySeed(skey: string): Uint8Array {
  const raw = b64(skey.split('+').slice(4).join('+'));
  if (raw[0] !== 1 || raw.length !== 33) throw new Error('not an Ed25519 skey');
  return raw.subarray(1);
}

/** A log of `origin`: leaves, stored perfect nodes, checkpoints signed by `signer`, consistency proofs. */
export function makeSignedLog(origin: string, signer: Signer, prefix: string) {
  const suite = portableSuite;
  const nodes = new Map<string, Uint8Array>();
  const range = new CompactRange(suite.hash);
  const roots: Uint8Array[] = [suite.hash(new Uint8Array(0))];
  return {
    append(n: number) {
      for (let i = 0; i < n; i++) {
        for (const node of range.append(hashLeaf(suite.hash, utf8(`${prefix}${range.size}`))))
          nodes.set(`${node.level}/${node.index}`, node.hash);
        roots.push(range.root());
      }
    },
    note(size: number) {
      return signCheckpoint({ origin, size, rootHash: roots[size]! }, origin, signer);
    },
    proof(m: number, n: number) {
      if (m === 0 || m === n) return [];
      return materialize(
        suite.hash,
        consistencyProofPlan(m, n),
        (id: NodeId) => nodes.get(`${id.level}/${id.index}`)!,
      );
    },
  };
}
