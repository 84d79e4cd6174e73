import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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
