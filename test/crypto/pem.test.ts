/** PEM forms of Ed25519 keys (RFC 8410, RFC 7468): round trip, OpenSSL interop both ways, strict rejection. */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, toBase64, toHex } from '../../src/bytes';
import {
  pkcs8PemToSeed,
  publicKeyFromSeed,
  publicKeyToSpkiPem,
  seedToPkcs8Pem,
  spkiPemToPublicKey,
} from '../../src/crypto/keys';
import { nodeSuite } from '../../src/crypto/node';
import { createPortableSigner } from '../../src/crypto/portable';

const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));
const dir = mkdtempSync(join(tmpdir(), 'el-pem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], input?: string): string {
  const r = spawnSync(OPENSSL!, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}
/** The colon-separated hex block after `label:` in `openssl pkey -text` output. */
function textField(out: string, label: string): string {
  const m = new RegExp(`^${label}:\\n((?:\\s+[0-9a-f:]+\\n)+)`, 'm').exec(out);
  if (!m) throw new Error(`no ${label} in ${out}`);
  return m[1]!.replace(/[\s:]/g, '');
}

const SEED = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'); // RFC 8032 §7.1 TEST 1
const PUB = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a';

const badCode = (run: () => unknown) =>
  expect(run).toThrow(expect.objectContaining({ name: 'CryptoError', code: 'CRYPTO_BAD_PEM' }));

describe('PEM round trip', () => {
  it('seed → PKCS#8 PEM → seed, and public key → SPKI PEM → public key', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (seed) => {
        const pem = seedToPkcs8Pem(seed);
        expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[A-Za-z0-9+/]{64}\n-----END PRIVATE KEY-----\n$/);
        expect(toHex(pkcs8PemToSeed(pem))).toBe(toHex(seed));
        const pub = publicKeyFromSeed(seed);
        expect(toHex(spkiPemToPublicKey(publicKeyToSpkiPem(pub)))).toBe(toHex(pub));
      }),
      { numRuns: 200 },
    );
  });

  it('accepts CRLF line ends and a missing final line end', () => {
    const pem = seedToPkcs8Pem(SEED);
    expect(toHex(pkcs8PemToSeed(pem.replace(/\n/g, '\r\n')))).toBe(toHex(SEED));
    expect(toHex(pkcs8PemToSeed(pem.trimEnd()))).toBe(toHex(SEED));
  });
});

describe.skipIf(OPENSSL === undefined)('OpenSSL interop', () => {
  it('openssl reads our private key PEM: same seed and public key (RFC 8032 TEST 1)', () => {
    const path = join(dir, 'ours.pem');
    writeFileSync(path, seedToPkcs8Pem(SEED));
    const out = openssl(['pkey', '-in', path, '-noout', '-text']);
    expect(out).toMatch(/^ED25519 Private-Key:/);
    expect(textField(out, 'priv')).toBe(toHex(SEED));
    expect(textField(out, 'pub')).toBe(PUB);
  });

  it('openssl reads our public key PEM', () => {
    const path = join(dir, 'ours.pub.pem');
    writeFileSync(path, publicKeyToSpkiPem(fromHex(PUB)));
    const out = openssl(['pkey', '-pubin', '-in', path, '-noout', '-text']);
    expect(out).toMatch(/^ED25519 Public-Key:/);
    expect(textField(out, 'pub')).toBe(PUB);
  });

  it('keys made by openssl genpkey import; public key matches openssl pkey -pubout; signatures agree', async () => {
    for (let i = 0; i < 5; i++) {
      const keyPath = join(dir, `gen${i}.pem`);
      openssl(['genpkey', '-algorithm', 'ed25519', '-out', keyPath]);
      const seed = pkcs8PemToSeed(openssl(['pkey', '-in', keyPath]));
      const pubPem = openssl(['pkey', '-in', keyPath, '-pubout']);
      expect(toHex(publicKeyFromSeed(seed))).toBe(toHex(spkiPemToPublicKey(pubPem)));
      expect(publicKeyToSpkiPem(publicKeyFromSeed(seed))).toBe(pubPem);

      // an OpenSSL signature (pkeyutl -rawin) equals ours and verifies
      const msgPath = join(dir, `msg${i}`);
      const sigPath = join(dir, `sig${i}`);
      writeFileSync(msgPath, `message ${i}`);
      const r = spawnSync(OPENSSL!, [
        'pkeyutl',
        '-sign',
        '-rawin',
        '-inkey',
        keyPath,
        '-in',
        msgPath,
        '-out',
        sigPath,
      ]);
      expect(r.status).toBe(0);
      const theirs = new Uint8Array(readFileSync(sigPath));
      const message = new TextEncoder().encode(`message ${i}`);
      const ours = await createPortableSigner(seed).sign(message);
      expect(toHex(ours)).toBe(toHex(theirs));
      expect(nodeSuite.verify(publicKeyFromSeed(seed), message, theirs)).toBe(true);
    }
  });
});

