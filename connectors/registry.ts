/**
 * The hub's set of connectors, built from the connector configuration: one per configured department.
 *
 * Contract: `createConnectorRegistry(configs, metrics)` constructs (configure) every connector; `start()`
 * initialises them, runs a first health check and then one every `healthCheckIntervalMs` in the background
 * (never failing the hub: a department that is down is reported DOWN); `get(name)` returns a connector or
 * throws when that department is not configured; `stop()` stops the checks and closes every connector.
 * `get('civil-affairs')` is typed by civil affairs' published interface (`ConnectorOf<'civil-affairs'>`).
 */
import type { ConnectorConfig } from './config';
import { DepartmentConnector } from './connector';
import type { ConnectorName } from './department-interface';
import { DEPARTMENT_INTERFACES } from './departments';
import type { ConnectorMetrics } from './metrics';
import { HttpTransport } from './transports/http';
import { SqlTransport } from './transports/sql';
import type { Transport } from './transports/transport';
import { ConnectorError, type Connector, type ConnectorOf, type ConnectorStatus } from './contract';

export interface ConnectorRegistry {
  get<C extends ConnectorName>(name: C): ConnectorOf<C>;
  has(name: ConnectorName): boolean;
  all(): Connector[];
  statuses(): ConnectorStatus[];
  /** Health-checks every connector now and returns the fresh statuses. */
  checkAll(): Promise<ConnectorStatus[]>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function createTransport(config: ConnectorConfig): Transport {
  return config.transport === 'http'
    ? new HttpTransport(config.name, config, config.limits.concurrentCalls)
    : new SqlTransport(config.name, config, config.limits);
}

export function createConnector(config: ConnectorConfig, metrics: ConnectorMetrics): Connector {
  return new DepartmentConnector(DEPARTMENT_INTERFACES[config.name], config, createTransport(config), metrics);
}

export function createConnectorRegistry(configs: ConnectorConfig[], metrics: ConnectorMetrics): ConnectorRegistry {
  const connectors = new Map<ConnectorName, Connector>(configs.map((c) => [c.name, createConnector(c, metrics)]));
  const timers: NodeJS.Timeout[] = [];
  const checkAll = () => Promise.all([...connectors.values()].map((c) => c.healthCheck()));
  return {
    get<C extends ConnectorName>(name: C) {
      const connector = connectors.get(name);
      if (!connector) {
        throw new ConnectorError(name, 'lookup', 'UNAVAILABLE', 503, 'department is not configured in this hub');
      }
      // The one place department data gets its static types: this connector was built from
      // DEPARTMENT_INTERFACES[name] and validates every record, row and result against that interface's
      // schemas (connector.ts), so its answers are what PublishedInterfaces[name] infers.
      return connector as unknown as ConnectorOf<C>;
    },
    has: (name) => connectors.has(name),
    all: () => [...connectors.values()],
    statuses: () => [...connectors.values()].map((c) => c.status()),
    checkAll,
    async start() {
      await Promise.all([...connectors.values()].map((c) => c.init()));
      await checkAll();
      for (const config of configs) {
        if (config.limits.healthCheckIntervalMs <= 0) continue;
        const timer = setInterval(() => void connectors.get(config.name)!.healthCheck(), config.limits.healthCheckIntervalMs);
        timer.unref();
        timers.push(timer);
      }
    },
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.all([...connectors.values()].map((c) => c.close()));
    },
  };
}
