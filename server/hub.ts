/**
 * The hub's process lifecycle, shared by `npm start` (server/main.ts) and the tests.
 *
 * Contract: `startHub` opens the database server (external or embedded), applies migrations when configured,
 * connects Prisma, loads the demo data when configured, and listens. It resolves to the base URL and a `stop()`
 * that shuts down in reverse order (HTTP drain → Prisma → embedded PostgreSQL) and is safe to call twice.
 * If any step fails, what was already started is stopped before the error propagates.
 */
import { loadDemoData } from '../seeds/demo';
import { createHubApp } from './app';
import type { HubConfig } from './config';
import { openDatabaseServer } from './database';
import type { Logger } from './logger';
import { applyMigrations } from './migrate';
import { createPrismaClient, type PrismaClient } from './prisma';

export interface RunningHub {
  url: string;
  databaseUrl: string;
  prisma: PrismaClient;
  stop(): Promise<void>;
}

export async function startHub(config: HubConfig, logger: Logger): Promise<RunningHub> {
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((error) => logger.error({ err: error }, 'error during shutdown'));
    }
  };
  try {
    const database = await openDatabaseServer(config, logger);
    cleanups.push(() => database.stop());
    if (config.migrateOnStart) {
      await applyMigrations(database.url);
      logger.info('hub database migrations applied');
    }
    const prisma = createPrismaClient(database.url);
    cleanups.push(() => prisma.$disconnect());
    if (config.demoData) {
      await loadDemoData(prisma);
      logger.info('demo data loaded');
    }
    const app = await createHubApp(config, { logger, prisma });
    cleanups.push(() => app.stop());
    const url = await app.listen();
    logger.info({ url, database: database.kind }, 'hub listening');
    let stopping: Promise<void> | undefined;
    return { url, databaseUrl: database.url, prisma, stop: () => (stopping ??= stopAll()) };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
