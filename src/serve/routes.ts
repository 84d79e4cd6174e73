/**
 * The route table: every route's method, path, scope, request schemas (zod) and handler, in one list. The Hono app
 * (app.ts) is built from it, and so is the OpenAPI document (openapi.ts): a route cannot exist without its schema.
 */
import type { Context } from 'hono';
import type { z } from 'zod';
import type { Scope, ServeConfig, Principal } from './config';
import type { Served } from './open';

/** Who may call a route: anyone, a principal with the scope, or (tiles) anyone when the config makes tiles public. */
export type Access = 'public' | 'tiles' | Scope;

export interface RouteInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly principal: Principal | undefined;
  readonly served: Served;
  readonly config: ServeConfig;
  readonly c: Context;
}

export interface RouteDef<P = unknown, Q = unknown, B = unknown> {
  readonly method: 'get' | 'post';
  /** OpenAPI path (`/v1/entries/{seq}`); the Hono path is derived unless `honoPath` is given. */
  readonly path: string;
  readonly honoPath?: string;
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: z.ZodType<P>;
  readonly query?: z.ZodType<Q>;
  /** A JSON request body, checked with this schema. */
  readonly body?: z.ZodType<B>;
  /** Or a raw body (content upload): its media type; the handler reads the stream. */
  readonly rawBody?: string;
  /** JSON schema of the request body for the OpenAPI document, when richer than `body` (the kind's own schema). */
  readonly bodyDoc?: Record<string, unknown>;
  readonly response: {
    readonly status: number;
    readonly contentType: 'application/json' | 'text/plain; charset=utf-8' | 'application/octet-stream';
    readonly description: string;
    readonly schema?: z.ZodType;
  };
  readonly handler: (input: RouteInput<P, Q, B>) => Promise<Response | unknown>;
}

/** Keeps the generic types of one route together (the table itself is heterogeneous). */
export const route = <P, Q, B>(def: RouteDef<P, Q, B>): RouteDef => def as unknown as RouteDef;
