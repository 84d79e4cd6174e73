/** Witnessing (issue 8): the witness's own state file, air-gapped request/response files, the log's side, and the verifier's policy. */
export { FileWitnessStore, WITNESS_STATE_FORMAT } from './file-store';
export { StoreWitnessStore } from './store-state';
export {
  answerWitnessRequest,
  readWitnessResponse,
  recordWitnessResponse,
  WITNESS_RESPONSE_FORMAT,
  writeWitnessRequest,
} from './exchange';
export type { WitnessRefusal, WitnessResponse } from './exchange';
export {
  addSignatureLines,
  buildAddCheckpointRequest,
  checkCosignatureLine,
  cosignedCheckpoint,
  recordCosignature,
  recordedCosignatures,
  witnessLedger,
} from './ledger';
export type { RecordedCosignature, WitnessClient, WitnessLedgerOptions } from './ledger';
export { checkPolicy, checkWitnessQuorum } from './policy';
export type { QuorumResult, WitnessPolicy } from './policy';
