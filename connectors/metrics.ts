/**
 * Prometheus metrics of connector calls. One `ConnectorMetrics` per hub instance, on the hub's own registry
 * (served at GET /metrics), so that several hubs in one process (tests) do not share counters.
 *
 * hub_connector_requests_total{connector,operation,outcome} counts every call a connector makes to its
 * department (each retry attempt is a call); hub_connector_request_duration_seconds{connector,operation} is
 * its latency. `operation` is `<entity>.batchGet`, `<entity>.search`, `<aggregate>.aggregate`, `aggregates.batch`
 * (several aggregates in one call),
 * `<command>.command` or `healthCheck`; `outcome` is success, rejected (a command the department refused),
 * or the failure reason in lower case (timeout, unavailable, circuit_open, malformed_record, …).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type CallOutcome = string;

export class ConnectorMetrics {
  readonly requests: Counter<'connector' | 'operation' | 'outcome'>;
  readonly duration: Histogram<'connector' | 'operation'>;
  readonly circuitOpen: Gauge<'connector'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'hub_connector_requests_total',
      help: 'Calls from the hub to department systems, by connector, operation and outcome',
      labelNames: ['connector', 'operation', 'outcome'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'hub_connector_request_duration_seconds',
      help: 'Latency of calls from the hub to department systems',
      labelNames: ['connector', 'operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.circuitOpen = new Gauge({
      name: 'hub_connector_circuit_open',
      help: '1 while the circuit breaker of a connector is open (calls refused), else 0',
      labelNames: ['connector'],
      registers: [registry],
    });
  }

  record(connector: string, operation: string, outcome: CallOutcome, seconds: number): void {
    this.requests.inc({ connector, operation, outcome });
    this.duration.observe({ connector, operation }, seconds);
  }
}
