/**
 * The hub's process lifecycle, shared by the service entry (server/main.ts), the demo entry (demo/main.ts, what
 * `npm start` runs) and the tests.
 *
 * Contract: `startHub` opens the database server (external or embedded), applies migrations when configured (as
 * the owner), provisions or checks the runtime role (server/database-roles.ts), connects Prisma as it, loads the demo data when configured (through the demo wiring the entry point passes in), writes the sharing catalogue, creates or updates the
 * demo consumer when configured (production refuses to start while one is active), starts the sandbox
 * department systems when configured (and points the connector configuration at them), starts the department
 * connectors, and listens. It resolves to the base URL and a `stop()` that shuts down in reverse order (HTTP
 * drain → connectors → sandbox → Prisma → embedded PostgreSQL) and is safe to call twice. If any step fails,
 * what was already started is stopped before the error propagates.
 */
import { loadConnectorsConfig } from '../connectors/config';
import { ConnectorMetrics } from '../connectors/metrics';
import { createConnectorRegistry, type ConnectorRegistry } from '../connectors/registry';
import { schema } from '../schema';
import { CatalogueStore, syncCatalogue } from './access/catalogue';
import { createIndicatorMemory } from '../indicators/aggregate-cache';
import { syncDefinitionsFile } from '../indicators/definitions';
import { activeDemoConsumerExists, ensureDemoConsumer } from '../resolvers/consumers';
import { RateLimits, rateLimitStore } from './access/rate-limits';
import { ConsumerKeys } from './access/consumer-keys';
import { ChangeListener } from './change-listener';
import { KeptReads } from './kept-reads';
import { createHubApp } from './app';
import { AuditTrail } from './audit/trail';
import type { HubConfig } from './config';
import { openDatabaseServer } from './database';
import { openRuntimeConnection } from './database-roles';
import { localSecret } from './secrets';
import type { Logger } from './logger';
import { createMetricsRegistry } from './metrics';
import { applyMigrations } from './migrate';
import { createPrismaClient, type PrismaClient } from '../prisma/client';
import { startBirth } from './birth';

/**
 * At most this long a key lookup is reused without asking the database; changes are heard at once through
 * LISTEN/NOTIFY (access/consumer-keys.ts), so this bounds only what a lost notification could leave stale.
 */
const KEY_CACHE_TTL_MS = 5000;

export interface RunningHub {
  url: string;
  /** The owner connection (migrations, provisioning); the hub serves requests as `runtimeRole` instead. */
  databaseUrl: string;
  /** The role every hub-side pool (Prisma, the rate-limit store) connects as (server/database-roles.ts). */
  runtimeRole: string;
  runtimeDatabaseUrl: string;
  prisma: PrismaClient;
  connectors: ConnectorRegistry;
  stop(): Promise<void>;
}

/**
 * What the demo entry point adds (demo/wiring.ts): the hub's demo data and stand-in department systems. The
 * hub itself knows neither the synthetic data nor the sandbox; it is only told how to start them.
 */
export interface DemoWiring {
  loadHubData(prisma: PrismaClient): Promise<void>;
  /** Starts stand-in departments beside the hub database and returns the variables that point connectors at them. */
  startDepartments(
    hubDatabaseUrl: string,
    options: { seed: boolean },
    logger: Logger,
  ): Promise<{ connectorEnv: Record<string, string>; stop(): Promise<void> }>;
}

export interface StartOptions {
  /** Needed when the configuration asks for demo data or sandbox departments. */
  demo?: DemoWiring;
  /** Variables the connector configuration reads, over process.env (tests point it at their own sandbox). */
  connectorEnv?: NodeJS.ProcessEnv;
}

