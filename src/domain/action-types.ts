/**
 * On-site action types. Art. 11 lists the situations where audio/video recording is mandatory, Art. 12 those where
 * it is made as circumstances require; the rest are ordinary actions. An action may fall under several (an
 * inspection where a dispute is likely), so an action carries a list of these ids.
 */

export type AvRequirement = 'mandatory' | 'as_required' | 'ordinary';

export interface ActionTypeInfo {
  readonly id: string;
  readonly zh: string;
  readonly av: AvRequirement;
  /** Article of the Jincheng rule that classifies it. */
  readonly article?: '11' | '12';
}

const t = (id: string, zh: string, av: AvRequirement, article?: '11' | '12'): ActionTypeInfo =>
  Object.freeze(article ? { id, zh, av, article } : { id, zh, av });

export const ACTION_TYPE_INFO = Object.freeze([
  // Art. 11: mandatory AV.
  t('seal_premises', '查封场所、设施', 'mandatory', '11'),
  t('seize_property', '扣押财物', 'mandatory', '11'),
  t('public_health_emergency', '突发公共卫生事件处置', 'mandatory', '11'),
  t('mass_incident', '群体性事件处置', 'mandatory', '11'),
  t('substitute_performance', '代履行', 'mandatory', '11'),
  t('affects_life_health', '直接涉及生命健康的执法行为', 'mandatory', '11'),
  t('affects_major_property', '涉及重大财产权益的执法行为', 'mandatory', '11'),
  // Art. 12: AV as circumstances require.
  t('dispute_likely', '可能引发争议', 'as_required', '12'),
  t('on_site_inspection', '现场检查', 'as_required', '12'),
  t('investigation', '调查取证', 'as_required', '12'),
  t('inquiry', '询问', 'as_required', '12'),
  t('evidence_preservation', '证据先行登记保存', 'as_required', '12'),
  t('hearing', '听证', 'as_required', '12'),
  t('service_by_leaving', '留置送达', 'as_required', '12'),
  t('service_by_public_notice', '公告送达', 'as_required', '12'),
  // Ordinary actions.
  t('sampling', '采样', 'ordinary'),
  t('direct_service', '直接送达', 'ordinary'),
  t('postal_service', '邮寄送达', 'ordinary'),
  t('document_review', '书面审查', 'ordinary'),
  t('licensing_review', '许可现场审核', 'ordinary'),
  t('routine_supervision', '日常监督', 'ordinary'),
  t('other', '其他', 'ordinary'),
] as const);

export const ACTION_TYPES = [
  'seal_premises',
  'seize_property',
  'public_health_emergency',
  'mass_incident',
  'substitute_performance',
  'affects_life_health',
  'affects_major_property',
  'dispute_likely',
  'on_site_inspection',
  'investigation',
  'inquiry',
  'evidence_preservation',
  'hearing',
  'service_by_leaving',
  'service_by_public_notice',
  'sampling',
  'direct_service',
  'postal_service',
  'document_review',
  'licensing_review',
  'routine_supervision',
  'other',
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

/** Art. 11 situations (AV mandatory). */
export const AV_MANDATORY_ACTIONS: readonly ActionType[] = ACTION_TYPES.filter(
  (id) => ACTION_TYPE_INFO.find((i) => i.id === id)?.av === 'mandatory',
);
/** Art. 12 situations (AV as circumstances require). */
export const AV_AS_REQUIRED_ACTIONS: readonly ActionType[] = ACTION_TYPES.filter(
  (id) => ACTION_TYPE_INFO.find((i) => i.id === id)?.av === 'as_required',
);
