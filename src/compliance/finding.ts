/**
 * Findings: what a compliance rule reports. Each names the article of the Jincheng rule it checks and the liability
 * item of Art. 30 it supports, so an auditor (Art. 28) or an inspector (Art. 29) can act on it.
 */

export type Severity = 'violation' | 'warning' | 'info';

/** Art. 30 liability items (一)–(五), and `none` for a breach Art. 30 does not list. */
export const LIABILITY_ITEMS = {
  '30(1)': {
    zh: '对应当记录的执法活动未予记录或丢失记录',
    en: 'an enforcement activity that had to be recorded was not recorded, or its record was lost',
  },
  '30(2)': {
    zh: '未按照规定维护现场执法记录设备，致使音像记录损毁或者丢失',
    en: 'recording devices not maintained as required, so that AV records were damaged or lost',
  },
  '30(3)': { zh: '未按照规定存储音像记录信息', en: 'AV records not stored as required' },
  '30(4)': {
    zh: '故意损毁或者伪造、篡改、编辑、剪辑、删改原始文字或者音像记录',
    en: 'original written or AV records destroyed, forged, altered, edited, cut or deleted',
  },
  '30(5)': {
    zh: '未经批准，擅自对外提供或者发布文字或者音像记录',
    en: 'written or AV records provided or published without approval',
  },
  /** The duty is the regulation's, but Art. 30 lists no item for its breach: corrected under Art. 28 (及时纠正). */
  none: {
    zh: '第三十条未列此情形，按第二十八条及时纠正',
    en: 'no Art. 30 item; to be corrected under Art. 28',
  },
} as const;
export type LiabilityItem = keyof typeof LIABILITY_ITEMS;

export interface LocalText {
  readonly zh: string;
  readonly en: string;
}

/** Evidence values are plain data (JSON- and canonical-CBOR-friendly: strings, integers, booleans, lists, maps). */
export type EvidenceValue =
  | string
  | number
  | boolean
  | null
  | readonly EvidenceValue[]
  | { readonly [key: string]: EvidenceValue };

export interface Finding {
  /** Rule id, e.g. `art17-av-continuity`. */
  readonly rule: string;
  /** Article (and item) of the Jincheng rule, e.g. `17`, `22(1)`. */
  readonly article: string;
  readonly liability: LiabilityItem;
  readonly severity: Severity;
  /** Sequence numbers of the records the finding is about, ascending. */
  readonly seqs: readonly number[];
  /** Stable machine code within the rule, e.g. `gap`, `late`, `missing_document`. */
  readonly code: string;
  readonly message: LocalText;
  readonly evidence: { readonly [key: string]: EvidenceValue };
}

const SEVERITY_ORDER: Record<Severity, number> = { violation: 0, warning: 1, info: 2 };

function compareSeqs(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Total order on findings: first record concerned, then severity, rule, code, and message as a tie-break. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareSeqs(a.seqs, b.seqs) ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    cmp(a.rule, b.rule) ||
    cmp(a.code, b.code) ||
    cmp(a.message.en, b.message.en)
  );
}
