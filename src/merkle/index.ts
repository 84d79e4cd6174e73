/** RFC 9162 Merkle tree: hashing, pure index maths (plan → fetch → rehash), verification, compact range. */
export { hashChildren, hashLeaf, LEAF_PREFIX, NODE_PREFIX, rootFromLeafHashes, splitPoint } from './hash';
export type { NodeId } from './node-id';
export { foldNodes, HASH_SIZE, rangeNodes, rootPlan } from './node-id';
export {
  consistencyProofLength,
  consistencyProofPlan,
  inclusionProofLength,
  inclusionProofPlan,
  materialize,
  materializeAsync,
} from './proof-plan';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify';
export type { NewNode } from './compact-range';
export { CompactRange } from './compact-range';
