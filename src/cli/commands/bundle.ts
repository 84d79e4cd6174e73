/**
 * `export-bundle`: a signed proof bundle of cases (or of a reproducible sample) against the newest (cosigned)
 * checkpoint. `verify-bundle <file>`: offline verification, as a checklist; `--html` writes the inspector's report.
 * `sample`: which cases an inspector's nonce draws at a checkpoint (docs/FORMAT.md §Sampling).
 * A file that is not a readable bundle (garbage, truncated, unknown version) is an error line, exit 2.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fromHex, toHex } from '../../bytes';
import { type BundleReport, caseIdsAt, exportBundle, selectSample, verifyBundle } from '../../bundles';
import { BUNDLE_CHECKS, type CheckStatus } from '../../bundles/verify';
import { MIN_NONCE_BYTES } from '../../bundles/sample';
import { noteText, parseVerifierKey } from '../../checkpoint';
import { suiteById } from '../../crypto/node-registry';
import { SUITE_ID } from '../../ledger';
import { describeProblem } from '../../problems';
import { cosignedCheckpoint } from '../../witness';
import type { Ctx, Outcome } from '../context';
import { CliError, EXIT } from '../exit';
import { loadSigner, openStore, withFolder } from '../folder';
import { renderHtmlReport } from '../report/html';
import { BUNDLE_CHECK_LABELS, bundleInspectionReport, bundleTimelines } from '../report/from-bundle';
import type { CaseTimeline, InspectionReport } from '../report/model';
import type { OutputOf } from '../schemas';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

function nonceOf(hex: string | undefined): Uint8Array {
  if (hex === undefined) return new Uint8Array(randomBytes(MIN_NONCE_BYTES));
  if (!HEX.test(hex)) throw new CliError('USAGE', '--nonce must be hex');
  return fromHex(hex.toLowerCase());
}

const count = (s: string | undefined, flag: string): number => {
  if (s === undefined || !/^[1-9]\d*$/.test(s))
    throw new CliError('USAGE', `${flag} must be a positive integer`);
  return Number(s);
};

function vkey(s: string, flag: string) {
  try {
    const k = parseVerifierKey(s.trim());
    return { name: k.name, publicKey: k.publicKey };
  } catch (err) {
    throw new CliError('USAGE', `${flag}: not a verifier key (name+keyid+base64): ${(err as Error).message}`);
  }
}

export interface ExportBundleOptions {
  readonly out: string;
  readonly case?: readonly string[];
  readonly sample?: string;
  readonly nonce?: string;
  readonly key: string;
  readonly checkpoint?: string;
  readonly inspectorSize?: string;
  readonly content?: boolean;
}

export async function exportBundleCmd(ctx: Ctx, o: ExportBundleOptions): Promise<Outcome> {
  if ((o.case?.length ?? 0) === 0 && o.sample === undefined)
    throw new CliError('USAGE', 'give --case <id> (repeatable) or --sample <k>');
  if ((o.case?.length ?? 0) > 0 && o.sample !== undefined)
    throw new CliError('USAGE', '--case and --sample exclude each other');
  const exporter = await loadSigner(ctx.dir, o.key);
  const note = o.checkpoint === undefined ? undefined : await readFile(o.checkpoint, 'utf8');
  const store = o.content ? await openStore(ctx.dir) : undefined;
  const nonce = o.sample === undefined ? undefined : nonceOf(o.nonce);
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    const bar = ctx.progress({ label: 'export', total: 1, unit: 'files' });
    let files = 0;
    let bytes: Uint8Array;
    try {
      bytes = await exportBundle(ledger, {
        exporter,
        ...(o.sample !== undefined
          ? { sample: { nonce: nonce!, k: count(o.sample, '--sample') } }
          : { caseIds: o.case! }),
        ...(note !== undefined ? { checkpoint: note } : {}),
        ...(o.inspectorSize !== undefined
          ? { inspectorSize: count(o.inspectorSize, '--inspector-size') }
          : {}),
        ...(store
          ? {
              content: async (ref) => {
                bar.update(++files, files + 1);
                const parts: Uint8Array[] = [];
                for await (const c of store.get(ref.digest)) parts.push(c as Uint8Array);
                return new Uint8Array(Buffer.concat(parts));
              },
            }
          : {}),
      });
    } finally {
      bar.stop();
    }
    await writeFile(o.out, bytes);
    // Read back for the summary only (origin, size, cases): the exporter's own keys are trusted here.
    const report = verifyBundle(bytes, { trustBundleKeys: true, suite: ledger.suite });
    const data: Omit<OutputOf<'export-bundle'>, 'format' | 'command'> = {
      file: o.out,
      bytes: bytes.length,
      origin: report.origin ?? ledger.origin,
      size: report.size ?? 0,
      root: report.rootHash ? toHex(report.rootHash) : '',
      cases: report.cases.map((c) => c.caseId),
      entries: report.entries,
      nonce: nonce ? toHex(nonce) : null,
    };
    return {
      command: 'export-bundle',
      exit: 0,
      data,
      human: (l) => {
        // --content carries files up to exportBundle's limit (256 KiB): say what stayed out, or the inspector finds
        // "no file in the bundle" without knowing why.
        const { checked, unchecked } = report.content;
        const files = !store
          ? ''
          : l === 'zh'
            ? `\n  随附文件 ${checked} 个；未附带 ${unchecked} 个${unchecked ? '（大于 256 KiB 或不在文件库中：随证据包另行交付，以 verify-bundle --content <文件> 核验）' : ''}`
            : `\n  files carried ${checked}; left out ${unchecked}${unchecked ? ' (over 256 KiB or not in the store: hand them over beside the bundle, for verify-bundle --content <file>)' : ''}`;
        return l === 'zh'
          ? `已导出证据包 ${o.out}（${bytes.length} 字节，案件 ${data.cases.join('、')}，${data.entries} 条记录，检查点 ${data.size}）${nonce ? `\n  抽样随机数：${data.nonce}` : ''}${files}`
          : `Exported ${o.out} (${bytes.length} bytes, cases ${data.cases.join(', ')}, ${data.entries} entries, checkpoint ${data.size})${nonce ? `\n  sampling nonce: ${data.nonce}` : ''}${files}`;
      },
    };
  });
}

export interface VerifyBundleOptions {
  readonly witness?: readonly string[];
  readonly quorum?: string;
  readonly logKey?: string;
  readonly trustBundleKeys?: boolean;
  readonly ruleSet?: readonly string[];
  readonly origin?: string;
  readonly checkpoint?: string;
  readonly nonce?: string;
  readonly content?: readonly string[];
  readonly html?: string;
}

const MARK: Record<CheckStatus, string> = { passed: '✔', failed: '✘', not_checked: '-', not_anchored: '?' };

export async function verifyBundleCmd(ctx: Ctx, file: string, o: VerifyBundleOptions): Promise<Outcome> {
  const bytes = new Uint8Array(await readFile(file));
  const witnesses = (o.witness ?? []).map((w) => vkey(w, '--witness'));
  const quorum = o.quorum === undefined ? witnesses.length : Number(o.quorum);
  if (o.quorum !== undefined && (!Number.isSafeInteger(quorum) || quorum < 1 || quorum > witnesses.length))
    throw new CliError('USAGE', '--quorum must be between 1 and the number of --witness keys');
  for (const h of o.ruleSet ?? [])
    if (!/^[0-9a-f]{64}$/.test(h))
      throw new CliError('USAGE', '--rule-set must be a rule-set hash (64 hex digits)');
  const content = await Promise.all((o.content ?? []).map(async (p) => new Uint8Array(await readFile(p))));
  const report = verifyBundle(bytes, {
    ...(witnesses.length ? { witnesses: { witnesses, quorum } } : {}),
    // Node's implementation of the default suite; a bundle of another suite is checked with that suite's.
    suite: suiteById(SUITE_ID),
    ...(o.logKey !== undefined ? { logKey: vkey(o.logKey, '--log-key') } : {}),
    ...(o.trustBundleKeys ? { trustBundleKeys: true } : {}),
    ...(o.ruleSet?.length ? { ruleSetHashes: o.ruleSet } : {}),
    ...(o.origin !== undefined ? { origin: o.origin } : {}),
    ...(o.checkpoint !== undefined ? { checkpoint: await readFile(o.checkpoint, 'utf8') } : {}),
    ...(o.nonce !== undefined ? { nonce: nonceOf(o.nonce) } : {}),
    ...(content.length ? { content } : {}),
  });
  if (report.checks.format.status !== 'passed') {
    const p = report.problems.find((x) => x.check === 'format');
    throw new CliError(
      p?.code ?? 'BUNDLE_MALFORMED',
      `${file}: ${p?.message ?? 'not a proof bundle'}`,
      EXIT.usage,
    );
  }
  const timelines = bundleTimelines(bytes, suiteById(report.suite ?? SUITE_ID));
  const inspection = bundleInspectionReport(file, report, timelines, ctx.clock());
  if (o.html !== undefined) await writeFile(o.html, renderHtmlReport(inspection, 'zh'));
  const data: Omit<OutputOf<'verify-bundle'>, 'format' | 'command'> = {
    file,
    ok: inspection.ok,
    verified: report.ok,
    anchored: report.anchored,
    checks: Object.fromEntries(
      BUNDLE_CHECKS.map((c) => {
        const r = report.checks[c];
        return [c, { status: r.status, problems: r.problems, detail: r.detail ?? null }];
      }),
    ),
    problems: report.problems.map((p) => ({
      check: p.check,
      code: p.code,
      message: p.message,
      seq: p.seq ?? null,
      caseId: p.caseId ?? null,
    })),
    origin: report.origin ?? '',
    size: report.size ?? 0,
    root: report.rootHash ? toHex(report.rootHash) : '',
    cosigners: [...report.cosigners],
    keys: { log: report.keys.log ?? null, cosignatures: report.keys.cosignatures.map((k) => ({ ...k })) },
    ruleSet: report.ruleSet ? { ...report.ruleSet } : null,
    entries: report.entries,
    cases: timelines.map((c) => ({
      caseId: c.caseId,
      compliant: report.ok && c.compliant,
      findings: c.findings.map((x) => ({
        article: x.article,
        code: x.code,
        severity: x.severity,
        message: x.message,
      })),
    })),
    html: o.html ?? null,
  };
  return {
    command: 'verify-bundle',
    exit: inspection.ok ? 0 : 1,
    data,
    human: (l) => verifyBundleText(l === 'zh', file, report, inspection, timelines, o),
  };
}

function verifyBundleText(
  zh: boolean,
  file: string,
  report: BundleReport,
  inspection: InspectionReport,
  timelines: readonly CaseTimeline[],
  o: VerifyBundleOptions,
): string {
  const failed = BUNDLE_CHECKS.some((c) => report.checks[c].status === 'failed');
  const lines = [
    report.ok
      ? zh
        ? `证据包核验通过：${file}（${report.entries} 条记录，检查点 ${report.size ?? 0}）`
        : `Bundle verified: ${file} (${report.entries} entries, checkpoint ${report.size ?? 0})`
      : failed
        ? zh
          ? `证据包核验未通过：${file}`
          : `Bundle FAILED verification: ${file}`
        : zh
          ? `证据包未核实：${file} 未给出信任锚（台账密钥、见证方或已有检查点），证据包只与其自身一致`
          : `Bundle NOT verified: ${file} — no trust anchor given (log key, witnesses or a held checkpoint); it is only consistent with itself`,
  ];
  for (const item of inspection.checklist)
    lines.push(
      `  ${MARK[item.status]} ${zh ? item.label.zh : item.label.en}${item.detail ? (zh ? `（${typeof item.detail === 'object' ? item.detail.zh : item.detail}）` : ` (${typeof item.detail === 'object' ? item.detail.en : item.detail})`) : ''}`,
    );
  // Problems: in Chinese the catalogue's meaning (src/problems.ts), in English the verifier's message.
  for (const p of report.problems)
    lines.push(
      zh
        ? `  ${BUNDLE_CHECK_LABELS[p.check].zh} ${p.code}：${describeProblem(p.code, 'zh')}${p.seq !== undefined ? `（条目 #${p.seq}）` : ''}`
        : `  ${p.check} ${p.code}: ${p.message}`,
    );
  // The hints to pass the keys are for an inspector who has not: a key already given is named as given.
  if (report.keys.log)
    lines.push(
      o.logKey?.trim() === report.keys.log
        ? zh
          ? `  台账密钥：${report.keys.log}（即 --log-key 给出的密钥）`
          : `  log key: ${report.keys.log} (the one given with --log-key)`
        : zh
          ? `  台账密钥（请与台账方另行核对，再以 --log-key 传入）：${report.keys.log}`
          : `  log key (compare it out of band, then pass --log-key): ${report.keys.log}`,
    );
  for (const k of report.keys.cosignatures)
    lines.push(
      (o.witness ?? []).some((w) => w.trim().startsWith(`${k.name}+${k.keyId}+`))
        ? zh
          ? `  检查点联署：${k.name}+${k.keyId}（即 --witness 给出的见证方公钥）`
          : `  checkpoint cosignature: ${k.name}+${k.keyId} (the witness key given with --witness)`
        : zh
          ? `  检查点联署：${k.name}+${k.keyId}（证据包不含见证方公钥：向见证方索取后以 --witness 传入）`
          : `  checkpoint cosignature: ${k.name}+${k.keyId} (the bundle carries no witness key: get it from the witness, pass --witness)`,
    );
  if (o.trustBundleKeys && !o.logKey)
    lines.push(
      zh
        ? '  注意：已按 --trust-bundle-keys 信任证据包自带的台账密钥（未与台账方核对）'
        : '  note: the bundle’s own log key is trusted because of --trust-bundle-keys (not compared out of band)',
    );
  if (report.ruleSet)
    lines.push(
      `  ${zh ? '规则集：' : 'rule set: '}${report.ruleSet.name} v${report.ruleSet.version} ${report.ruleSet.hash}${zh ? `（${report.ruleSet.trusted ? '受信任' : '不受信任'}）` : ` (${report.ruleSet.trusted ? 'trusted' : 'NOT trusted'})`}`,
    );
  for (const c of timelines) {
    lines.push(
      report.ok
        ? `  ${zh ? c.summary.zh : c.summary.en}`
        : zh
          ? `  案件 ${c.caseId}：证据包未通过核验，以下结果不可采信`
          : `  case ${c.caseId}: the bundle did not verify; these results cannot be relied on`,
    );
    for (const x of c.findings)
      lines.push(
        `    ${zh ? `第${x.article}条` : `Art. ${x.article}`} ${x.code}: ${zh ? x.message.zh : x.message.en}`,
      );
  }
  if (o.html) lines.push(zh ? `  报告：${o.html}` : `  report: ${o.html}`);
  return lines.join('\n');
}

export async function sampleCmd(
  ctx: Ctx,
  o: { k: string; nonce?: string; checkpoint?: string },
): Promise<Outcome> {
  const k = count(o.k, '--k');
  const nonce = nonceOf(o.nonce);
  const note = o.checkpoint === undefined ? undefined : await readFile(o.checkpoint, 'utf8');
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    const cp = note ?? (await cosignedCheckpoint(ledger));
    const { size } = ledger.verifyOwnCheckpoint(cp);
    const population = await caseIdsAt(ledger, size);
    const body = noteText(cp);
    const sel = selectSample(population, body, nonce, Math.min(k, population.length), ledger.suite.hash);
    const data: Omit<OutputOf<'sample'>, 'format' | 'command'> = {
      size,
      nonce: toHex(nonce),
      seed: toHex(sel.seed),
      population: population.length,
      selected: [...sel.selected],
    };
    return {
      command: 'sample',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? `抽样（检查点 ${size}，随机数 ${data.nonce}）：${population.length} 件中抽取 ${data.selected.join('、')}`
          : `Sample (checkpoint ${size}, nonce ${data.nonce}): ${data.selected.join(', ')} of ${population.length} case(s)`,
    };
  });
}
