/**
 * The `sm2-sm3` suite (GB/T 32918 SM2 signatures with the GM/T 0009 default user id, GB/T 32905 SM3 for every
 * hash), built for a given SM3 implementation. `portableSm2Suite` (here, no node: imports) runs in browsers;
 * `nodeSm2Suite` (node-sm2.ts) uses OpenSSL's SM3. Signature code is sm-crypto-v2's in both (sm2.ts).
 */

import { toHex, utf8 } from '../bytes';
import { createSm2Signer, generateSm2PrivateKey, sm2PublicKey, sm2Verifier } from './sm2';
import { sm2PrivateKeyFromPem, sm2PrivateKeyToPem, sm2PublicKeyFromPem, sm2PublicKeyToPem } from './sm2-keys';
import { PRIVATE_KEY_LENGTH, PUBLIC_KEY_LENGTH, SIGNATURE_LENGTH, checkPublicKey } from './sm2-strict';
import { portableSm3 } from './sm3';
import type { CryptoSuite, HashFn } from './types';

/**
 * C2SP signed-note signature types. SM2 has no assigned byte, so these use the spec's provision for such types:
 * 0xff followed by an identifier unlikely to collide (c2sp.org/signed-note "Signature types").
 */
export const SM2_NOTE_SIGNATURE_TYPE = `ff${toHex(utf8('enforcement-ledger/sm2-sm3/checkpoint'))}`;
export const SM2_COSIGNATURE_TYPE = `ff${toHex(utf8('enforcement-ledger/sm2-sm3/cosignature'))}`;

export function makeSm2Sm3Suite(sm3: HashFn): CryptoSuite {
  const keyId = (publicKey: Uint8Array): string => {
    checkPublicKey(publicKey);
    return toHex(sm3(publicKey));
  };
  return Object.freeze({
    id: 'sm2-sm3' as const,
    hashName: 'SM3',
    signatureName: 'SM2',
    hashLength: 32,
    publicKeyLength: PUBLIC_KEY_LENGTH,
    privateKeyLength: PRIVATE_KEY_LENGTH,
    signatureLength: SIGNATURE_LENGTH,
    hash: sm3,
    verify: sm2Verifier(sm3),
    keyId,
    checkPublicKey,
    noteSignatureType: SM2_NOTE_SIGNATURE_TYPE,
    cosignatureType: SM2_COSIGNATURE_TYPE,
    generatePrivateKey: generateSm2PrivateKey,
    publicKeyFromPrivateKey: sm2PublicKey,
    createSigner: (privateKey: Uint8Array) => createSm2Signer(privateKey, sm3, keyId),
    privateKeyToPem: sm2PrivateKeyToPem,
    privateKeyFromPem: sm2PrivateKeyFromPem,
    publicKeyToPem: sm2PublicKeyToPem,
    publicKeyFromPem: sm2PublicKeyFromPem,
  });
}

export const portableSm2Suite: CryptoSuite = makeSm2Sm3Suite(portableSm3);
