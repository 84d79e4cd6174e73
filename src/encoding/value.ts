/** The values the canonical CBOR codec (docs/FORMAT.md §Encoding) encodes and decodes. */

/** A value that canonical CBOR can encode: no floats, no undefined. */
export type CborValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly CborValue[]
  | { readonly [key: string]: CborValue };
