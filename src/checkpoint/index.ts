/** C2SP signed notes, tlog checkpoints and tlog cosignatures. Pure: runs in browsers. */
export type { NoteKey, NoteKeyInput, NoteSignature, SignatureType } from './note-key';
export {
  formatSignatureLine,
  formatVerifierKey,
  isValidKeyName,
  keyIdHex,
  noteKey,
  noteKeyId,
  parseVerifierKey,
  SIG_COSIGNATURE_V1,
  SIG_ED25519,
  toNoteKey,
} from './note-key';
export type { Note, VerifiedNote, VerifiedSignature } from './note';
export {
  formatNote,
  MAX_SIGNATURES,
  noteSignatureLines,
  noteText,
  parseNote,
  signNote,
  verifyNote,
} from './note';
export type { Checkpoint, VerifiedCheckpoint } from './checkpoint';
export { formatCheckpoint, parseCheckpoint, signCheckpoint, verifyCheckpoint } from './checkpoint';
export { cosign, cosignatureMessage, cosignatureTimestamp, verifyCosignature } from './cosignature';
export type { AddCheckpointRequest, WitnessState, WitnessStore } from './witness';
export {
  formatAddCheckpointRequest,
  formatSizeResponse,
  MAX_PROOF_LINES,
  parseAddCheckpointRequest,
  Witness,
} from './witness';
