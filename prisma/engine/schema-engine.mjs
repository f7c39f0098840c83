#!/usr/bin/env node
/**
 * Offline stand-in for Prisma's native `schema-engine` binary (see prisma.config.ts, which points
 * PRISMA_SCHEMA_ENGINE_BINARY here). The Prisma CLI would download that binary from binaries.prisma.sh,
 * which intranets cannot reach, so this script speaks the binary's protocol and forwards every call to
 * Prisma's WebAssembly build of the same engine (@prisma/schema-engine-wasm), which reaches PostgreSQL
 * through @prisma/adapter-pg (wrapped with bindMigrationAwareSqlAdapterFactory).
 *
 * Contract, as used by the Prisma 7.10 CLI:
 * - `schema-engine --version` prints `schema-engine-cli <engine commit>` on stdout.
 * - `schema-engine [--datamodels <schema file>]... --datasource <json {url, shadowDatabaseUrl?}>` serves
 *   JSON-RPC 2.0 on stdin/stdout, one JSON object per line, until stdin closes. Methods and params are the
 *   engine's (applyMigrations, devDiagnostic, createMigration, diff, ...). Errors carry
 *   `error.data = {is_panic, message, error_code?, meta}`. `diff` does not return its output: it sends a
 *   `print` request back to the CLI, which prints the content and answers on stdin.
 * - `schema-engine --datasource <json> cli <can-connect-to-database|create-database|drop-database>` runs one
 *   command, then exits 0, or 1 after an ERROR log line with target `schema_engine::logger` and
 *   `fields.error_code` / `fields.message` (P1001 unreachable, P1003 no such database, ...).
 * - stderr carries log lines only, one JSON object each: `{level, fields: {message, ...}, target}`. For `cli`
 *   commands the CLI drops the first stderr line and parses every other one, so nothing else may go there.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import * as engineGlue from '@prisma/schema-engine-wasm/schema_engine_bg';

// ---------------------------------------------------------------------------------------------- logging

function writeLog(level, message, target = 'schema_engine::logger', fields = {}) {
  process.stderr.write(
    `${JSON.stringify({ timestamp: new Date().toISOString(), level, fields: { message, ...fields }, target })}\n`,
  );
}

/** The wasm engine already logs in the native format (one JSON object per line); pass it through. */
function forwardEngineLog(text) {
  for (const line of String(text).split('\n')) if (line.trim()) process.stderr.write(`${line}\n`);
}

// Node prints warnings as plain text on stderr, which the CLI could not parse: log them as JSON instead.
process.removeAllListeners('warning');
process.on('warning', (warning) => writeLog('WARN', `${warning.name}: ${warning.message}`, 'schema_engine::node'));

// -------------------------------------------------------------------------------------- wasm engine

/**
 * The package entry (`schema_engine.js`) imports the .wasm file as an ES module, which plain Node cannot
 * load. Do what that entry does under a bundler: instantiate the module with the JS glue as its only import.
 */
async function loadSchemaEngine() {
  // The engine reports a Rust panic's message through this global (Prisma's own CLI defines it); without it
  // a panic surfaces as "Cannot read properties of undefined (reading 'set_message')".
  globalThis.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message) => writeLog('ERROR', `schema engine panicked: ${message}`),
  };
  const wasmUrl = new URL('schema_engine_bg.wasm', import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const { instance } = await WebAssembly.instantiate(await readFile(wasmUrl), { './schema_engine_bg.js': engineGlue });
  engineGlue.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return engineGlue;
}

// ------------------------------------------------------------------------------ PostgreSQL connections

/**
 * Pitfall 2: pg lets `connectionString` override `database`, so a shadow-database config made by changing
 * `database` would silently point at the main database. Pool configs are therefore always built from
 * discrete fields of the URL (the native engine's defaults: database `postgres`, 5 s connect timeout).
 */
