/** Kind names of the access layer (`acc/…`), Art. 23–26. */
export const ACC = {
  label: 'acc/label',
  retrievalRequest: 'acc/retrieval.request',
  retrieval: 'acc/retrieval',
  disclosure: 'acc/disclosure',
} as const;

/** Index of granted retrievals by the approval they used (`approvalId`): counts the uses. */
export const APPROVAL_USE_INDEX = 'acc/approval-use';
