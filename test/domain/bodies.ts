/** Bodies the records tests build again and again. */

/** The party the tests inspect. */
export const PARTY = { name: '某某诊所', kind: 'organisation' as const };

/** An inspection case of agency jc-wjw: its document number is `${caseId}号`, its title the id. */
export function inspectionCase(caseId: string, officers: readonly string[], openedAt: number) {
  return {
    caseId,
    agencyId: 'jc-wjw',
    matterType: 'inspection' as const,
    documentNumber: `${caseId}号`,
    title: caseId,
    target: PARTY,
    openedAt,
    officers: [...officers],
  };
}
