/**
 * Prisma CLI configuration.
 *
 * Offline contract: the Prisma CLI would download a native schema engine from the internet on first use.
 * Government intranets (and this project's CI) have no internet, so the CLI is pointed at
 * `prisma/engine/schema-engine.mjs`, a stand-in that speaks the native engine's JSON-RPC protocol and runs
 * Prisma's own WebAssembly build of the schema engine (`@prisma/schema-engine-wasm`) through the
 * PostgreSQL driver adapter. The variable must be set before the CLI's download check, which is why it is set
 * here rather than in package.json scripts. An operator may still point it at a native binary.
 */
import path from 'node:path';
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'prisma', 'engine', 'schema-engine.mjs');

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    // `prisma generate` needs no database; every command that does is run with DATABASE_URL set
    // (scripts/with-database.ts provides it for the embedded default).
    url: process.env.DATABASE_URL ?? 'postgresql://unset@127.0.0.1:1/unset',
  },
});
