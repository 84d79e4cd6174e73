import type { HashFn } from '../crypto/types';
import { hashChildren } from './hash';
import { checkSize, foldNodes, HASH_SIZE, type NodeId, rootPlan } from './node-id';

/** A node that became complete on append, to be stored under its id. */
export interface NewNode extends NodeId {
  readonly hash: Uint8Array;
}

/**
 * The appender's view of the tree: the O(log n) frontier (the nodes of rootPlan(size), largest first). Appending
 * never reads storage: `append` returns every perfect node that the new leaf completes, so a batch of leaves can be
 * staged and written together. Copy with `clone` before speculative appends.
 */
export class CompactRange {
  readonly #hash: HashFn;
  #size: number;
  #nodes: NewNode[];

  constructor(hash: HashFn) {
    if (typeof hash !== 'function') throw new TypeError('hash must be a function');
    this.#hash = hash;
    this.#size = 0;
    this.#nodes = [];
  }

  /** Rebuilds the range of a tree of `size` leaves from the hashes of rootPlan(size), in that order. */
  static fromFrontier(hash: HashFn, size: number, hashes: readonly Uint8Array[]): CompactRange {
    checkSize(size, 'size');
    const ids = rootPlan(size);
    if (!Array.isArray(hashes) || hashes.length !== ids.length)
      throw new RangeError(`hashes must hold ${ids.length} node hashes for size ${size}`);
    const range = new CompactRange(hash);
    range.#nodes = ids.map((id, i) => {
      const h = hashes[i];
      if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE)
        throw new RangeError(`hashes[${i}] must be 32 bytes`);
      return { level: id.level, index: id.index, hash: h };
    });
    range.#size = size;
    return range;
  }

  get size(): number {
    return this.#size;
  }

  /** The frontier nodes, largest first (their ids are rootPlan(size)). */
  get nodes(): readonly NewNode[] {
    return this.#nodes.slice();
  }

  /**
   * Adds the leaf at index `size`. Returns the nodes that became complete, bottom up:
   * [{level 0, index size, leafHash}, {level 1, index ⌊size/2⌋, …}, …].
   */
  append(leafHash: Uint8Array): NewNode[] {
    if (!(leafHash instanceof Uint8Array) || leafHash.length !== HASH_SIZE)
      throw new RangeError('leafHash must be 32 bytes');
    if (this.#size >= Number.MAX_SAFE_INTEGER) throw new RangeError('tree size would exceed 2^53 - 1');
    let node: NewNode = { level: 0, index: this.#size, hash: leafHash };
    const out: NewNode[] = [node];
    // Merge with the rightmost frontier node while it is the left sibling (same level).
    for (
      let last = this.#nodes.at(-1);
      last !== undefined && last.level === node.level;
      last = this.#nodes.at(-1)
    ) {
      this.#nodes.pop();
      node = {
        level: node.level + 1,
        index: last.index / 2,
        hash: hashChildren(this.#hash, last.hash, node.hash),
      };
      out.push(node);
    }
    this.#nodes.push(node);
    this.#size += 1;
    return out;
  }

  /** RFC 9162 §2.1.1 MTH of the leaves appended so far (H("") when empty). */
  root(): Uint8Array {
    if (this.#nodes.length === 0) return this.#hash(new Uint8Array(0));
    return foldNodes(
      this.#hash,
      this.#nodes.map((n) => n.hash),
    );
  }

  clone(): CompactRange {
    const copy = new CompactRange(this.#hash);
    copy.#nodes = this.#nodes.slice();
    copy.#size = this.#size;
    return copy;
  }
}
