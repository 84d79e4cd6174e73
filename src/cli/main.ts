#!/usr/bin/env node
/** The `enforcement-ledger` bin. Everything that touches process lives here and in program.ts. */
import { classify } from './exit';
import { run } from './program';

const last = (err: unknown) => {
  const c = classify(err);
  process.stderr.write(`error ${c.code}: ${c.message}\n`);
  process.exit(c.exit);
};
process.on('uncaughtException', last);
process.on('unhandledRejection', last);

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