function poolConfig(url) {
  const u = new URL(url);
  const param = (name) => u.searchParams.get(name) ?? undefined;
  const schema = param('schema');
  const sslmode = param('sslmode');
  return {
    host: param('host') ?? (decodeURIComponent(u.hostname).replace(/^\[(.*)\]$/, '$1') || 'localhost'),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
    ssl: ['require', 'verify-ca', 'verify-full'].includes(sslmode) ? { rejectUnauthorized: sslmode !== 'require' } : undefined,
    connectionTimeoutMillis: Number(param('connect_timeout') ?? 5) * 1000,
    // Like the native engine, unqualified names in migrations resolve to the URL's `schema`.
    options: schema ? `-c search_path="${schema}"` : undefined,
    Client: CatalogAsTextClient,
  };
}

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * Pitfall 1: adapter-pg cannot decode some column types of PostgreSQL's catalog that the engine reads while
 * describing a schema ("char", int2vector, oidvector and arrays of those and of name); it fails with
 * "Column type 'char' could not be deserialized". pg hands their values over as text, so relabel those
 * result columns as text (arrays as text[], parsed) before adapter-pg looks at them.
 * The engine reads a "char" column (e.g. pg_constraint.contype) as a character, not as text, so the names
 * of relabelled "char" columns are remembered per SQL text (the same SQL always has the same columns) and
 * `typeCharColumns` reports them to the engine as characters. PostgreSQL 18 needs this: it lists NOT NULL
 * constraints in pg_constraint, so the engine's constraint query returns rows there.
 */
const CHAR = 18;
const charColumnsBySql = new Map();
const TEXT = 25;
const TEXT_ARRAY = 1009;
const CATALOG_TYPES_AS_TEXT = new Map([
  [18, TEXT],
  [22, TEXT],
  [30, TEXT],
  [1002, TEXT_ARRAY],
  [1003, TEXT_ARRAY],
  [1006, TEXT_ARRAY],
  [1013, TEXT_ARRAY],
]);
const parseTextArray = pg.types.getTypeParser(TEXT_ARRAY, 'text');

function relabelCatalogColumns(result, sql) {
  for (const res of [result].flat()) {
    const charColumns = res?.fields?.filter((field) => field.dataTypeID === CHAR).map((field) => field.name);
    if (charColumns?.length && typeof sql === 'string') charColumnsBySql.set(sql, charColumns);
    res?.fields?.forEach((field, index) => {
      const textType = CATALOG_TYPES_AS_TEXT.get(field.dataTypeID);
      if (textType === undefined) return;
      field.dataTypeID = textType;
      if (textType !== TEXT_ARRAY) return;
      const key = res.rowAsArray ? index : field.name;
      for (const row of res.rows) if (typeof row[key] === 'string') row[key] = parseTextArray(row[key]);
    });
  }
  return result;
}

class CatalogAsTextClient extends pg.Client {
  query(config, values, callback) {
    if (typeof values === 'function') [values, callback] = [undefined, values];
    if (typeof config?.submit === 'function') return super.query(config, values, callback);
    const sql = typeof config === 'string' ? config : config?.text;
    if (callback) return super.query(config, values, (err, res) => callback(err, err ? res : relabelCatalogColumns(res, sql)));
    return super.query(config, values).then((res) => relabelCatalogColumns(res, sql));
  }
}

function typeCharColumns(adapter) {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    const charColumns = charColumnsBySql.get(query.sql);
    if (charColumns) {
      result.columnNames.forEach((name, index) => {
        if (charColumns.includes(name)) result.columnTypes[index] = ColumnTypeEnum.Character;
      });
    }
    return result;
  };
  return adapter;
}

/**
 * Pitfall 4: adapter-pg's executeScript splits the script on ';', which cuts `$$`-quoted function bodies
 * apart. Send the whole script as one simple-protocol query, as the native engine does (PostgreSQL runs a
 * multi-statement query as one implicit transaction).
 */
function sendScriptsWhole(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error); // adapter-pg's own error conversion; always throws
    }
  };
  return adapter;
}

function closeOnce(adapter, close = adapter.dispose.bind(adapter)) {
  let closing;
  adapter.dispose = () => (closing ??= close());
  return adapter;
}

/**
 * Records adapter-pg's errors in `failures`: the wasm engine reports connection failures without the
 * native P100x code, which is recovered from them (see rpcError).
 */
function recordFailures(adapter, failures) {
  const onError = adapter.onError.bind(adapter);
  adapter.onError = (error) => {
    try {
      onError(error);
    } catch (converted) {
      failures.push(converted);
      throw converted;
    }
  };
  return adapter;
}

/**
 * The factory handed to the wasm engine. Every connection it opens is recorded in `session.opened` so that
 * the caller can close them all (the engine does not always do so) before answering the CLI.
 */
