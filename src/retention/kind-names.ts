/** Kind names of the retention layer (`ret/…`), signed by the archivist unless noted in kinds.ts. */
export const RET = {
  evidence: 'ret/evidence',
  reclassify: 'ret/reclassify',
  hold: 'ret/hold',
  holdRelease: 'ret/hold.release',
  purgeRequest: 'ret/purge.request',
  purge: 'ret/purge',
} as const;
