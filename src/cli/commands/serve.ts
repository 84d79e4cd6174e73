/**
 * `serve <ledger-folder | postgres-url> --config <file> [--port 8080] [--host 127.0.0.1] [--checkpoint-every <d>]`:
 * the HTTP API
 * (docs/SERVE.md). Logs `serve: listening on <url>` on stderr once it accepts requests; on SIGTERM or SIGINT it stops
 * accepting, finishes the requests in flight (their group commits), closes the ledger and exits 0. On SIGHUP it reads
 * the config file again and takes its principals (token rotation without a restart; anything else changed is refused).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  MIN_CHECKPOINT_EVERY_MS,
  isPostgresUrl,
  listen,
  openServed,
  parseDuration,
  readServeConfig,
} from '../../serve';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { folderPaths, ledgerLocation, readConfig } from '../folder';
import type { OutputOf } from '../schemas';

export interface ServeOptions {
  readonly config: string;
  readonly port: string;
  readonly host: string;
  /** Sign a checkpoint this often when the log grew (`30s`, `5m`, `500ms`). */
  readonly checkpointEvery?: string;
}

export async function serveCmd(
  ctx: Ctx,
  target: string,
  opts: ServeOptions,
  version: string,
): Promise<Outcome> {
  const port = Number(opts.port);
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535)
    throw new CliError('USAGE', `--port ${opts.port}: a port number 0–65535`);
  const configPath = resolve(ctx.io.cwd, opts.config);
  const config = await readServeConfig(configPath);
  const cpName = config.data.checkpointKey;
  let checkpointEveryMs: number | undefined;
  if (opts.checkpointEvery !== undefined) {
    checkpointEveryMs = parseDuration(opts.checkpointEvery);
    if (checkpointEveryMs === undefined || checkpointEveryMs < MIN_CHECKPOINT_EVERY_MS)
      throw new CliError(
        'USAGE',
        `--checkpoint-every ${opts.checkpointEvery}: a duration of at least ${MIN_CHECKPOINT_EVERY_MS}ms (500ms, 30s, 5m, 1h)`,
      );
    if (cpName === undefined)
      throw new CliError('USAGE', '--checkpoint-every needs a checkpointKey in the server configuration');
  }
  // A ledger folder made by `init` serves its ledger (LevelDB in ledger/, or the PostgreSQL URL its config names) and
  // its content/; a bare LevelDB folder or a postgres:// URL is served as it is.
  let where = isPostgresUrl(target) ? target : resolve(ctx.io.cwd, target);
  let contentDir =
    config.data.contentDir === undefined ? undefined : resolve(config.base, config.data.contentDir);
  if (!isPostgresUrl(where) && existsSync(folderPaths(where).config)) {
    const dir = where;
    where = ledgerLocation(dir, await readConfig(dir));
    contentDir ??= folderPaths(dir).content;
  }
  let served: Awaited<ReturnType<typeof openServed>>;
  try {
    served = await openServed(where, {
      ...(cpName ? { checkpointSigner: config.signers.get(cpName)! } : {}),
      ...(contentDir === undefined ? {} : { contentDir }),
    });
  } catch (err) {
    await config.close(); // signing processes and worker pools of the key store
    throw err;
  }
  let running: Awaited<ReturnType<typeof listen>>;
  try {
    // listen refuses a key of another suite than the ledger's (wrong_suite, by name) before it accepts a request.
    running = await listen({
      served,
      config,
      port,
      host: opts.host,
      version,
      log: (l) => ctx.io.stderr.write(`${l}\n`),
      ...(checkpointEveryMs === undefined ? {} : { checkpointEveryMs }),
    });
  } catch (err) {
    await served.close();
    await config.close();
    throw err;
  }
  ctx.io.stderr.write(`serve: listening on ${running.url} (${served.description})\n`);
  // SIGHUP: read the config file again and take its principals (tokens, scopes, keys), without a restart.
  let reloading = Promise.resolve();
  const hup = () => {
    reloading = reloading.then(async () => {
      try {
        config.reloadPrincipals(await readServeConfig(configPath));
        ctx.io.stderr.write(
          `serve: SIGHUP: reloaded ${config.principals.length} principals from ${configPath}\n`,
        );
      } catch (err) {
        const e = err as Error & { issues?: ReadonlyArray<{ path: unknown[]; message: string }> };
        const why = e.issues?.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') ?? e.message;
        ctx.io.stderr.write(`serve: SIGHUP: config not reloaded, the principals stay as they were: ${why}\n`);
      }
    });
  };
  process.on('SIGHUP', hup);
  const signal = await new Promise<string>((done) => {
    const on = (s: string) => {
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      process.off('SIGHUP', hup);
      done(s);
    };
    const term = () => on('SIGTERM');
    const int = () => on('SIGINT');
    process.on('SIGTERM', term);
    process.on('SIGINT', int);
  });
  await reloading;
  ctx.io.stderr.write(`serve: ${signal}: finishing requests in flight, closing the ledger\n`);
  await running.close();
  await config.close();
  const data: Omit<OutputOf<'serve'>, 'format' | 'command'> = {
    url: running.url,
    signal,
    size: served.ledger.size,
  };
  return {
    command: 'serve',
    exit: 0,
    data,
    human: (l) =>
      l === 'zh'
        ? `已停止服务（${signal}），账本共 ${data.size} 条记录\n`
        : `Stopped (${signal}); the ledger holds ${data.size} entries\n`,
  };
}
