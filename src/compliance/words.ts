/**
 * Chinese words for what findings name (issue 18, item 5): document types by their names in the national norms and the
 * Jincheng rule (《行政处罚决定书》, not PENALTY_DECISION), action types and Art. 18 reasons by the rule's own words
 * (扣押财物, 个人隐私), durations in 小时/分钟/秒, key moments as Art. 13 lists them. An id no table knows (a type a
 * province added by configuration) is shown as it is.
 */
import { ACTION_TYPE_INFO } from '../domain/action-types';
import { defaultDocumentRegistry } from '../domain/document-types';

const ACTION_ZH = new Map<string, string>(ACTION_TYPE_INFO.map((a) => [a.id, a.zh]));

/** A document type as Chinese writes it: `《行政处罚决定书》`; an unknown id as it is. */
export function documentTypeZh(type: string): string {
  const t = defaultDocumentRegistry.get(type);
  return t ? `《${t.zh}》` : type;
}

/** An on-site action type in the rule's words (Arts. 11, 12): `扣押财物`; an unknown id as it is. */
export const actionTypeZh = (type: string): string => ACTION_ZH.get(type) ?? type;

const MATTER_ZH: Readonly<Record<string, string>> = {
  licensing: '行政许可',
  penalty: '行政处罚',
  levy: '行政征收',
  coercion: '行政强制',
  inspection: '行政监督检查',
};

/**
 * Why AV is mandatory or an action is a coercive measure (src/compliance/measures.ts): an action type, `matter:<type>`
 * (the case's matter) or `document:<id>` (a decision issued in it), in Chinese.
 */
export function groundZh(ground: string): string {
  if (ground.startsWith('document:')) return `文书 ${ground.slice(9)}`;
  if (ground.startsWith('matter:')) {
    const m = ground.slice(7);
    return `${MATTER_ZH[m] ?? m}案件`;
  }
  return actionTypeZh(ground);
}

/** A duration in Chinese: `10分钟`, `24小时`, `1小时5分钟30秒`. */
export function durationZh(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h ? `${h}小时` : '', m ? `${m}分钟` : '', s ? `${s}秒` : ''].join('');
  return parts || '0秒';
}

/** Art. 18's reasons for stopping AV, in its words. */
const REASON_ZH: Readonly<Record<string, string>> = {
  state_secret: '国家秘密',
  commercial_secret: '商业秘密',
  personal_privacy: '个人隐私',
  force_majeure: '不可抗力',
  other: '其他原因',
};
export const exceptionReasonZh = (reason: string): string => REASON_ZH[reason] ?? reason;

/** Art. 13's key moments (重点摄录内容), in its words. */
const MOMENT_ZH: Readonly<Record<string, string>> = {
  show_identity: '表明身份',
  present_certificate: '出示执法证件',
  inform_rights: '告知当事人权利义务',
  signature_confirmation: '当事人对执法文书签字确认',
  post_notice: '现场张贴公告',
  service: '开具、送达法律文书',
};
export const keyMomentZh = (moment: string): string => MOMENT_ZH[moment] ?? moment;

/** A segment's fields that Art. 13 asks for, in Chinese. */
const FIELD_ZH: Readonly<Record<string, string>> = {
  deviceId: '设备编号',
  officerId: '执法人员',
  startedAt: '开始时间',
  endedAt: '结束时间',
};
export const segmentFieldZh = (field: string): string => FIELD_ZH[field] ?? field;

/** Art. 28's self-check cadence. */
const CADENCE_ZH: Readonly<Record<string, string>> = {
  month: '每月',
  quarter: '每季度',
  half_year: '每半年',
  year: '每年',
};
export const cadenceZh = (cadence: string): string => CADENCE_ZH[cadence] ?? cadence;
