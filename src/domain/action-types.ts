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
  readonly article?: '11' | '12' | '14' | '16';
}

const t = (id: string, zh: string, av: AvRequirement, article?: ActionTypeInfo['article']): ActionTypeInfo =>
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
  // Art. 16(1)–(2): 行政控制 is a coercive measure (《行政控制决定书》) and needs full AV like sealing and seizure.
  t('admin_control', '行政控制', 'mandatory', '16'),
  // Art. 12: AV as circumstances require.
  t('dispute_likely', '可能引发争议', 'as_required', '12'),
  t('on_site_inspection', '现场检查', 'as_required', '12'),
  t('investigation', '调查取证', 'as_required', '12'),
  t('inquiry', '询问', 'as_required', '12'),
  t('evidence_preservation', '证据先行登记保存', 'as_required', '12'),
  t('hearing', '听证', 'as_required', '12'),
  t('service_by_leaving', '留置送达', 'as_required', '12'),
  t('service_by_public_notice', '公告送达', 'as_required', '12'),
  // Art. 12(2) 调查取证: sampling (采样) gathers evidence like inspection and inquiry.
  t('sampling', '采样', 'as_required', '12'),
  // Ordinary actions.
  t('direct_service', '直接送达', 'ordinary'),
  t('postal_service', '邮寄送达', 'ordinary'),
  t('document_review', '书面审查', 'ordinary'),
  t('licensing_review', '许可现场审核', 'ordinary', '14'),
  // Art. 14(4): 组织专家论证、评审会.
  t('expert_argumentation', '专家论证会', 'ordinary', '14'),
  t('expert_review', '专家评审会', 'ordinary', '14'),
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
  'admin_control',
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
  'expert_argumentation',
  'expert_review',
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
