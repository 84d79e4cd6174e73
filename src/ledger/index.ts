export { Ledger, MAX_ENTRY_BYTES } from './ledger';
export type { CreateOptions, OpenOptions, Location } from './ledger';
export { LEDGER_CHECKS } from './verify';
export type { LedgerCheck, LedgerVerifyReport, VerifyOptions, VerifyStats } from './verify';
export { CORE_KIND_INDEX, CONTENT_INDEX, indexRowsOf } from './rows';
export type { IndexRow } from './rows';
export {
  ADMIN_ROLE,
  KEY_REGISTER_KIND,
  KEY_REVOKE_KIND,
  KIND_DECLARE_KIND,
  SUITE_ID,
  KeyRegistry,
  validateCoreBody,
} from './registry';
export type { KeyRecord, ManifestBody, KeyRegisterBody, KeyRevokeBody, KindDeclareBody } from './registry';
export {
  FORMAT_VERSION,
  ENTRY_CONTEXT,
  MANIFEST_KIND,
  decodeSignedEntry,
  encodeEntry,
  encodeSignedEntry,
  signingMessage,
} from './format';
export type * from './types';