function createAdapterFactory({ url, shadowDatabaseUrl }, session) {
  const connect = async (target) => {
    const options = { schema: new URL(target).searchParams.get('schema') ?? undefined };
    const adapter = await new PrismaPg(poolConfig(target), options).connect();
    session.opened.push(closeOnce(sendScriptsWhole(typeCharColumns(recordFailures(adapter, session.failures)))));
    return adapter;
  };
  return bindMigrationAwareSqlAdapterFactory({
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => connect(url),
    connectToShadowDb: () =>
      shadowDatabaseUrl ? emptyShadowDatabase(url, shadowDatabaseUrl, connect) : createShadowDatabase(url, connect),
  });
}

/**
 * A temporary shadow database on the main server, like the native engine's. Pitfall 3: adapter-pg's own
 * version drops the database while its pool is still connected to it, which PostgreSQL refuses; here the
 * shadow pool is closed first, then the database is dropped.
 */
async function createShadowDatabase(url, connect) {
  const admin = await connect(url);
  const name = `prisma_migrate_shadow_db_${randomUUID()}`;
  await admin.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
  const shadow = await connect(withDatabase(url, name));
  return closeOnce(shadow, async () => {
    await shadow.underlyingDriver().end();
    await admin.executeScript(`DROP DATABASE ${quoteIdent(name)}`);
    await admin.dispose();
  });
}

/**
 * A configured `shadowDatabaseUrl`: the native engine empties that database before each use (drops and
 * recreates the schema); the wasm engine does not, and would replay the migrations onto leftovers. Like the
 * native engine, refuse a shadow database that is the main one.
 */
async function emptyShadowDatabase(url, shadowUrl, connect) {
  const same = (a, b) => ['host', 'port', 'database'].every((key) => poolConfig(a)[key] === poolConfig(b)[key]);
  if (same(url, shadowUrl))
    throw new Error(
      'The shadow database you configured appears to be the same as the main database. Please specify another shadow database.',
    );
  const shadow = await connect(shadowUrl);
  const schema = quoteIdent(new URL(shadowUrl).searchParams.get('schema') ?? 'public');
  await shadow.executeScript(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};`);
  return shadow;
}

/**
 * SchemaEngine.new probes the database (schema exists? server version?) even for a diff between schema
 * files and/or the empty schema, which the native engine computes without any database. For those diffs
 * this adapter answers that probe and refuses everything else, so they work without a reachable server.
 */
function createOfflineAdapterFactory() {
  const refuse = async () => {
    throw new Error('The stand-in schema engine has no database connection for this command.');
  };
  const probeAnswer = {
    columnNames: ['exists', 'version', 'numeric_version'],
    columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
    rows: [[true, 'PostgreSQL (no connection)', 150000]],
  };
  const adapter = {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    queryRaw: async ({ sql }) => (sql.includes('server_version_num') ? probeAnswer : refuse()),
    executeRaw: refuse,
    executeScript: refuse,
    startTransaction: refuse,
    getConnectionInfo: () => ({ supportsRelationJoins: true }),
    dispose: async () => {},
  };
  return bindMigrationAwareSqlAdapterFactory({
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: async () => adapter,
    connectToShadowDb: refuse,
  });
}

// ------------------------------------------------------------------------------------ error reporting

/**
 * The native engine's user-facing messages for connection errors, from an adapter-pg error kind. pg's own
 * connect-phase failures (timeout, connection closed during the handshake) carry no kind: as far as the
 * CLI is concerned the server cannot be reached.
 */
function connectionError(error, url) {
  if (error?.code === 'ERR_INVALID_URL')
    return { code: 'P1013', message: `The provided database string is invalid. ${error.message}` };
  const connectFailure = /timeout|Connection terminated/i.test(error?.message ?? '') && !error?.cause?.kind;
  const kind = connectFailure ? 'DatabaseNotReachable' : error?.cause?.kind;
  if (!kind) return undefined;
  const { host, port, user, database } = poolConfig(url);
  switch (kind) {
    case 'DatabaseNotReachable':
    case 'SocketTimeout':
      return {
        code: 'P1001',
        message: `Can't reach database server at \`${host}\`:\`${port}\`\n\nPlease make sure your database server is running at \`${host}\`:\`${port}\`.`,
      };
    case 'AuthenticationFailed':
      return {
        code: 'P1000',
        message: `Authentication failed against database server at \`${host}\`, the provided database credentials for \`${user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at \`${host}\`.`,
      };
    case 'DatabaseDoesNotExist':
      return { code: 'P1003', message: `Database \`${database}\` does not exist on the database server at \`${host}:${port}\`.` };
    case 'DatabaseAlreadyExists':
      return { code: 'P1009', message: `Database \`${database}\` already exists on the database server at \`${host}:${port}\`` };
    case 'DatabaseAccessDenied':
      return { code: 'P1010', message: `User \`${user}\` was denied access on the database \`${database}\`` };
    case 'TlsConnectionError':
      return { code: 'P1011', message: `Error opening a TLS connection: ${error.cause.reason}` };
    case 'ConnectionClosed':
      return { code: 'P1017', message: 'Server has closed the connection.' };
    default:
      return undefined;
  }
}

