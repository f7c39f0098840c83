/**
 * The service entry point (`node --import tsx server/main.ts` under a service manager): configuration,
 * start-up, and graceful shutdown on SIGTERM/SIGINT. A configuration error prints one line naming the variable
 * and exits with status 2. The demo entry (demo/main.ts, `npm start`) runs the same with the demo wiring.
 */
import './production-mode';
import { ConfigError, loadConfig, type HubConfig } from './config';
import type { StartOptions } from './hub';
import { createLogger } from './logger';

function readConfig(): HubConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

export async function runHubProcess(options: StartOptions = {}): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  // Imported after the configuration is valid, so a bad variable is reported before anything heavy loads.
  const { startHub } = await import('./hub');
  const hub = await startHub(config, logger, options).catch((error) => {
    logger.fatal({ err: error }, 'hub failed to start');
    process.exit(1);
  });

  let shuttingDown = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownGraceMs);
    force.unref();
    hub.stop().then(
      () => process.exit(0),
      (error) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

if (require.main === module) void runHubProcess();
