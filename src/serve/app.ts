/**
 * The HTTP server (Hono on Node's http server): authentication, scopes, body limits and schema checks in front of the
 * route table, the JSON error format, and a graceful shutdown that loses no acknowledged append.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve as nodeServe } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { ValidationError } from '../errors';
import { buildRoutes } from './api';
import { startCheckpointing } from './checkpoints';
import type { Principal, ServeConfig } from './config';
import { HttpError, httpError, toHttpError } from './errors';
import type { Served } from './open';
import { openApiDocument } from './openapi';
import { type RouteDef, route } from './routes';

export interface AppOptions {
  readonly served: Served;
  readonly config: ServeConfig;
  /** Version for the OpenAPI document. */
  readonly version?: string;
  /** Where errors the server did not expect are written (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface ServeApp {
  readonly app: Hono;
  readonly routes: readonly RouteDef[];
  readonly openapi: Record<string, unknown>;
  /** Requests being handled now. */
  inFlight(): number;
  /** Refuse new requests (503 SHUTTING_DOWN) from now on. */
  drain(): void;
  /** Resolves when no request is in flight. */
  idle(): Promise<void>;
}

/** Largest content upload (POST /v1/content), unless the config says otherwise. */
export const DEFAULT_MAX_CONTENT_BYTES = 1024 * 1024 * 1024;

const zodIssues = (err: z.ZodError, prefix: Array<string | number> = []) =>
  new ValidationError(
    err.issues.map((i) => ({
      code: i.code,
      path: [...prefix, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      message: i.message,
    })),
  );

function errorResponse(c: Context, e: HttpError): Response {
  return c.json({ error: e.body }, e.status as 400, e.headers);
}

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization');
  if (h === undefined) return undefined;
  const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(h);
  return m ? m[1] : '';
}

export function createApp(opts: AppOptions): ServeApp {
  const { served, config } = opts;
  // Every key of the store signs in the ledger's suite: one of another suite is refused by name before any request.
  config.checkSuite(served.ledger.suite.id);
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  let openapi: Record<string, unknown> = {};
  const routes: RouteDef[] = [
    ...buildRoutes(),
    route({
      method: 'get',
      path: '/openapi.json',
      operationId: 'openapi',
      summary: 'this OpenAPI 3.1 document, generated from the route schemas',
      tag: 'server',
      access: 'public',
      response: { status: 200, contentType: 'application/json', description: 'the OpenAPI document' },
      handler: async () => openapi,
    }),
  ];
  openapi = openApiDocument(routes, opts.version ?? '0.0.0');
  const app = new Hono();
  let inFlight = 0;
  let draining = false;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (inFlight === 0) {
      for (const w of waiters) w();
      waiters = [];
    }
  };

  app.onError((err, c) => {
    const e = toHttpError(err);
    if (e.status >= 500) log(`serve: ${c.req.method} ${c.req.path}: ${(err as Error)?.stack ?? String(err)}`);
    return errorResponse(c, e);
  });
  app.notFound((c) =>
    errorResponse(c, httpError(404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)),
  );

  app.use('*', async (c, next) => {
    if (draining) {
      c.header('connection', 'close');
      return errorResponse(c, httpError(503, 'SHUTTING_DOWN', 'the server is shutting down'));
    }
    inFlight++;
    try {
      await next();
      // A response finished while draining closes its connection: the client's next request opens a new one (to
      // another instance), instead of racing the server's close on this one.
      if (draining) c.res.headers.set('connection', 'close');
    } finally {
      inFlight--;
      settle();
    }
  });

  const tooLarge = (c: Context) =>
    errorResponse(c, httpError(413, 'BODY_TOO_LARGE', `the request body is larger than the limit`));
  const jsonLimit = bodyLimit({ maxSize: config.data.maxBodyBytes, onError: tooLarge });
  const rawLimit = bodyLimit({
    maxSize: config.data.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES,
    onError: tooLarge,
  });

  const authenticate = (c: Context, r: RouteDef): Principal | undefined => {
    if (r.access === 'public' || (r.access === 'tiles' && config.data.publicTiles)) return undefined;
    const token = bearer(c);
    const unauthorized = (msg: string) =>
      new HttpError(401, { code: 'AUTH_REQUIRED', message: msg }, { 'www-authenticate': 'Bearer' });
    if (token === undefined) throw unauthorized('a bearer token is required (Authorization: Bearer <token>)');
    const p = token === '' ? undefined : config.authenticate(token);
    if (!p) throw unauthorized('the token is not a registered principal’s');
    const need = r.access === 'tiles' ? 'read' : r.access;
    if (!p.scopes.has(need) && !p.scopes.has('admin'))
      throw httpError(403, 'FORBIDDEN_SCOPE', `principal ${p.id} lacks the ${need} scope`);
    return p;
  };

  for (const r of routes) {
    const path = r.honoPath ?? r.path.replace(/\{(\w+)\}/g, ':$1');
    const handler = async (c: Context) => {
      const principal = authenticate(c, r);
      const params = r.params ? r.params.safeParse(c.req.param()) : undefined;
      if (params && !params.success) throw zodIssues(params.error, ['params']);
      const query = r.query ? r.query.safeParse(c.req.query()) : undefined;
      if (query && !query.success) throw zodIssues(query.error, ['query']);
      let body: unknown;
      if (r.body) {
        const type = c.req.header('content-type') ?? '';
        if (!/^application\/json\s*(;|$)/i.test(type))
          throw httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json');
        const text = await c.req.text();
        let json: unknown;
        try {
          json = text === '' ? {} : JSON.parse(text);
        } catch (err) {
          throw new ValidationError([
            { code: 'invalid_json', path: [], message: `the body is not JSON: ${(err as Error).message}` },
          ]);
        }
        const parsed = r.body.safeParse(json);
        if (!parsed.success) throw zodIssues(parsed.error);
        body = parsed.data;
      }
      const out = await r.handler({
        params: params?.data,
        query: query?.data,
        body,
        principal,
        served,
        config,
        c,
      });
      if (out instanceof Response) return out;
      return c.json(out as object, r.response.status as 200);
    };
    const limit = r.rawBody ? rawLimit : jsonLimit;
    if (r.method === 'get') app.get(path, handler);
    else app.post(path, limit, handler);
  }

  return {
    app,
    routes,
    openapi,
    inFlight: () => inFlight,
    drain: () => {
      draining = true;
    },
    idle: () =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
  };
}

