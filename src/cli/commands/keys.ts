/**
 * `keys generate <name>` and `keys show <name|file>`: Ed25519 or SM2 keys (the folder's suite, or `--suite`) as
 * PKCS#8 PEM files (mode 0600), in the forms `openssl genpkey` writes. Both print the
 * key's C2SP verifier keys (c2sp.org/signed-note, `name+hexid+base64`) in the form `verify-bundle --witness` and
 * `--log-key` take, so that trust can be handed over by copy and paste: the witness key (cosignature/v1, type 0x04)
 * under the name the key cosigns as (`--witness-name`, default the key's name), and, for the folder's checkpoint key
 * (root), the log's key (Ed25519, type 0x01) under the log's origin.
 */
import { basename } from 'node:path';
import { bytesEqual, toHex } from '../../bytes';
import {
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  formatVerifierKey,
  isValidKeyName,
  noteKey,
} from '../../checkpoint';
import { writePrivateKeyFile } from '../../crypto/keyfile';
import { suiteById } from '../../crypto/node-registry';
import { SUITE_IDS, isSuiteId } from '../../crypto/registry';
import type { Signer, SuiteId } from '../../crypto/types';
import { SUITE_ID } from '../../ledger';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { keyPath, loadSigner, readConfig, suiteOfConfig, withFolder } from '../folder';
import type { Lang } from '../lang';
import type { OutputOf } from '../schemas';

export interface KeyOptions {
  /** The name the key cosigns checkpoints as (`witness cosign --name`); default the key's name. */
  readonly witnessName?: string;
}

/** `witness-a.example+1a2b3c4d+BA…`: the key as a witness's verifier key (verify-bundle --witness). */
export function witnessVerifierKey(name: string, publicKey: Uint8Array, suite: SuiteId = SUITE_ID): string {
  if (!isValidKeyName(name))
    throw new CliError('USAGE', `witness name ${JSON.stringify(name)}: no spaces, '+' or control characters`);
  return formatVerifierKey(noteKey(name, publicKey, SIG_COSIGNATURE_V1, suite));
}

function info(name: string, file: string, s: Signer, o: KeyOptions) {
  return {
    name,
    file,
    keyId: s.keyId,
    publicKey: toHex(s.publicKey),
    publicKeyPem: suiteById(s.suite).publicKeyToPem(s.publicKey),
    witnessKey: witnessVerifierKey(o.witnessName ?? name, s.publicKey, s.suite),
  };
}

/** The lines naming the verifier keys, ready to copy. */
function vkeyLines(l: Lang, witnessKey: string, logKey: string | null): string {
  const lines =
    l === 'zh'
      ? [`  见证方公钥（verify-bundle --witness）：${witnessKey}`]
      : [`  witness verifier key (verify-bundle --witness): ${witnessKey}`];
  if (logKey !== null)
    lines.push(
      l === 'zh'
        ? `  检查点公钥（verify-bundle --log-key）：${logKey}`
        : `  checkpoint verifier key (verify-bundle --log-key): ${logKey}`,
    );
  return lines.join('\n');
}

export async function keysGenerate(
  ctx: Ctx,
  name: string,
  opts: { force?: boolean; suite?: string } & KeyOptions,
): Promise<Outcome> {
  const file = keyPath(ctx.dir, name);
  const folderSuite = await readConfig(ctx.dir).then(suiteOfConfig, () => SUITE_ID);
  const suiteId = opts.suite ?? folderSuite;
  if (!isSuiteId(suiteId)) throw new CliError('USAGE', `--suite ${suiteId}: one of ${SUITE_IDS.join(', ')}`);
  const suite = suiteById(suiteId);
  const seed = suite.generatePrivateKey();
  const signer = suite.createSigner(seed);
  const data: Omit<OutputOf<'keys generate'>, 'format' | 'command'> = info(
    basename(name, '.pem'),
    file,
    signer,
    opts,
  );
  await writePrivateKeyFile(file, seed, { overwrite: opts.force === true, suite: suite.id });
  return {
    command: 'keys generate',
    exit: 0,
    data,
    human: (l) =>
      (l === 'zh'
        ? `已生成密钥 ${file}\n  密钥标识：${data.keyId}\n  公钥：${data.publicKey}\n`
        : `Generated key ${file}\n  key id: ${data.keyId}\n  public key: ${data.publicKey}\n`) +
      vkeyLines(l, data.witnessKey, null),
  };
}

export async function keysShow(
  ctx: Ctx,
  name: string,
  opts: KeyOptions & { verifierKey?: 'witness' | 'log' } = {},
): Promise<Outcome> {
  const file = keyPath(ctx.dir, name);
  const signer = await loadSigner(ctx.dir, file);
  // Registration as recorded in the ledger, when the key belongs to this folder's ledger.
  let registered: OutputOf<'keys show'>['registered'] = null;
  let logKey: string | null = null;
  const inFolder = await readConfig(ctx.dir).then(
    () => true,
    () => false,
  );
  if (inFolder)
    await withFolder(ctx, async (f) => {
      const ledger = f.records.ledger;
      const cp = ledger.manifest.checkpointKey;
      if (bytesEqual(cp.publicKey, signer.publicKey))
        logKey = formatVerifierKey(noteKey(cp.name, cp.publicKey, SIG_ED25519, ledger.suite.id));
      const k = ledger.keys.keys.get(signer.keyId);
      registered = k
        ? {
            principal: k.principal,
            roles: [...k.roles],
            registeredAt: k.registeredAt,
            revokedAt: k.revokedAt ?? null,
          }
        : null;
    });
  const data: Omit<OutputOf<'keys show'>, 'format' | 'command'> = {
    ...info(basename(name, '.pem'), file, signer, opts),
    logKey,
    registered,
  };
  const reg = (l: 'zh' | 'en') =>
    data.registered === null
      ? l === 'zh'
        ? '未在台账中登记'
        : 'not registered in this ledger'
      : `${data.registered.principal} [${data.registered.roles.join(', ')}]${data.registered.revokedAt !== null ? (l === 'zh' ? '（已撤销）' : ' (revoked)') : ''}`;
  if (opts.verifierKey === 'log' && data.logKey === null)
    throw new CliError('USAGE', `${file} is not this ledger's checkpoint key: it has no log verifier key`);
  // `--verifier-key`: that key alone, one line, for a script or a message to the inspector.
  const only =
    opts.verifierKey === 'log' ? data.logKey : opts.verifierKey === 'witness' ? data.witnessKey : null;
  return {
    command: 'keys show',
    exit: 0,
    data,
    human: (l) =>
      only ??
      (l === 'zh'
        ? `密钥 ${file}\n  密钥标识：${data.keyId}\n  公钥：${data.publicKey}\n  登记：${reg(l)}\n`
        : `Key ${file}\n  key id: ${data.keyId}\n  public key: ${data.publicKey}\n  registration: ${reg(l)}\n`) +
        vkeyLines(l, data.witnessKey, data.logKey),
  };
}