/** Turns an error of the wasm engine into the `error` member of a native JSON-RPC response. */
function rpcError(error, factory, session, url) {
  const isPanic = error instanceof WebAssembly.RuntimeError;
  // A JS error the engine cannot interpret reaches it as "External error id#N", N indexing the registry.
  const external = /External error id#(\d+)/.exec(error?.message ?? '');
  const jsError = external ? factory.errorRegistry.consumeError(Number(external[1]))?.error : undefined;
  const message = jsError?.message ?? error?.message;
  const failures = [...session.failures, jsError];
  const known = error?.code ? { code: error.code, message } : failures.map((e) => connectionError(e, url)).findLast(Boolean);
  return {
    code: 4466,
    message: 'An error happened. Check the data field for details.',
    data: {
      is_panic: isPanic,
      message: known?.message ?? message ?? String(error),
      backtrace: isPanic ? error.stack : undefined,
      error_code: known?.code,
      meta: error?.meta ?? {},
    },
  };
}

// ------------------------------------------------------------------------------------ JSON-RPC server

/** Runs `use(engine)` on a fresh engine, then closes every connection it opened, before returning. */
async function withEngine(ctx, use, { offline = false } = {}) {
  const session = { opened: [], failures: [] };
  const factory = offline ? createOfflineAdapterFactory() : createAdapterFactory(ctx.datasource, session);
  let engine;
  try {
    engine = await ctx.wasm.SchemaEngine.new({ datamodels: ctx.datamodels }, forwardEngineLog, factory);
    return await use(engine);
  } catch (error) {
    throw Object.assign(new Error('engine call failed'), { rpc: rpcError(error, factory, session, ctx.datasource.url) });
  } finally {
    engine?.free();
    for (const adapter of session.opened.reverse()) {
      await adapter.dispose().catch((e) => writeLog('WARN', `Closing a connection failed: ${e.message}`));
    }
  }
}

/**
 * `diff`: the native engine prints the result through a `print` request to the CLI and returns
 * `stdout: null`; the wasm engine returns it. Diffs of schema files / the empty schema need no database.
 */
async function diff(ctx, params) {
  const offline = [params?.from, params?.to].every((target) => ['empty', 'schemaDatamodel'].includes(target.tag));
  const { stdout, ...result } = await withEngine(ctx, (engine) => engine.diff(params), { offline });
  if (stdout != null) await ctx.askCli('print', { content: stdout.endsWith('\n') ? stdout : `${stdout}\n` });
  return { ...result, stdout: null };
}

/**
 * Pitfall 5: in the wasm engine, evaluateDataLoss and createMigration only get a shadow database right
 * after devDiagnostic on the same engine instance, so run that first (its answer is not needed).
 */
function afterDevDiagnostic(ctx, method, params) {
  return withEngine(ctx, async (engine) => {
    await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
    return engine[method](params);
  });
}

function callEngine(ctx, method, params) {
  if (method === 'diff') return diff(ctx, params);
  if (method === 'evaluateDataLoss' || method === 'createMigration') return afterDevDiagnostic(ctx, method, params);
  const wasmMethod = method === 'getDatabaseVersion' ? 'version' : method;
  if (typeof ctx.wasm.SchemaEngine.prototype[wasmMethod] !== 'function' || wasmMethod === 'free') {
    throw Object.assign(new Error(`Unknown method ${method}`), { rpc: { code: -32601, message: 'Method not found' } });
  }
  return withEngine(ctx, (engine) => engine[wasmMethod](params));
}

