/**
 * `init`: a new ledger folder with a root key, the enforcement, retention and access kinds declared and (optionally)
 * the agency record.
 */
import { mkdir, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { toHex } from '../../bytes';
import { SIG_ED25519, formatVerifierKey, noteKey } from '../../checkpoint';
import { JINCHENG_RULE_SET } from '../../compliance/rule-set';
import { writePrivateKeyFile } from '../../crypto/keyfile';
import { suiteById } from '../../crypto/node-registry';
import { SUITE_IDS, isSuiteId } from '../../crypto/registry';
import { EnforcementRecords } from '../../domain/records';
import { StorageError } from '../../errors';
import { Ledger, SUITE_ID } from '../../ledger';
import { isPostgresUrl } from '../../ledger/pg-store';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { FOLDER_FORMAT, type FolderConfig, folderKinds, folderPaths, keyPath, writeConfig } from '../folder';
import type { OutputOf } from '../schemas';

export interface InitOptions {
  readonly origin?: string;
  readonly agencyId?: string;
  readonly agencyName?: string;
  readonly region?: string;
  /** A postgres:// URL: the ledger lives there (recorded in config.json) instead of <dir>/ledger/. */
  readonly ledger?: string;
  /** The ledger's crypto suite: `ed25519-sha256` (default) or `sm2-sm3` (国密 SM2/SM3). */
  readonly suite?: string;
}

const RULE_SETS = new Map([[JINCHENG_RULE_SET.name, JINCHENG_RULE_SET]]);

export async function init(ctx: Ctx, opts: InitOptions, ruleSet = JINCHENG_RULE_SET.name): Promise<Outcome> {
  if (!RULE_SETS.has(ruleSet))
    throw new CliError('USAGE', `unknown rule set ${ruleSet} (known: ${[...RULE_SETS.keys()].join(', ')})`);
  if ((opts.agencyId === undefined) !== (opts.agencyName === undefined))
    throw new CliError('USAGE', '--agency-id and --agency-name go together');
  if (opts.ledger !== undefined && !isPostgresUrl(opts.ledger))
    throw new CliError('USAGE', '--ledger takes a postgres:// or postgresql:// URL');
  const suiteId = opts.suite ?? SUITE_ID;
  if (!isSuiteId(suiteId)) throw new CliError('USAGE', `--suite ${suiteId}: one of ${SUITE_IDS.join(', ')}`);
  const suite = suiteById(suiteId);
  const dir = ctx.dir;
  const p = folderPaths(dir);
  if (await stat(p.config).catch(() => undefined))
    throw new StorageError('STORAGE_EXISTS', `${dir} already holds a ledger folder`);
  const origin = opts.origin ?? `enforcement-ledger.local/${basename(resolve(dir))}`;
  await mkdir(p.keys, { recursive: true, mode: 0o700 });
  await mkdir(p.content, { recursive: true });
  const privateKey = suite.generatePrivateKey();
  const rootFile = keyPath(dir, 'root');
  await writePrivateKeyFile(rootFile, privateKey, { suite: suite.id });
  const root = suite.createSigner(privateKey);
  // The enforcement, retention and access kinds, declared with the manifest.
  const ledger = await Ledger.create(opts.ledger ?? p.ledger, {
    origin,
    signer: root,
    kinds: folderKinds(),
    clock: ctx.clock,
    attributes: {
      ruleSet,
      ...(opts.agencyName !== undefined ? { agency: opts.agencyName } : {}),
    },
  });
  const er = new EnforcementRecords(ledger);
  try {
    if (opts.agencyId !== undefined && opts.agencyName !== undefined)
      await er.registerAgency(
        { agencyId: opts.agencyId, name: opts.agencyName, ...(opts.region ? { region: opts.region } : {}) },
        root,
      );
    const config: FolderConfig = {
      format: FOLDER_FORMAT,
      origin,
      ...(opts.agencyId !== undefined ? { agencyId: opts.agencyId } : {}),
      ...(opts.agencyName !== undefined ? { agencyName: opts.agencyName } : {}),
      ruleSet,
      suite: suite.id,
      createdAt: new Date().toISOString(),
      ...(opts.ledger !== undefined ? { ledger: opts.ledger } : {}),
    };
    await writeConfig(dir, config);
    const data: Omit<OutputOf<'init'>, 'format' | 'command'> = {
      dir,
      origin,
      ledgerId: toHex(er.ledger.ledgerId),
      size: er.ledger.size,
      rootKey: { file: rootFile, keyId: root.keyId, publicKey: toHex(root.publicKey) },
      checkpointKey: formatVerifierKey(noteKey(origin, root.publicKey, SIG_ED25519, suite.id)),
    };
    return {
      command: 'init',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? `已创建台账 ${dir}\n  origin：${origin}\n  台账标识：${data.ledgerId}\n  根密钥：${rootFile}（${root.keyId}）\n  检查点公钥（verify-bundle --log-key）：${data.checkpointKey}`
          : `Created ledger folder ${dir}\n  origin: ${origin}\n  ledger id: ${data.ledgerId}\n  root key: ${rootFile} (${root.keyId})\n  checkpoint verifier key (verify-bundle --log-key): ${data.checkpointKey}`,
    };
  } finally {
    await er.ledger.close();
  }
}
