/** `keys generate <name>` and `keys show <name|file>`: Ed25519 keys as PKCS#8 PEM files (mode 0600). */
import { basename } from 'node:path';
import { toHex } from '../../bytes';
import { generateSeed, publicKeyToSpkiPem } from '../../crypto/keys';
import { readPrivateKeyFile, writePrivateKeyFile } from '../../crypto/keyfile';
import { createSigner } from '../../crypto/signer';
import type { Signer } from '../../crypto/types';
import type { Ctx, Outcome } from '../context';
import { keyPath, readConfig, withFolder } from '../folder';
import type { OutputOf } from '../schemas';

function info(name: string, file: string, s: Signer) {
  return {
    name,
    file,
    keyId: s.keyId,
    publicKey: toHex(s.publicKey),
    publicKeyPem: publicKeyToSpkiPem(s.publicKey),
  };
}

export async function keysGenerate(ctx: Ctx, name: string, opts: { force?: boolean }): Promise<Outcome> {
  const file = keyPath(ctx.dir, name);
  const seed = generateSeed();
  await writePrivateKeyFile(file, seed, { overwrite: opts.force === true });
  const data: Omit<OutputOf<'keys generate'>, 'format' | 'command'> = info(name, file, createSigner(seed));
  return {
    command: 'keys generate',
    exit: 0,
    data,
    human: (l) =>
      l === 'zh'
        ? `已生成密钥 ${file}\n  密钥标识：${data.keyId}\n  公钥：${data.publicKey}`
        : `Generated key ${file}\n  key id: ${data.keyId}\n  public key: ${data.publicKey}`,
  };
}

export async function keysShow(ctx: Ctx, name: string): Promise<Outcome> {
  const file = keyPath(ctx.dir, name);
  const signer = createSigner(await readPrivateKeyFile(file));
  // Registration as recorded in the ledger, when the key belongs to this folder's ledger.
  let registered: OutputOf<'keys show'>['registered'] = null;
  const inFolder = await readConfig(ctx.dir).then(
    () => true,
    () => false,
  );
  if (inFolder)
    registered = await withFolder(ctx, async (f) => {
      const k = f.records.ledger.keys.keys.get(signer.keyId);
      return k
        ? {
            principal: k.principal,
            roles: [...k.roles],
            registeredAt: k.registeredAt,
            revokedAt: k.revokedAt ?? null,
          }
        : null;
    });
  const data: Omit<OutputOf<'keys show'>, 'format' | 'command'> = {
    ...info(basename(name, '.pem'), file, signer),
    registered,
  };
  const reg = (l: 'zh' | 'en') =>
    registered === null
      ? l === 'zh'
        ? '未在台账中登记'
        : 'not registered in this ledger'
      : `${registered.principal} [${registered.roles.join(', ')}]${registered.revokedAt !== null ? (l === 'zh' ? '（已撤销）' : ' (revoked)') : ''}`;
  return {
    command: 'keys show',
    exit: 0,
    data,
    human: (l) =>
      l === 'zh'
        ? `密钥 ${file}\n  密钥标识：${data.keyId}\n  公钥：${data.publicKey}\n  登记：${reg(l)}`
        : `Key ${file}\n  key id: ${data.keyId}\n  public key: ${data.publicKey}\n  registration: ${reg(l)}`,
  };
}
