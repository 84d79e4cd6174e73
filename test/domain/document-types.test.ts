import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_TYPES,
  createDocumentRegistry,
  defaultDocumentRegistry,
} from '../../src/domain/document-types';

describe('document types', () => {
  it('has the 36 national types and the Jincheng additions, with unique ids and names', () => {
    expect(DOCUMENT_TYPES.filter((t) => t.source === 'national')).toHaveLength(36);
    for (const zh of [
      '工作记录',
      '行政执法全过程记录资料调用单',
      '专家论证会议纪要',
      '专家评审意见',
      '行政强制措施审批记录',
      '延期移交批准',
    ])
      expect(defaultDocumentRegistry.resolve(zh), zh).toBeDefined();
    expect(new Set(DOCUMENT_TYPES.map((t) => t.id)).size).toBe(DOCUMENT_TYPES.length);
    expect(new Set(DOCUMENT_TYPES.map((t) => t.zh)).size).toBe(DOCUMENT_TYPES.length);
  });

  it('resolves ids, official names and the Jincheng aliases to the stable id', () => {
    const r = defaultDocumentRegistry;
    expect(r.resolve('询问笔录')).toBe('INQUIRY_RECORD');
    expect(r.resolve('询问记录')).toBe('INQUIRY_RECORD');
    expect(r.resolve('听证记录')).toBe('HEARING_RECORD');
    expect(r.resolve('听证笔录')).toBe('HEARING_RECORD');
    expect(r.resolve('处罚决定书')).toBe('PENALTY_DECISION');
    expect(r.resolve('行政处罚决定书')).toBe('PENALTY_DECISION');
    expect(r.resolve('现场笔录')).toBe('ON_SITE_INSPECTION_RECORD');
    expect(r.resolve('PENALTY_PRIOR_NOTICE')).toBe('PENALTY_PRIOR_NOTICE');
    expect(r.resolve('当场处罚')).toBeUndefined();
    expect(r.has('询问记录')).toBe(false); // names resolve; only ids are stored
    expect(r.get('HEARING_RECORD')?.zh).toBe('听证笔录');
  });

  it('is extensible by configuration, refusing malformed or clashing types', () => {
    const r = createDocumentRegistry([
      { id: 'SX_DRUG_SAMPLING_RECORD', zh: '药品抽样记录', aliases: ['抽样单'] },
    ]);
    expect(r.resolve('抽样单')).toBe('SX_DRUG_SAMPLING_RECORD');
    expect(r.get('SX_DRUG_SAMPLING_RECORD')?.source).toBe('config');
    expect(defaultDocumentRegistry.has('SX_DRUG_SAMPLING_RECORD')).toBe(false);
    expect(() => createDocumentRegistry([{ id: 'INQUIRY_RECORD', zh: '另一个' }])).toThrow(RangeError);
    expect(() => createDocumentRegistry([{ id: 'X_TYPE', zh: '询问记录' }])).toThrow(RangeError);
    expect(() => createDocumentRegistry([{ id: 'lower_case', zh: '小写' }])).toThrow(RangeError);
    expect(() => createDocumentRegistry([{ id: 'NO_NAME', zh: '' }])).toThrow(RangeError);
  });
});
