/**
 * `sm2-sm3` against OpenSSL 3's command line, both directions: key files (`openssl genpkey … ec_paramgen_curve:SM2`
 * loads here, ours load there), signatures (`openssl pkeyutl -rawin -digest sm3 -pkeyopt distid:1234567812345678`
 * verifies ours, we verify its), and DER signature conversion. Also shows that the user id is what makes it work:
 * with another id OpenSSL refuses our signature.
 */

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromHex, toHex, utf8 } from '../../src/bytes';
import { nodeSm2Suite } from '../../src/crypto/node-sm2';
import { createPooledSigner } from '../../src/crypto/pool-signer';
import {
  sm2PrivateKeyFromPem,
  sm2PrivateKeyToPem,
  sm2PublicKeyFromPem,
  sm2PublicKeyToPem,
  sm2SignatureFromDer,
  sm2SignatureToDer,
} from '../../src/crypto/sm2-keys';
import { portableSm2Suite } from '../../src/crypto/sm2-suite';

const dir = mkdtempSync(join(tmpdir(), 'el-sm2-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openssl(
  args: string[],
  input?: Uint8Array | string,
): { status: number | null; out: string; err: string } {
  const r = spawnSync('openssl', args, { input, encoding: 'utf8' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}
function ok(args: string[], input?: Uint8Array | string): string {
  const r = openssl(args, input);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.err}`);
  return r.out;
}
const file = (name: string, data: Uint8Array | string): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
const DISTID = ['-pkeyopt', 'distid:1234567812345678'];
/** `openssl pkeyutl -verify` of an SM2 signature (DER) over the file `msgPath`, with SM3 and the distinguishing id. */
const opensslSm2Verify = (pubPath: string, msgPath: string, sigPath: string, id = '1234567812345678') =>
  openssl([
    'pkeyutl',
    '-verify',
    '-pubin',
    '-inkey',
    pubPath,
    '-rawin',
    '-digest',
    'sm3',
    '-in',
    msgPath,
    '-sigfile',
    sigPath,
    '-pkeyopt',
    `distid:${id}`,
  ]);

describe('SM2 key files with OpenSSL 3', () => {
  it('loads a key OpenSSL generates, with the same public key OpenSSL derives', () => {
    const keyPath = join(dir, 'openssl-key.pem');
    ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', keyPath]);
    const d = sm2PrivateKeyFromPem(readFileSync(keyPath, 'utf8'));
    const pubPem = ok(['pkey', '-in', keyPath, '-pubout']);
    expect(toHex(sm2PublicKeyFromPem(pubPem))).toBe(toHex(nodeSm2Suite.publicKeyFromPrivateKey(d)));
    // Our encoding of the same key is byte-identical to OpenSSL's.
    expect(sm2PrivateKeyToPem(d)).toBe(readFileSync(keyPath, 'utf8'));
    expect(sm2PublicKeyToPem(sm2PublicKeyFromPem(pubPem))).toBe(pubPem);
  });

  it('writes keys OpenSSL reads as SM2 and checks', () => {
    const d = nodeSm2Suite.generatePrivateKey();
    const keyPath = file('ours.pem', sm2PrivateKeyToPem(d));
    const text = ok(['pkey', '-in', keyPath, '-noout', '-text']);
    expect(text).toMatch(/ASN1 OID: SM2/);
    expect(text.match(/priv:\n((?:\s+[0-9a-f:]+\n)+)/)![1]!.replace(/[\s:]/g, '')).toBe(toHex(d));
    ok(['pkey', '-in', keyPath, '-check', '-noout']);
    const pubPath = file('ours.pub.pem', sm2PublicKeyToPem(nodeSm2Suite.publicKeyFromPrivateKey(d)));
    expect(ok(['pkey', '-pubin', '-in', pubPath, '-noout', '-text'])).toMatch(/ASN1 OID: SM2/);
  });

  it('loads a key without the optional public key (openssl ec -no_public)', () => {
    const keyPath = join(dir, 'np.pem');
    ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', keyPath]);
    const bare = ok(['ec', '-in', keyPath, '-no_public']);
    const pk8 = ok(['pkcs8', '-topk8', '-nocrypt'], bare);
    expect(toHex(sm2PrivateKeyFromPem(pk8))).toBe(toHex(sm2PrivateKeyFromPem(readFileSync(keyPath, 'utf8'))));
  });

  it('refuses a P-256 key, an Ed25519 key and a key file whose public key is not its own', () => {
    const bad = (pem: string) =>
      expect(() => sm2PrivateKeyFromPem(pem)).toThrow(expect.objectContaining({ code: 'CRYPTO_BAD_PEM' }));
    bad(ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']));
    bad(ok(['genpkey', '-algorithm', 'ed25519']));
    // Swap in another key's public point: same structure, wrong key.
    const a = sm2PrivateKeyToPem(nodeSm2Suite.generatePrivateKey());
    const b = sm2PrivateKeyToPem(nodeSm2Suite.generatePrivateKey());
    const der = (p: string) => Buffer.from(p.split('\n').slice(1, -2).join(''), 'base64');
    const mixed = Buffer.concat([der(a).subarray(0, 73), der(b).subarray(73)]);
    bad(
      `-----BEGIN PRIVATE KEY-----\n${mixed.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END PRIVATE KEY-----\n`,
    );
  });
});

describe('SM2 signatures with OpenSSL 3 (distid 1234567812345678)', () => {
  const msg = utf8('晋城市卫生健康委员会 行政处罚决定书 第 1 号\n');
  const msgPath = file('msg.txt', msg);

  for (const [name, suite] of Object.entries({ node: nodeSm2Suite, portable: portableSm2Suite })) {
    it(`OpenSSL verifies our signatures, and refuses them under another id (${name})`, async () => {
      const d = suite.generatePrivateKey();
      const pubPath = file(`${name}.pub.pem`, suite.publicKeyToPem(suite.publicKeyFromPrivateKey(d)));
      const sig = await suite.createSigner(d).sign(msg);
      const sigPath = file(`${name}.sig`, sm2SignatureToDer(sig));
      const verify = (id: string) => opensslSm2Verify(pubPath, msgPath, sigPath, id);
      expect(verify('1234567812345678').out).toMatch(/Signature Verified Successfully/);
      expect(verify('1234567812345679').status).not.toBe(0);
    });
  }

  it('OpenSSL verifies the signatures of the pooled SM2 signer, made on worker threads', async () => {
    const d = nodeSm2Suite.generatePrivateKey();
    const pubPath = file(
      'pooled.pub.pem',
      nodeSm2Suite.publicKeyToPem(nodeSm2Suite.publicKeyFromPrivateKey(d)),
    );
    const pooled = createPooledSigner(d, { threads: 2, suite: 'sm2-sm3' });
    const msgs = [0, 1, 2, 3].map((i) => utf8(`晋城市卫生健康委员会 行政处罚决定书 第 ${i} 号\n`));
    let sigs: Uint8Array[];
    try {
      // Four at once: a group, split over the workers.
      sigs = await Promise.all(msgs.map((m) => pooled.sign(m)));
      expect(pooled.usesWorkers).toBe(true);
    } finally {
      await pooled.close();
    }
    msgs.forEach((m, i) => {
      const verify = (sig: Uint8Array) =>
        opensslSm2Verify(
          pubPath,
          file(`pooled-${i}.txt`, m),
          file(`pooled-${i}.sig`, sm2SignatureToDer(sig)),
        );
      expect(verify(sigs[i]!).out).toMatch(/Signature Verified Successfully/);
      // Another message's signature does not verify.
      expect(verify(sigs[(i + 1) % sigs.length]!).status).not.toBe(0);
    });
  });

  it('we verify signatures OpenSSL makes, and refuse them on another message', () => {
    const keyPath = join(dir, 'signer.pem');
    ok(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2', '-out', keyPath]);
    const pub = sm2PublicKeyFromPem(ok(['pkey', '-in', keyPath, '-pubout']));
    for (let i = 0; i < 4; i++) {
      const sigPath = join(dir, `openssl-${i}.sig`);
      ok([
        'pkeyutl',
        '-sign',
        '-inkey',
        keyPath,
        '-rawin',
        '-digest',
        'sm3',
        '-in',
        msgPath,
        '-out',
        sigPath,
        ...DISTID,
      ]);
      const sig = sm2SignatureFromDer(readFileSync(sigPath));
      expect(toHex(sm2SignatureToDer(sig))).toBe(readFileSync(sigPath).toString('hex'));
      for (const suite of [nodeSm2Suite, portableSm2Suite]) {
        expect(suite.verify(pub, msg, sig)).toBe(true);
        expect(suite.verify(pub, utf8('another message'), sig)).toBe(false);
      }
    }
  });
});

describe('DER SM2Signature conversion', () => {
  const bad = (hex: string) =>
    expect(() => sm2SignatureFromDer(fromHex(hex))).toThrow(
      expect.objectContaining({ code: 'CRYPTO_BAD_SIGNATURE' }),
    );

  it('round-trips small and high-bit values with minimal INTEGERs', () => {
    const raw = new Uint8Array(64);
    raw[31] = 1;
    raw[32] = 0x80;
    const der = sm2SignatureToDer(raw);
    expect(toHex(der)).toBe(`3026020101022100${'80'.padEnd(64, '0')}`);
    expect(toHex(sm2SignatureFromDer(der))).toBe(toHex(raw));
  });

  it('refuses non-minimal, negative, oversized, trailing and BER forms', () => {
    bad('300702020001020101'); // r = 0x0001, non-minimal
    bad('3006020180020101'); // r negative
    bad(`3025022101${'00'.repeat(32)}020101`); // r 33 bytes without a sign pad
    bad('300602010102010100'); // trailing byte
    bad('3080020101020101'); // indefinite length
    bad('308106020101020101'); // non-minimal length form
  });
});
