/**
 * The inspector's page, pure part (issue 18): from the trust anchors as typed (or loaded from an anchors file), a
 * proof bundle's bytes and the content files the inspector holds, the verdict and the same report the CLI's
 * `verify-bundle --html` writes. No DOM and no Node module: it runs in the page (src/cli/page/app.ts) and in Node tests.
 * Verification is src/verify.ts's (`verifyBundle`, the browser entry); the report is src/cli/report/'s model and
 * renderer, so every check and status the report carries shows here without this file changing.
 */
import { contentRefOfBytes } from '../../bundles/content-ref';
import { bytesEqual, fromHex, toHex } from '../../bytes';
import { PROBLEMS, isProblemCode } from '../../problems';
import type { BundleReport, BundleTrust } from '../../verify';
import { decodeBundle, decodeSignedEntry, parseVerifierKey, portableSuite, verifyBundle } from '../../verify';
import { errorDetailZh } from '../error-details';
import type { Text } from '../lang';
import { bundleInspectionReport, bundleTimelines } from '../report/from-bundle';
import { escapeHtml, reportSections, reportSource, t, tt } from '../report/html';
import type { InspectionReport } from '../report/model';

/** The trust anchors as the inspector enters them: the same text the CLI's flags take. */
export interface AnchorsText {
  /** `--log-key`: the log's checkpoint verifier key, `name+hexid+base64`. */
  readonly logKey: string;
  /**
   * `--origin`: the log the inspector trusts (the first line of its checkpoints). Empty: the log key's name, which is
   * the log's origin (a ledger's checkpoint key is named after it). A bundle from another log is refused.
   */
  readonly origin: string;
  /** `--witness`: witness verifier keys, one per line (or separated by spaces or commas). */
  readonly witnesses: string;
  /** `--quorum`: how many of the witnesses must have cosigned; empty means all of them. */
  readonly quorum: string;
  /** Accepted rule-set identities (the rule set's SHA-256, hex), one per line; empty accepts any. */
  readonly ruleSet: string;
  /** `--checkpoint`: a signed checkpoint the inspector already holds (the note's text); empty for none. */
  readonly checkpoint: string;
  /** `--nonce`: the inspector's sampling nonce (hex); empty for none. */
  readonly nonce: string;
}

export const NO_ANCHORS: AnchorsText = {
  logKey: '',
  origin: '',
  witnesses: '',
  quorum: '',
  ruleSet: '',
  checkpoint: '',
  nonce: '',
};

/** One problem with an anchor field, shown beside it; the page verifies nothing until all are fixed. */
export interface AnchorError {
  readonly field: keyof AnchorsText;
  readonly code: string;
  readonly text: Text;
}

export interface ParsedAnchors {
  readonly trust: Omit<BundleTrust, 'content' | 'suite'>;
  /** The log origin pinned: the origin field, else the log key's name; undefined when neither is given. */
  readonly origin?: string;
  /** A key the inspector trusts pins the log: a log key, or a quorum of at least one witness. */
  readonly anchored: boolean;
  readonly errors: readonly AnchorError[];
}

const splitList = (s: string): string[] => s.split(/[\s,]+/).filter((x) => x.length > 0);

