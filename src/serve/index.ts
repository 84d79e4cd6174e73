/** `enforcement-ledger serve`: the HTTP API over a ledger (docs/SERVE.md). */
export { createApp, listen, DEFAULT_MAX_CONTENT_BYTES } from './app';
export { MIN_CHECKPOINT_EVERY_MS, parseDuration, startCheckpointing } from './checkpoints';
export type { Checkpointer } from './checkpoints';
export type { AppOptions, ListenOptions, RunningServer, ServeApp } from './app';
export {
  SCOPES,
  SERVE_CONFIG_FORMAT,
  ServeConfigSchema,
  loadServeConfig,
  readServeConfig,
  tokenDigest,
} from './config';
export type { KeySourceInput, Principal, Scope, ServeConfig, ServeConfigInput } from './config';
export { HttpError, toHttpError } from './errors';
export { isPostgresUrl, openServed } from './open';
export type { OpenServedOptions, Served } from './open';
export { openApiDocument } from './openapi';
export { parseTilePath, readTile, tileAvailable, tilePath, TILE_HEIGHT, TILE_WIDTH } from './tiles';
export type { TilePath } from './tiles';
