/**
 * `enforcement-ledger/testing`: fixtures for tests and demos — the worked penalty case, deterministic example
 * signers, China-time helpers. Not for production records.
 */
// Public entry point: its export list is part of the API (api/*.api.md, test/api.test.ts). Add names on purpose.
export {
  PENALTY_CASE_DEFECTS,
  buildPenaltyCase,
  contentRefOf,
  cst,
  exampleSigner,
} from '../domain/example-penalty-case';
export type {
  PenaltyCaseDefect,
  PenaltyCaseOptions,
  PenaltyCaseResult,
} from '../domain/example-penalty-case';
