/**
 * Token rotation without a restart: `serve` (the real bin source, one process) reads its config file again on SIGHUP
 * and takes its principals. A removed token is refused (401) from then on and a new one works with its scopes; a
 * config that also changes something else (here the body limit), or is not JSON, is refused with the reason on stderr
 * and the principals stay as they were. The server keeps serving throughout and exits 0 on SIGTERM.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenDigest } from '../../src/serve';
import { tempDir } from '../ledger/helpers';
import { TOKENS, auth, servedFixture, startServe } from './helpers';

const { dir, cleanup } = tempDir('el-serve-reload-');
afterAll(cleanup);

describe('serve: SIGHUP reloads the principals', () => {
  it('refuses a removed token, accepts a new one, keeps the old principals on a bad config', async () => {
    const configPath = await servedFixture(dir);
    const original = JSON.parse(readFileSync(configPath, 'utf8')) as {
      principals: Array<{ id: string; tokenSha256: string; scopes: string[]; keys?: string[] }>;
      maxBodyBytes?: number;
    };
    const s = startServe(join(dir, 'ledger'), configPath);
    const base = await s.url;
    const status = async (token: string) =>
      (await fetch(`${base}/v1/log`, { headers: auth(token, false) })).status;
    /** Sends SIGHUP and waits (bounded) for the server's answer line on stderr. */
    const hup = async () => {
      const before = s.stderr().split('SIGHUP:').length;
      s.proc.kill('SIGHUP');
      for (let i = 0; i < 600 && s.stderr().split('SIGHUP:').length === before; i++)
        await new Promise((r) => setTimeout(r, 20));
      const lines = s.stderr().trim().split('\n');
      return lines[lines.length - 1]!;
    };

    expect(await status(TOKENS.reader)).toBe(200);
    const NEW = 'token-of-the-new-inspector-0123456789';
    const rotated = {
      ...original,
      principals: [
        ...original.principals.filter((p) => p.id !== 'inspector'),
        { id: 'inspector-2', tokenSha256: tokenDigest(NEW), scopes: ['read'] },
      ],
    };
    writeFileSync(configPath, JSON.stringify(rotated));
    expect(await hup()).toMatch(/SIGHUP: reloaded 4 principals/);
    expect(await status(TOKENS.reader)).toBe(401);
    expect(await status(NEW)).toBe(200);
    expect(await status(TOKENS.wang)).toBe(200);
    // The new principal has only its own scopes.
    const v = await fetch(`${base}/v1/verify`, { method: 'POST', headers: auth(NEW), body: '{}' });
    expect(v.status).toBe(403);

    // A config that changes more than the principals: refused, nothing taken (not even its new principal).
    const LATER = 'token-of-a-later-inspector-0123456789';
    writeFileSync(
      configPath,
      JSON.stringify({
        ...rotated,
        maxBodyBytes: 8192,
        principals: [
          ...rotated.principals,
          { id: 'later', tokenSha256: tokenDigest(LATER), scopes: ['read'] },
        ],
      }),
    );
    expect(await hup()).toMatch(/not reloaded.*maxBodyBytes: maxBodyBytes changed.*restart/);
    expect(await status(LATER)).toBe(401);
    expect(await status(NEW)).toBe(200);

    writeFileSync(configPath, '{ not json');
    expect(await hup()).toMatch(/not reloaded.*is not JSON/);
    expect(await status(NEW)).toBe(200);
    expect(await status(TOKENS.reader)).toBe(401);

    s.proc.kill('SIGTERM');
    expect(await s.exit).toBe(0);
  });
});
