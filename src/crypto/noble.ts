/**
 * @noble/ed25519 with its synchronous SHA-512 hook set to @noble/hashes (the library ships without one so that it
 * stays dependency-free). Every portable module imports noble through here. No node: imports.
 */

import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

if (ed.hashes.sha512 === undefined) ed.hashes.sha512 = sha512;

export { ed, sha512 };
