/**
 * `demo [folder]`: builds the penalty case (src/domain/example-penalty-case) in a ledger folder with its media in
 * the content store, writes the example keys, signs a checkpoint, verifies everything and runs the compliance
 * rules. `--defect` injects the example's defects (e.g. unexcused_gap). Exit 1 when a problem is found.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SIG_ED25519, formatVerifierKey, noteKey } from '../../checkpoint';
import { toHex, utf8 } from '../../bytes';
import { JINCHENG_RULE_SET } from '../../compliance/rule-set';
import { declareArchiveKinds } from '../../access/archive';
import { writePrivateKeyFile } from '../../crypto/keyfile';
import { suiteById } from '../../crypto/node-registry';
import { SUITE_IDS, isSuiteId } from '../../crypto/registry';
import { SUITE_ID } from '../../ledger';
import { FsContentStore, verifyContent } from '../../content';
import {
  PENALTY_CASE_DEFECTS,
  type PenaltyCaseDefect,
  buildPenaltyCase,
} from '../../domain/example-penalty-case';
import { StorageError } from '../../errors';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { FOLDER_FORMAT, folderPaths, keyPath, writeConfig } from '../folder';
import { checkCases } from '../report/from-ledger';
import type { OutputOf } from '../schemas';
import { nextHint } from './next';

/** Labels of the example's keys (exampleSigner): written as <folder>/keys/<label>.pem. */
const EXAMPLE_KEYS = ['root', 'P-wang', 'P-li', 'P-zhao', 'P-chen', 'P-sun', 'BC-0107', 'BC-0108'];

export async function demo(ctx: Ctx, opts: { defect?: readonly string[]; suite?: string }): Promise<Outcome> {
  const suiteId = opts.suite ?? SUITE_ID;
  if (!isSuiteId(suiteId)) throw new CliError('USAGE', `--suite ${suiteId}: one of ${SUITE_IDS.join(', ')}`);
  const suite = suiteById(suiteId);
  const defects = (opts.defect ?? []) as PenaltyCaseDefect[];
  for (const d of defects)
    if (!PENALTY_CASE_DEFECTS.includes(d))
      throw new CliError('USAGE', `--defect ${d}: one of ${PENALTY_CASE_DEFECTS.join(', ')}`);
  const dir = ctx.dir;
  const p = folderPaths(dir);
  if (await stat(p.config).catch(() => undefined))
    throw new StorageError('STORAGE_EXISTS', `${dir} already holds a ledger folder`);
  await mkdir(p.keys, { recursive: true, mode: 0o700 });
  const store = await FsContentStore.open(p.content, { suite: suite.id });
  const built = await buildPenaltyCase(p.ledger, {
    suite: suite.id,
    defects,
    keepOpen: true,
    putContent: (bytes) =>
      store.put(
        (async function* () {
          yield bytes;
        })(),
      ),
  });
  const er = built.records!;
  try {
    // The example's private keys (exampleSigner): the suite's hash of the label's text.
    const keyOf = (label: string) => suite.hash(utf8(`enforcement-ledger example key: ${label}`));
    for (const label of EXAMPLE_KEYS)
      await writePrivateKeyFile(keyPath(dir, label), keyOf(label), { suite: suite.id });
    // The retention and access kinds, as `init` declares them: the folder supports `retention` and `retrieve`.
    await declareArchiveKinds(er.ledger, suite.createSigner(keyOf('root')));
    await writeConfig(dir, {
      format: FOLDER_FORMAT,
      origin: er.ledger.origin,
      agencyId: 'jc-wjw',
      agencyName: '晋城市卫生健康委员会',
      ruleSet: JINCHENG_RULE_SET.name,
      suite: suite.id,
      createdAt: new Date().toISOString(),
    });
    const note = await er.ledger.checkpoint();
    await writeFile(join(dir, 'checkpoint.txt'), note);
    const v = await er.ledger.verify();
    let files = 0;
    let ok = 0;
    for await (const e of er.ledger.entries())
      for (const ref of e.content) {
        files++;
        if ((await verifyContent(store, ref)).status === 'ok') ok++;
      }
    const [c] = await checkCases(er, [built.caseId]);
    const findings = c!.report.findings.map((f) => ({
      article: f.article,
      code: f.code,
      severity: f.severity,
    }));
    const data: Omit<OutputOf<'demo'>, 'format' | 'command'> = {
      dir,
      caseId: built.caseId,
      defects,
      size: er.ledger.size,
      root: toHex(await er.ledger.root()),
      checkpoint: join(dir, 'checkpoint.txt'),
      checkpointKey: formatVerifierKey(
        noteKey(
          er.ledger.manifest.checkpointKey.name,
          er.ledger.manifest.checkpointKey.publicKey,
          SIG_ED25519,
          suite.id,
        ),
      ),
      verify: { ok: v.ok, problems: v.problems.length },
      content: { files, ok },
      compliance: { compliant: c!.report.compliant, findings },
    };
    const clean = v.ok && ok === files && c!.report.compliant;
    return {
      command: 'demo',
      exit: clean ? 0 : 1,
      data,
      human: (l) => {
        const zh = l === 'zh';
        return [
          zh
            ? `演示台账：${dir}（案件 ${built.caseId}，${data.size} 条记录）`
            : `Demo ledger: ${dir} (case ${built.caseId}, ${data.size} entries)`,
          `  root ${data.root}`,
          zh ? `  检查点：${data.checkpoint}` : `  checkpoint: ${data.checkpoint}`,
          zh
            ? `  检查点公钥（verify-bundle --log-key）：${data.checkpointKey}`
            : `  checkpoint verifier key (verify-bundle --log-key): ${data.checkpointKey}`,
          zh
            ? `  核验：${v.ok ? '通过' : `${v.problems.length} 项问题`}；文件 ${ok}/${files} 完好`
            : `  verify: ${v.ok ? 'ok' : `${v.problems.length} problem(s)`}; files intact ${ok}/${files}`,
          `  ${zh ? c!.report.summary.zh : c!.report.summary.en}`,
          ...c!.report.findings.map(
            (f) =>
              `    ${zh ? `第${f.article}条` : `Art. ${f.article}`} ${f.code}${zh ? '：' : ': '}${zh ? f.message.zh : f.message.en}`,
          ),
          nextHint(l, dir, ['verify', '--content']),
        ].join('\n');
      },
    };
  } finally {
    await er.ledger.close();
  }
}