describe('strict rejection: CryptoError CRYPTO_BAD_PEM', () => {
  const good = seedToPkcs8Pem(SEED);
  const body = good.split('\n')[1]!;
  const der = fromHex(`302e020100300506032b657004220420${toHex(SEED)}`);
  const wrap = (label: string, b64: string) => `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;

  it('garbage, empty and truncated text', () => {
    badCode(() => pkcs8PemToSeed(''));
    badCode(() => pkcs8PemToSeed('hello world'));
    badCode(() => pkcs8PemToSeed(good.slice(0, good.length - 10)));
    badCode(() => pkcs8PemToSeed(good.slice(0, 40)));
    badCode(() => pkcs8PemToSeed(wrap('PRIVATE KEY', body.slice(0, 60)))); // truncated DER
    badCode(() => pkcs8PemToSeed(wrap('PRIVATE KEY', body.slice(0, 62)))); // not a multiple of 4
    badCode(() => pkcs8PemToSeed(wrap('PRIVATE KEY', '!!!!')));
  });

  it('wrong OID (X25519 1.3.101.110, Ed448 1.3.101.113), wrong version, wrong lengths', () => {
    const variant = (hexPrefix: string, len = 32) =>
      wrap('PRIVATE KEY', toBase64(fromHex(hexPrefix + toHex(SEED).slice(0, 2 * len))));
    badCode(() => pkcs8PemToSeed(variant('302e020100300506032b656e04220420'))); // X25519
    badCode(() => pkcs8PemToSeed(variant('302e020100300506032b657104220420'))); // Ed448 OID
    badCode(() => pkcs8PemToSeed(variant('302e020101300506032b657004220420'))); // version 1 (v2) without [1]
    badCode(() => pkcs8PemToSeed(variant('302d020100300506032b657004210420', 31))); // 31-byte seed
    badCode(() => pkcs8PemToSeed(wrap('PRIVATE KEY', toBase64(new Uint8Array([...der, 0])))));
    expect(toHex(pkcs8PemToSeed(wrap('PRIVATE KEY', toBase64(der))))).toBe(toHex(SEED)); // control
  });

  it('wrong label, label mismatch, a public key where a private key is expected and vice versa', () => {
    badCode(() => pkcs8PemToSeed(good.replace(/PRIVATE KEY/g, 'EC PRIVATE KEY')));
    badCode(() => pkcs8PemToSeed(good.replace('END PRIVATE', 'END PUBLIC')));
    badCode(() => pkcs8PemToSeed(publicKeyToSpkiPem(fromHex(PUB))));
    badCode(() => spkiPemToPublicKey(good));
    badCode(() => spkiPemToPublicKey(wrap('PUBLIC KEY', toBase64(der))));
  });

  it('text around the block, blank or indented lines, over-long lines, non-canonical base64', () => {
    badCode(() => pkcs8PemToSeed(`comment\n${good}`));
    badCode(() => pkcs8PemToSeed(`${good}\n`));
    badCode(() => pkcs8PemToSeed(` ${good}`));
    badCode(() => pkcs8PemToSeed(good.replace(body, ` ${body}`)));
    badCode(() => pkcs8PemToSeed(good.replace(body, `${body.slice(0, 32)}\n${body.slice(32)}`)));
    const pub = publicKeyToSpkiPem(fromHex(PUB));
    const pubBody = pub.split('\n')[1]!; // 44 DER bytes: 60 characters ending in one '=', 2 trailing bits zero
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const last = ALPHABET.indexOf(pubBody[58]!);
    expect(last & 3).toBe(0);
    const nonCanonical = pub.replace(pubBody, `${pubBody.slice(0, 58)}${ALPHABET[last + 1]}=`);
    badCode(() => spkiPemToPublicKey(nonCanonical));
    expect(() => spkiPemToPublicKey(nonCanonical)).toThrow(
      expect.objectContaining({
        cause: expect.objectContaining({ message: expect.stringMatching(/trailing bits/) }),
      }),
    );
    badCode(() => pkcs8PemToSeed('A'.repeat(20000)));
  });

  it('TypeError for a non-string', () => {
    expect(() => pkcs8PemToSeed(new Uint8Array(3) as unknown as string)).toThrow(TypeError);
  });
});