/** Reads the anchors as typed. Bad text is an error on its field (code and both languages), never an exception. */
export function parseAnchors(a: AnchorsText): ParsedAnchors {
  const errors: AnchorError[] = [];
  const key = (s: string, field: keyof AnchorsText) => {
    try {
      const k = parseVerifierKey(s);
      return { name: k.name, publicKey: k.publicKey };
    } catch (err) {
      errors.push({
        field,
        code: 'ANCHOR_BAD_KEY',
        text: {
          zh: `不是验证公钥（名称+十六进制标识+base64）：${s.slice(0, 40)}（${errorDetailZh((err as Error).message)}）`,
          en: `not a verifier key (name+hexid+base64): ${s.slice(0, 40)} (${(err as Error).message})`,
        },
      });
      return undefined;
    }
  };
  const logKeyText = a.logKey.trim();
  const logKey = logKeyText ? key(logKeyText, 'logKey') : undefined;
  const originText = a.origin.trim();
  if (originText !== '' && /\s/.test(originText))
    errors.push({
      field: 'origin',
      code: 'ANCHOR_BAD_ORIGIN',
      text: {
        zh: `台账来源（origin）不含空格，形如 ledger.example.org/penalty：${originText.slice(0, 60)}`,
        en: `a log origin has no spaces, e.g. ledger.example.org/penalty: ${originText.slice(0, 60)}`,
      },
    });
  else if (originText !== '' && logKey && logKey.name !== originText)
    errors.push({
      field: 'origin',
      code: 'ANCHOR_ORIGIN_MISMATCH',
      text: {
        zh: `台账公钥属于台账 ${logKey.name}，不是此处填写的 ${originText}`,
        en: `the log key is that of log ${logKey.name}, not of ${originText}`,
      },
    });
  const origin = originText || logKey?.name;
  const witnesses = splitList(a.witnesses)
    .map((w) => key(w, 'witnesses'))
    .filter((k) => k !== undefined);
  let quorum = witnesses.length;
  const q = a.quorum.trim();
  if (q !== '') {
    const n = /^\d+$/.test(q) ? Number(q) : Number.NaN;
    if (!Number.isSafeInteger(n) || n > witnesses.length)
      errors.push({
        field: 'quorum',
        code: 'ANCHOR_BAD_QUORUM',
        text: {
          zh: `法定数量须为 0 至见证方公钥数（${witnesses.length}）之间的整数`,
          en: `the quorum must be a whole number from 0 to the number of witness keys (${witnesses.length})`,
        },
      });
    else quorum = n;
  }
  const ruleSetHashes = splitList(a.ruleSet).map((h) => h.toLowerCase());
  for (const h of ruleSetHashes)
    if (!/^[0-9a-f]{64}$/.test(h))
      errors.push({
        field: 'ruleSet',
        code: 'ANCHOR_BAD_RULE_SET',
        text: {
          zh: `规则集标识应为 64 位十六进制 SHA-256：${h.slice(0, 70)}`,
          en: `a rule-set identity is a SHA-256 in 64 hex digits: ${h.slice(0, 70)}`,
        },
      });
  const nonceText = a.nonce.trim().toLowerCase();
  let nonce: Uint8Array | undefined;
  if (nonceText !== '') {
    if (/^([0-9a-f]{2})+$/.test(nonceText)) nonce = fromHex(nonceText);
    else
      errors.push({
        field: 'nonce',
        code: 'ANCHOR_BAD_NONCE',
        text: {
          zh: '抽样随机数应为偶数位十六进制',
          en: 'the sampling nonce is hex digits, an even number of them',
        },
      });
  }
  // The note's text as pasted (line endings made \n; the note ends with one).
  const cp = a.checkpoint.replace(/\r\n?/g, '\n').trim();
  return {
    trust: {
      witnesses: { witnesses, quorum },
      ...(logKey ? { logKey } : {}),
      ...(origin ? { origin } : {}),
      ...(ruleSetHashes.length ? { ruleSetHashes } : {}),
      ...(cp ? { checkpoint: `${cp}\n` } : {}),
      ...(nonce ? { nonce } : {}),
    },
    ...(origin ? { origin } : {}),
    anchored: logKey !== undefined || quorum > 0,
    errors,
  };
}

/**
 * An anchors file (`.json`): `{"logKey": "...", "witnesses": ["...", …], "quorum": n, "ruleSet": "hex" | ["hex", …],
 * "checkpoint": "<note text>", "nonce": "hex"}`, every member optional. Undefined when `text` is not such a file (so a dropped file can be told apart).
 */
export function anchorsFromJson(text: string): AnchorsText | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  if (!['logKey', 'origin', 'witnesses', 'quorum', 'ruleSet', 'checkpoint', 'nonce'].some((k) => k in o))
    return undefined;
  const list = (x: unknown) =>
    Array.isArray(x) ? x.map(String).join('\n') : x === undefined ? '' : String(x);
  return {
    logKey: o.logKey === undefined ? '' : String(o.logKey),
    origin: o.origin === undefined ? '' : String(o.origin),
    witnesses: list(o.witnesses),
    quorum: o.quorum === undefined ? '' : String(o.quorum),
    ruleSet: list(o.ruleSet),
    checkpoint: o.checkpoint === undefined ? '' : String(o.checkpoint),
    nonce: o.nonce === undefined ? '' : String(o.nonce),
  };
}

