/**
 * `enforcement-ledger/proofs`: the log's formats and proofs for those who check them with their own tools — entry
 * encoding and signing message, RFC 9162 leaf/node hashing, inclusion and consistency proof verification.
 */
// Public entry point: its export list is part of the API (api/*.api.md, test/api.test.ts). Add names on purpose.
export {
  ADMIN_ROLE,
  ENTRY_CONTEXT,
  FORMAT_VERSION,
  KEY_REGISTER_KIND,
  KEY_REVOKE_KIND,
  KIND_DECLARE_KIND,
  MANIFEST_KIND,
  decodeSignedEntry,
  encodeEntry,
  encodeSignedEntry,
  signingMessage,
} from '../ledger';
export type {
  CborValue,
  ContentRef,
  Entry,
  KeyRegisterBody,
  KeyRevokeBody,
  KindDeclareBody,
  ManifestBody,
} from '../ledger';
export {
  HASH_SIZE,
  LEAF_PREFIX,
  NODE_PREFIX,
  hashChildren,
  hashLeaf,
  rootFromInclusionProof,
  rootFromLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from '../merkle';
