/**
 * The OpenAPI 3.1 document of the server, generated from the route table (routes.ts, api.ts): each route's path,
 * parameters, request body and response come from its zod schemas (`z.toJSONSchema`, JSON Schema 2020-12, which
 * OpenAPI 3.1 uses). Served at /openapi.json; docs/openapi.json is the same document, checked by test/serve.
 */
import { z } from 'zod';
import type { RouteDef } from './routes';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'stable code (docs/PROBLEMS.md, docs/SERVE.md "Errors")' },
        message: { type: 'string' },
        issues: {
          type: 'array',
          description: 'every bad field of a refused request or record, with its path',
          items: {
            type: 'object',
            required: ['code', 'path', 'message'],
            properties: {
              code: { type: 'string' },
              path: { type: 'array', items: { type: ['string', 'integer'] } },
              message: { type: 'string' },
            },
          },
        },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
        eventSeq: { type: 'integer', description: 'a refusal the ledger recorded' },
      },
    },
  },
} as const;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

/** Path and query parameters of a zod object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const s = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, sch]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    schema: sch,
  }));
}

export function openApiDocument(routes: readonly RouteDef[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const responses: Record<string, unknown> = {
      [String(r.response.status)]: {
        description: r.response.description,
        content: {
          [r.response.contentType]: {
            schema: r.response.schema
              ? jsonSchema(r.response.schema, 'output')
              : r.response.contentType === 'application/json'
                ? { type: 'object' }
                : {
                    type: 'string',
                    ...(r.response.contentType === 'application/octet-stream' ? { format: 'binary' } : {}),
                  },
          },
        },
      },
      default: {
        description: 'an error',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    };
    const tileParam = r.honoPath?.endsWith('*')
      ? [{ name: 'tile', in: 'path', required: true, schema: { type: 'string' }, description: r.description }]
      : [];
    const op: Record<string, unknown> = {
      operationId: r.operationId,
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: [r.tag],
      security: r.access === 'public' ? [] : [{ bearer: [] }],
      'x-scope': r.access,
      parameters: [...tileParam, ...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
      ...(r.body || r.rawBody
        ? {
            requestBody: {
              required: true,
              content: r.rawBody
                ? { [r.rawBody]: { schema: { type: 'string', format: 'binary' } } }
                : { 'application/json': { schema: r.bodyDoc ?? jsonSchema(r.body!, 'input') } },
            },
          }
        : {}),
      responses,
    };
    paths[r.path] = { ...paths[r.path], [r.method]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'enforcement-ledger',
      version,
      description:
        'HTTP API of `enforcement-ledger serve` (docs/SERVE.md): append signed enforcement records, read entries, proofs and checkpoints, retention and access, bundles, verification, and the log as C2SP tlog-tiles.',
    },
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a principal’s token (docs/SERVE.md)' },
      },
    },
  };
}
