/**
 * Strict PEM (RFC 7468 §3 `stricttextualmsg`): one BEGIN line, base64 lines of exactly 64 characters except the
 * last, one END line with the same label, LF or CRLF line ends, at most one line end after END, nothing around it.
 * No node: imports. Any deviation is CryptoError CRYPTO_BAD_PEM.
 */

import { fromBase64, toBase64 } from '../bytes';
import { CryptoError } from '../errors';

const MAX_PEM_LENGTH = 16 * 1024;
const BASE64_LINE = /^[A-Za-z0-9+/=]{1,64}$/;

export function encodePem(label: string, der: Uint8Array): string {
  const b64 = toBase64(der);
  let body = '';
  for (let i = 0; i < b64.length; i += 64) body += b64.slice(i, i + 64) + '\n';
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

export function decodePem(label: string, text: string): Uint8Array {
  if (typeof text !== 'string') throw new TypeError('pem must be a string');
  const bad = (why: string): CryptoError =>
    new CryptoError('CRYPTO_BAD_PEM', `not a strict "${label}" PEM: ${why}`);
  if (text.length > MAX_PEM_LENGTH) throw bad('too long');
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 3) throw bad('too few lines');
  if (lines[0] !== `-----BEGIN ${label}-----`) throw bad('missing or wrong BEGIN line');
  if (lines[lines.length - 1] !== `-----END ${label}-----`) throw bad('missing or wrong END line');
  const body = lines.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const line = body[i]!;
    if (!BASE64_LINE.test(line)) throw bad(`line ${i + 2} is not base64`);
    if (i < body.length - 1 && line.length !== 64) throw bad(`line ${i + 2} is not 64 characters`);
  }
  try {
    return fromBase64(body.join(''));
  } catch (cause) {
    throw new CryptoError('CRYPTO_BAD_PEM', `not a strict "${label}" PEM: bad base64`, { cause });
  }
}
