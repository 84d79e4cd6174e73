/**
 * A Signer whose key lives in another process (Node only): a signature server, or a small bridge program in front of
 * a USB key (SKF, GM/T 0016) or an HSM (PKCS#11). This process never sees the private key. The protocol is one JSON
 * object per line on the child's stdin/stdout (docs/design/crypto.md "Hardware keys"):
 *
 *   → {"id":1,"op":"publicKey"}                    ← {"id":1,"publicKey":"<base64>"}
 *   → {"id":2,"op":"sign","message":"<base64>"}    ← {"id":2,"signature":"<base64>"}  or  {"id":2,"error":"…"}
 *
 * Public keys and signatures are in the suite's raw encoding (SM2: 04 ‖ X ‖ Y and r ‖ s). Every signature the child
 * returns is verified under its public key before it is handed out (a device that returns garbage, or signs with
 * another key or user id, is caught here rather than in the ledger): CryptoError CRYPTO_SIGNER_FAILED.
 */

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fromBase64, toBase64 } from '../bytes';
import { CryptoError } from '../errors';
import { suiteById } from './node-registry';
import type { CryptoSuite, Signer, SuiteId } from './types';

export interface ProcessSignerOptions {
  readonly suite: SuiteId;
  readonly command: string;
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Per request; a USB key asking for a PIN may take a while. Default 30 s. */
  readonly timeoutMs?: number;
}

export interface ProcessSigner extends Signer {
  /** Closes the child's stdin and waits for it to exit. Pending signatures fail. */
  close(): Promise<void>;
}

interface Pending {
  readonly resolve: (reply: Record<string, unknown>) => void;
  readonly reject: (err: unknown) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

function failed(message: string, cause?: unknown): CryptoError {
  return new CryptoError('CRYPTO_SIGNER_FAILED', message, cause === undefined ? undefined : { cause });
}

export async function createProcessSigner(options: ProcessSignerOptions): Promise<ProcessSigner> {
  const suite: CryptoSuite = suiteById(options.suite);
  if (typeof options.command !== 'string' || options.command === '')
    throw new TypeError('options.command must be a non-empty string');
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1)
    throw new RangeError('options.timeoutMs must be a positive integer');

  const child: ChildProcessWithoutNullStreams = spawn(options.command, [...(options.args ?? [])], {
    env: options.env ?? process.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited: CryptoError | undefined;
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => {
    stderr = (stderr + s).slice(-2000);
  });

  const failAll = (err: CryptoError) => {
    exited ??= err;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
  };
  /** A child that breaks the protocol cannot be trusted to answer the next request right: stop it. */
  const protocolError = (message: string) => {
    failAll(failed(message));
    child.kill();
  };
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      failAll(
        failed(`signing process exited (${signal ?? `code ${code}`})${stderr ? `: ${stderr.trim()}` : ''}`),
      );
      resolve();
    });
  });
  child.on('error', (err) => failAll(failed(`cannot run signing process ${options.command}`, err)));
  child.stdin.on('error', () => {}); // EPIPE after the child died: reported through 'exit'

  createInterface({ input: child.stdout }).on('line', (line) => {
    let reply: Record<string, unknown>;
    try {
      reply = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return protocolError('signing process wrote a line that is not JSON');
    }
    const p = typeof reply.id === 'number' ? pending.get(reply.id) : undefined;
    if (p === undefined) return protocolError('signing process answered a request it was not sent');
    pending.delete(reply.id as number);
    clearTimeout(p.timer);
    p.resolve(reply);
  });

  const request = (op: string, fields: Record<string, string> = {}): Promise<Record<string, unknown>> => {
    if (exited) return Promise.reject(exited);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(failed(`signing process did not answer ${op} within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
      child.stdin.write(`${JSON.stringify({ id, op, ...fields })}\n`);
    });
  };
  const bytesField = (reply: Record<string, unknown>, field: string): Uint8Array => {
    if (typeof reply.error === 'string') throw failed(`signing process refused: ${reply.error}`);
    if (typeof reply[field] !== 'string') throw failed(`signing process reply has no ${field}`);
    try {
      return fromBase64(reply[field] as string);
    } catch (cause) {
      throw failed(`signing process reply field ${field} is not base64`, cause);
    }
  };

  let publicKey: Uint8Array;
  try {
    publicKey = bytesField(await request('publicKey'), 'publicKey');
    suite.checkPublicKey(publicKey);
  } catch (err) {
    child.kill();
    throw err instanceof CryptoError && err.code === 'CRYPTO_SIGNER_FAILED'
      ? err
      : failed(`signing process gave an unusable ${suite.signatureName} public key`, err);
  }

  return Object.freeze({
    suite: suite.id,
    keyId: suite.keyId(publicKey),
    publicKey,
    async sign(message: Uint8Array): Promise<Uint8Array> {
      if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
      const signature = bytesField(await request('sign', { message: toBase64(message) }), 'signature');
      if (signature.length !== suite.signatureLength || !suite.verify(publicKey, message, signature))
        throw failed(
          `signing process returned a signature that does not verify under its ${suite.signatureName} key`,
        );
      return signature;
    },
    async close(): Promise<void> {
      if (child.exitCode === null && child.signalCode === null) child.stdin.end();
      await exitedPromise;
    },
  });
}