export interface NamedBytes {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** A content file the inspector dropped, hashed here and looked up among the bundle's entries. */
export interface ContentRow {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  /** match: size and chunk root agree with the entry; mismatch: same digest, other size or root; unreferenced. */
  readonly status: 'match' | 'mismatch' | 'unreferenced';
  readonly seq: number | null;
  /** The record's own id when its body has one (DOC-…, SEG-…). */
  readonly recordId: string | null;
}

/**
 * verified: every check passed under the inspector's anchors and no case has a violation; violations: the bundle
 * verified but a case breaks the rules; wrong_origin: the bundle is from another log than the one trusted (refused,
 * whatever else holds); not_anchored: consistent, but no anchor was given, so not verified; failed: a
 * check failed; unreadable: not a bundle; bad_anchors: an anchor field is wrong; no_bundle: nothing to verify yet.
 */
export type PageVerdict =
  | 'verified'
  | 'wrong_origin'
  | 'violations'
  | 'not_anchored'
  | 'failed'
  | 'unreadable'
  | 'bad_anchors'
  | 'no_bundle';

export interface PageResult {
  readonly verdict: PageVerdict;
  readonly anchorErrors: readonly AnchorError[];
  readonly report?: BundleReport;
  readonly inspection?: InspectionReport;
  readonly content: readonly ContentRow[];
  /** The result as HTML (verdict, report, content files, problems), both languages in it. */
  readonly html: string;
}

/** Files on the page's drop zone, sorted: anchors files, a bundle (the one that decodes), the rest as content. */
export function classifyFiles(files: readonly NamedBytes[]): {
  anchors?: AnchorsText;
  bundle?: NamedBytes;
  content: NamedBytes[];
} {
  const out: { anchors?: AnchorsText; bundle?: NamedBytes; content: NamedBytes[] } = { content: [] };
  for (const f of files) {
    if (f.bytes.length < 1_000_000 && f.name.toLowerCase().endsWith('.json')) {
      const a = anchorsFromJson(new TextDecoder().decode(f.bytes));
      if (a) {
        out.anchors = a;
        continue;
      }
    }
    if (!out.bundle && isBundle(f.bytes)) out.bundle = f;
    else out.content.push(f);
  }
  return out;
}

function isBundle(bytes: Uint8Array): boolean {
  try {
    decodeBundle(bytes);
    return true;
  } catch {
    return false;
  }
}

function contentRows(bundle: Uint8Array, files: readonly NamedBytes[]): ContentRow[] {
  const refs = new Map<
    string,
    { seq: number; size: number; chunkRoot: Uint8Array; recordId: string | null }
  >();
  try {
    for (const be of decodeBundle(bundle).payload.entries) {
      const { entry } = decodeSignedEntry(be.entry);
      const body = (entry.body ?? {}) as Record<string, unknown>;
      const id = [body.documentId, body.segmentId, body.recordId].find((x) => typeof x === 'string');
      for (const r of entry.content)
        refs.set(toHex(r.digest), {
          seq: entry.seq,
          size: r.size,
          chunkRoot: r.chunkRoot,
          recordId: (id as string | undefined) ?? null,
        });
    }
  } catch {
    // A bundle that does not decode has no refs: every file is unreferenced (the checklist says why).
  }
  return files.map((f) => {
    const got = contentRefOfBytes(f.bytes, portableSuite.hash);
    const sha256 = toHex(got.digest);
    const want = refs.get(sha256);
    return {
      name: f.name,
      size: f.bytes.length,
      sha256,
      status: !want
        ? 'unreferenced'
        : want.size === got.size && bytesEqual(want.chunkRoot, got.chunkRoot)
          ? 'match'
          : 'mismatch',
      seq: want?.seq ?? null,
      recordId: want?.recordId ?? null,
    };
  });
}

const VERDICT: Record<PageVerdict, { cls: string; text: Text; note: Text }> = {
  verified: {
    cls: 'ok',
    text: { zh: '核验通过', en: 'VERIFIED' },
    note: {
      zh: '每项检查均在您提供的信任锚下通过。',
      en: 'Every check passed under the trust anchors you gave.',
    },
  },
  violations: {
    cls: 'bad',
    text: { zh: '证据包核验通过，但发现违规', en: 'BUNDLE VERIFIED, VIOLATIONS FOUND' },
    note: {
      zh: '证据包在您提供的信任锚下核验通过；其中案件的问题见各案件的“问题清单”。',
      en: 'The bundle verified under your trust anchors; its cases’ violations are listed under each case’s “Findings”.',
    },
  },
  not_anchored: {
    cls: 'warn',
    text: { zh: '未锚定：不能认定为已核验', en: 'NOT ANCHORED: not verified' },
    note: {
      zh: '证据包内部一致，但您未提供台账公钥或见证方公钥，无法确认它出自您信任的台账。请在上方输入信任锚后重新核验。',
      en: 'The bundle is consistent in itself, but you gave no log key and no witness key, so nothing ties it to a ledger you trust. Enter the trust anchors above and verify again.',
    },
  },
  wrong_origin: {
    cls: 'bad',
    text: { zh: '拒绝：证据包不是来自您信任的台账', en: 'REFUSED: the bundle is not from the log you trust' },
    note: {
      zh: '证据包所属的台账与您输入的台账公钥（或台账来源）不同，下列内容均不能作为该台账的记录。请核对台账公钥是否取自被检查单位，或证据包是否给错。',
      en: 'The bundle belongs to another log than the one your log key (or origin) names, so nothing below is a record of the log you trust. Check that the log key came from the agency inspected, or that this is the right bundle.',
    },
  },
  failed: {
    cls: 'bad',
    text: { zh: '核验未通过', en: 'VERIFICATION FAILED' },
    note: {
      zh: '下列标为“未通过”的检查项未通过；技术细节见“问题明细”。',
      en: 'The checks marked “fail” below did not pass; see “Problems” for the technical detail.',
    },
  },
  unreadable: {
    cls: 'bad',
    text: { zh: '不是可读的证据包', en: 'NOT A READABLE BUNDLE' },
    note: {
      zh: '该文件无法按证据包格式解析。',
      en: 'The file cannot be read as a proof bundle.',
    },
  },
  bad_anchors: {
    cls: 'bad',
    text: { zh: '信任锚有误', en: 'TRUST ANCHORS INVALID' },
    note: {
      zh: '请先更正上方标出的信任锚，再核验。',
      en: 'Correct the trust anchors marked above, then verify.',
    },
  },
  no_bundle: {
    cls: 'warn',
    text: { zh: '尚未选择证据包', en: 'NO BUNDLE CHOSEN' },
    note: { zh: '请拖入或选择证据包文件。', en: 'Drop or choose a proof bundle file.' },
  },
};

function verdictHtml(v: PageVerdict, origins?: { trusted?: string; bundle?: string }): string {
  const x = VERDICT[v];
  const trusted = origins?.trusted;
  const line = origins
    ? `<p id="origins" data-trusted="${escapeHtml(trusted ?? '')}" data-bundle="${escapeHtml(origins.bundle ?? '')}">${tt('您信任的台账：', 'The log you trust: ')}<code>${trusted ? escapeHtml(trusted) : ''}</code>${trusted ? '' : tt('（未指定：请输入台账公钥）', '(none: enter the log key)')}${tt('；证据包来自：', '; the bundle is from: ')}<code>${escapeHtml(origins.bundle ?? '?')}</code></p>`
    : '';
  return `<p><span class="verdict ${x.cls}" id="page-verdict" data-verdict="${v}">${t(x.text)}</span></p><p class="note">${t(x.note)}</p>${line}`;
}

function contentHtml(rows: readonly ContentRow[]): string {
  if (rows.length === 0) return '';
  const status: Record<ContentRow['status'], string> = {
    match: `<td class="pass">✔ ${tt('与记录一致', 'matches its record')}</td>`,
    mismatch: `<td class="fail">✘ ${tt('与记录不符', 'does not match its record')}</td>`,
    unreferenced: `<td class="fail">✘ ${tt('证据包中无记录引用此文件', 'no record in the bundle refers to it')}</td>`,
  };
  const body = rows
    .map(
      (r) =>
        `<tr data-file="${escapeHtml(r.name)}" data-status="${r.status}">${status[r.status]}<td>${escapeHtml(r.name)}</td><td>${r.size}</td><td>${r.recordId ? escapeHtml(r.recordId) : ''}${r.seq !== null ? ` #${r.seq}` : ''}</td><td class="meta">${r.sha256}</td></tr>`,
    )
    .join('');
  return `<section id="content-files"><h2>${tt('随附文件（在本页计算摘要）', 'Content files (hashed in this page)')}</h2><table><thead><tr><th>${tt('结果', 'Result')}</th><th>${tt('文件', 'File')}</th><th>${tt('字节', 'Bytes')}</th><th>${tt('记录', 'Record')}</th><th>SHA-256</th></tr></thead><tbody>${body}</tbody></table></section>`;
}

function problemsHtml(r: BundleReport): string {
  if (r.problems.length === 0) return '';
  const rows = r.problems
    .map((p) => {
      // The catalogue's meaning and action (src/problems.ts) in both languages; the verifier's message as detail.
      const info = isProblemCode(p.code) ? PROBLEMS[p.code] : undefined;
      const meaning = info
        ? `${t(info)}${info.action ? `<br><span class="meta">${t(info.action)}</span>` : ''}`
        : '';
      return `<tr data-problem="${escapeHtml(p.code)}"><td>${escapeHtml(p.check)}</td><td><code>${escapeHtml(p.code)}</code></td><td>${meaning}</td><td>${p.seq !== undefined ? `#${p.seq}` : ''}${p.caseId ? ` ${escapeHtml(p.caseId)}` : ''}</td><td class="meta" lang="en">${escapeHtml(p.message)}</td></tr>`;
    })
    .join('');
  return `<section id="problems"><h2>${tt('问题明细', 'Problems')}</h2><table><thead><tr><th>${tt('检查项', 'Check')}</th><th>${tt('代码', 'Code')}</th><th>${tt('含义与处理', 'Meaning and action')}</th><th>${tt('记录', 'Record')}</th><th>${tt('技术说明（英文）', 'Technical detail')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** Verifies `bundle` under the anchors as typed, with the inspector's content files; never throws for bad input. */
export function inspect(input: {
  readonly anchors: AnchorsText;
  readonly bundle: NamedBytes | undefined;
  readonly content: readonly NamedBytes[];
  readonly now: number;
}): PageResult {
  const anchors = parseAnchors(input.anchors);
  const done = (verdict: PageVerdict, rest: Partial<PageResult> = {}): PageResult => {
    const content = rest.content ?? [];
    const body = rest.inspection
      ? `${reportSource(rest.inspection)}${contentHtml(content)}${reportSections(rest.inspection)}${rest.report ? problemsHtml(rest.report) : ''}`
      : `${contentHtml(content)}${rest.report ? problemsHtml(rest.report) : ''}`;
    return {
      verdict,
      anchorErrors: anchors.errors,
      content,
      html: `${verdictHtml(verdict, rest.report ? { trusted: anchors.origin, bundle: rest.report.origin } : undefined)}${body}`,
      ...rest,
    };
  };
  if (anchors.errors.length) return done('bad_anchors');
  if (!input.bundle) return done('no_bundle');
  const bytes = input.bundle.bytes;
  const report = verifyBundle(bytes, {
    ...anchors.trust,
    content: input.content.map((c) => c.bytes),
    suite: portableSuite,
  });
  const content = contentRows(bytes, input.content);
  if (report.checks.format.status !== 'passed') return done('unreadable', { report, content });
  const cases = bundleTimelines(bytes, portableSuite);
  const inspection = bundleInspectionReport(input.bundle.name, report, cases, input.now);
  // Anchored: the inspector gave a log key or a quorum of at least one witness (parseAnchors), and the verifier says an
  // anchor check passed. No anchor is not a failure, and never "verified".
  const unanchored = !anchors.anchored || !report.anchored;
  const otherwiseOk = Object.values(report.checks).every((c) => c.status !== 'failed');
  const verdict: PageVerdict = report.problems.some((p) => p.code === 'ORIGIN_UNTRUSTED')
    ? 'wrong_origin'
    : !otherwiseOk
      ? 'failed'
      : unanchored
        ? 'not_anchored'
        : cases.every((c) => c.compliant)
          ? 'verified'
          : 'violations';
  // The report's sections follow the page's verdict: a bundle the page does not call verified (a held checkpoint alone
  // is checked with the bundle's own key, so it anchors nothing here) shows no case as verified.
  const verified = verdict === 'verified' || verdict === 'violations';
  return done(verdict, {
    report,
    inspection: { ...inspection, ok: inspection.ok && verified, verified: inspection.verified && verified },
    content,
  });
}
