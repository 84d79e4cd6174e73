/** Electronic data 电子数据 (Art. 3, 8): a record in an information system reflecting a document, with key fields. */
import { z } from 'zod';
import { Id, KeyFields, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import type { KindSpec } from '../spec';

export const DataSchema = z.strictObject({
  v: Version,
  dataId: Id,
  caseId: Id,
  /** The document this data reflects; its key fields must agree (Art. 8, a compliance rule). */
  documentId: Id,
  /** Source information system, e.g. `山西省卫生健康监督执法平台`. */
  system: Text,
  recordedAt: Time,
  fields: KeyFields.refine((r) => Object.keys(r).length > 0, {
    message: 'at least one key field',
    params: { code: 'too_small' },
  }),
});
export type DataBody = z.infer<typeof DataSchema>;

export const dataSpec: KindSpec = {
  kind: KIND.data,
  roles: ['officer', 'system'],
  schema: DataSchema,
  defines: { space: 'data', field: 'dataId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'documentId', space: 'document', kinds: [KIND.document], sameCase: true },
  ],
  eventTime: 'recordedAt',
};
