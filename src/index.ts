/**
 * enforcement-ledger: a tamper-evident, signed, append-only ledger for health administrative law enforcement
 * records (卫生健康行政执法全过程记录). Node entry: everything. Browser/offline verification: `enforcement-ledger/verify`.
 */
export * from './errors';
export * from './bytes';
export * from './crypto';
export * from './encoding';
export * from './merkle';
export * from './checkpoint';
export * from './ledger';
export * from './content';
export * from './domain';
export * from './compliance';
export * from './bundles';
export * from './witness';
export * from './retention';
export * from './access';
// The one vocabulary of verification reports (problem codes and their meanings).
export { PROBLEMS, PROBLEM_CODES, describeProblem, isProblemCode } from './problems';
export type { CheckResult, ProblemArea, ProblemCode, ProblemInfo } from './problems';