export interface RunningServer {
  readonly server: Server;
  readonly port: number;
  readonly host: string;
  readonly url: string;
  readonly app: ServeApp;
  /**
   * Graceful shutdown: stop accepting connections, refuse new requests on kept-alive ones, wait for the requests in
   * flight (their appends are acknowledged only after their group commit is durable), then close the ledger.
   */
  close(): Promise<void>;
}

export interface ListenOptions extends AppOptions {
  readonly port: number;
  readonly host: string;
  /** On close, how long connections may stay open after the last answer is written (default 10 s). */
  readonly graceMs?: number;
  /**
   * Sign a checkpoint this often (ms) when the log grew since its last one (src/serve/checkpoints.ts); the ledger
   * must have been opened with the checkpoint key as its checkpointSigner. Default: only on POST /v1/checkpoints.
   */
  readonly checkpointEveryMs?: number;
}

/** Starts the server; resolves once it listens (port 0: a free port, in `port`). */
export async function listen(opts: ListenOptions): Promise<RunningServer> {
  const sa = createApp(opts);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = nodeServe({ fetch: sa.app.fetch, port: opts.port, hostname: opts.host }, () =>
      resolve(s as Server),
    );
    (s as Server).once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const checkpointer =
    opts.checkpointEveryMs === undefined
      ? undefined
      : startCheckpointing(opts.served, opts.checkpointEveryMs, log);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      sa.drain();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await sa.idle();
      // Every answer is written; connections still open after a grace period (a slow reader) are cut.
      const grace = setTimeout(() => server.closeAllConnections(), opts.graceMs ?? 10_000);
      await stopped;
      clearTimeout(grace);
      await checkpointer?.stop();
      await opts.served.close();
    })());
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return { server, port, host: opts.host, url: `http://${hostInUrl}:${port}`, app: sa, close };
}