export async function startHub(config: HubConfig, logger: Logger, options: StartOptions = {}): Promise<RunningHub> {
  const cleanups: Array<[string, () => Promise<void>]> = [];
  const stopAll = async () => {
    for (const [step, cleanup] of cleanups.splice(0).reverse()) {
      const started = Date.now();
      await cleanup().catch((error) => logger.error({ err: error, step }, 'error during shutdown'));
      logger.debug({ step, ms: Date.now() - started }, 'stopped');
    }
  };
  try {
    const demo = options.demo;
    if ((config.demoData || config.sandboxDepartments) && !demo) {
      throw new Error('demo data and sandbox departments need the demo entry point (npm start, demo/main.ts)');
    }
    const database = await openDatabaseServer(config, logger);
    cleanups.push(['database', () => database.stop()]);
    if (config.migrateOnStart) {
      await applyMigrations(database.url);
      logger.info('hub database migrations applied');
    }
    // From here on the hub is the runtime role (no DDL, audit_event only SELECT and INSERT); the owner
    // connection is left to the sandbox (demo only: it creates the departments' own database beside the hub's).
    const runtime = await openRuntimeConnection(config, database.url, config.migrateOnStart, logger);
    // The server may close an idle pooled connection at any time (an administrator, a restart, a failover):
    // noted, and the pool reconnects on the next query.
    const connectionLost = (pool: string) => (error: Error) =>
      logger.warn({ pool, err: { message: error.message } }, 'hub database closed an idle connection');
    const prisma = createPrismaClient(runtime.url, connectionLost('prisma'));
    cleanups.push(['prisma', () => prisma.$disconnect()]);
    if (config.demoData && demo) {
      await demo.loadHubData(prisma);
      logger.info('demo data loaded');
    }
    await syncCatalogue(prisma, schema);
    await syncDefinitionsFile(prisma);
    if (config.demoApiKey) {
      const demoConsumer = await ensureDemoConsumer(prisma, config.demoApiKey);
      if (demoConsumer.keyUsable) logger.info('demo consumer ready (purpose DEMO)');
      else logger.warn(demoConsumer, 'demo consumer left as the operator set it (suspended, revoked or key revoked)');
    } else if (config.env === 'production' && (await activeDemoConsumerExists(prisma))) {
      throw new Error('an active demo consumer exists in production; revoke it first: npm run consumer -- revoke demo');
    }

    // The composition root is where the connector configuration gets its variables (`${VAR}`, secrets named by
    // `apiKeyEnv`/`passwordEnv`): connectors/ never reads process.env itself.
    let connectorEnv: NodeJS.ProcessEnv = { ...process.env, ...options.connectorEnv };
    if (config.sandboxDepartments && demo) {
      // The sandbox stands in for the department systems; the hub reaches it only through the connector
      // configuration, exactly as it would reach the real systems.
      const sandbox = await demo.startDepartments(database.url, { seed: config.demoData }, logger);
      cleanups.push(['sandbox departments', () => sandbox.stop()]);
      connectorEnv = { ...connectorEnv, ...sandbox.connectorEnv };
    }
    const metrics = createMetricsRegistry();
    const connectors = createConnectorRegistry(
      loadConnectorsConfig(config.connectorsConfigFile, connectorEnv),
      new ConnectorMetrics(metrics),
    );
    await connectors.start();
    cleanups.push(['connectors', () => connectors.stop()]);
    logger.info({ connectors: connectors.statuses().map((s) => `${s.name}:${s.status}`) }, 'connectors started');

    const rateLimits = new RateLimits({
      store: rateLimitStore(config.rateLimitStore, runtime.url),
      defaultPerMinute: config.rateLimitPerMinute,
      authFailuresPerMinute: config.authFailuresPerMinute,
      onIdleConnectionLost: connectionLost('rate limits'),
    });
    cleanups.push(['rate limits', () => rateLimits.stop()]);
    const changes = new ChangeListener(runtime.url, logger);
    const consumerKeys = new ConsumerKeys({ prisma, changes, ttlMs: KEY_CACHE_TTL_MS });
    const kept = new KeptReads(changes);
    await changes.start();
    cleanups.push(['change listener', () => changes.stop()]);
    const auditTrail = new AuditTrail(prisma);
    const secrets = hubSecrets(config);
    const birth = config.workflows.enabled
      ? await startBirth(config, {
          prisma,
          databaseUrl: runtime.url,
          systemSchemaOwner: { url: database.url, applicationRole: runtime.role },
          connectors,
          auditTrail,
          logger,
          metrics,
          secret: secrets.subjectHashKey,
        })
      : null;
    if (birth) cleanups.push(['birth workflows', () => birth.stop()]);
    const app = await createHubApp(
      config,
      {
        rateLimits,
        logger,
        prisma,
        connectors,
        metrics,
        loaderMaxBatch: config.loaderMaxBatch,
        requestCalls: config.requestCalls,
        indicatorSettings: config.indicators,
        indicatorMemory: createIndicatorMemory(),
        catalogue: new CatalogueStore(prisma),
        consumerKeys,
        kept,
        auditTrail,
        birth: birth?.services ?? null,
        secrets,
      },
      birth ? [birth.callbackRouter] : [],
    );
    cleanups.push(['http', () => app.stop()]);
    const url = await app.listen();
    birth?.setBaseUrl(url);
    logger.info({ url, database: database.kind }, 'hub listening');
    let stopping: Promise<void> | undefined;
    return {
      url,
      databaseUrl: database.url,
      runtimeRole: runtime.role,
      runtimeDatabaseUrl: runtime.url,
      prisma,
      connectors,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** One operator secret keys both; cursor-seal derives its own keys from it (HKDF), so they never coincide. */
function hubSecrets(config: HubConfig) {
  const secret = config.auditHmacKey ?? localSecret(config.secretFile);
  return { subjectHashKey: secret, cursorSecret: secret };
}