async function serveRpc(ctx) {
  const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  const awaitingCli = new Map();
  let nextId = 1;
  ctx.askCli = (method, params) =>
    new Promise((resolve) => {
      const id = `stand-in-${nextId++}`;
      awaitingCli.set(id, resolve);
      send({ id, method, params });
    });

  let queue = Promise.resolve(); // requests run one at a time, in order, like the native engine's
  const handle = async ({ id, method, params }) => {
    try {
      send({ id, result: (await callEngine(ctx, method, params ?? null)) ?? null });
    } catch (error) {
      send({ id, error: error.rpc ?? { code: -32603, message: String(error?.stack ?? error) } });
    }
  };
  const shutdown = () => queue.finally(() => process.exit(0));
  createInterface({ input: process.stdin, crlfDelay: Infinity })
    .on('line', (line) => {
      if (!line.trim()) return;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        send({ id: null, error: { code: -32700, message: 'Parse error' } });
        return;
      }
      if (message.method !== undefined) {
        queue = queue.then(() => handle(message));
      } else {
        awaitingCli.get(message.id)?.(message); // the CLI's answer to `print`
        awaitingCli.delete(message.id);
      }
    })
    .on('close', shutdown);
  // The CLI closes stdin and sends SIGTERM at once: finish the current request (so that no shadow
  // database is left behind), then exit.
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, shutdown);
}

// --------------------------------------------------------------------------------------- cli commands

async function withConnection(url, use) {
  const adapter = await new PrismaPg(poolConfig(url)).connect();
  try {
    return await use(adapter);
  } finally {
    await adapter.dispose();
  }
}

/** Runs SQL on the server's maintenance database (`postgres`, else `template1`), as the native engine does. */
async function onMaintenanceDatabase(url, sql) {
  try {
    await withConnection(withDatabase(url, 'postgres'), (db) => db.executeScript(sql));
  } catch (error) {
    if (error?.cause?.kind !== 'DatabaseDoesNotExist') throw error;
    await withConnection(withDatabase(url, 'template1'), (db) => db.executeScript(sql));
  }
}

async function runCliCommand(command, { url }) {
  writeLog('INFO', `Starting schema engine CLI: ${command}`, 'schema_engine::cli'); // the CLI drops line 1
  try {
    const database = quoteIdent(poolConfig(url).database);
    if (command === 'can-connect-to-database') {
      await withConnection(url, (db) => db.queryRaw({ sql: 'SELECT 1', args: [], argTypes: [] }));
    } else if (command === 'create-database') {
      await onMaintenanceDatabase(url, `CREATE DATABASE ${database}`);
    } else if (command === 'drop-database') {
      await onMaintenanceDatabase(url, `DROP DATABASE ${database}`);
    } else {
      throw new Error(`Unknown cli command: ${command}`);
    }
    return 0;
  } catch (error) {
    const known = connectionError(error, url);
    writeLog('ERROR', known?.message ?? error?.message ?? String(error), 'schema_engine::logger', { error_code: known?.code });
    return 1;
  }
}

// ------------------------------------------------------------------------------------------------ main

function parseArgs(argv) {
  const options = { schemaPaths: [], datasource: {}, cliCommand: undefined, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--datamodels' || arg === '-d') options.schemaPaths.push(argv[++i]);
    else if (arg === '--datasource') options.datasource = JSON.parse(argv[++i]);
    else if (arg === '--enabled-preview-features' || arg === '--extension-types')
      i++; // the wasm engine takes neither
    else if (arg === '--version') options.version = true;
    else if (arg === 'cli') options.cliCommand = argv[++i];
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.cliCommand) process.exit(await runCliCommand(options.cliCommand, options.datasource));
  const wasm = await loadSchemaEngine();
  if (options.version) {
    process.stdout.write(`schema-engine-cli ${wasm.version()}\n`);
    return;
  }
  const datamodels = await Promise.all(options.schemaPaths.map(async (path) => [path, await readFile(path, 'utf8')]));
  await serveRpc({ wasm, datasource: options.datasource, datamodels: datamodels.length ? datamodels : undefined });
}

// Fatal errors, including those the wasm engine throws outside any request (such as params it cannot
// deserialize), end the process like a native engine error: an ERROR log line, then exit code 1.
function exitWithError(error) {
  writeLog('ERROR', error?.message ?? String(error), 'schema_engine::logger', { backtrace: error?.stack });
  process.exit(1);
}
process.on('uncaughtException', exitWithError);
main().catch(exitWithError);
