/**
 * Reads Prometheus metrics (the text exposition format served at GET /metrics, or a prom-client registry's
 * `metrics()`): one parser for every test that counts connector calls.
 *
 * `sum` refuses a metric the text does not declare (no `# TYPE` line), so a renamed metric fails the test
 * instead of counting 0 before and 0 after.
 */
import { OPS_HEADERS } from './hub';

export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Metrics {
  samples: MetricSample[];
  /** Metric family name → type (`counter`, `histogram`, …), from the `# TYPE` lines. */
  types: Map<string, string>;
  /** The sum of the samples named `name` whose labels include `labels` (every other label set counts). */
  sum(name: string, labels?: Record<string, string | undefined>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;

function parseValue(text: string, line: string): number {
  // As Prometheus reads them: NaN and infinities in any case (prom-client writes `Nan`).
  if (/^[+]?inf$/i.test(text)) return Infinity;
  if (/^-inf$/i.test(text)) return -Infinity;
  if (/^nan$/i.test(text)) return NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`metrics: bad value in ${JSON.stringify(line)}`);
  return value;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`metrics: bad labels in ${JSON.stringify(line)}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
  }
  return labels;
}

export function parseMetrics(text: string): Metrics {
  const samples: MetricSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    if (line.startsWith('#')) {
      const type = /^# TYPE (\S+) (\S+)/.exec(line);
      if (type) types.set(type[1]!, type[2]!);
      continue;
    }
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`metrics: unparseable line ${JSON.stringify(line)}`);
    samples.push({ name: match[1]!, labels: match[2] ? parseLabels(match[2], line) : {}, value: parseValue(match[3]!, line) });
  }
  return {
    samples,
    types,
    sum(name, labels = {}) {
      const family = name.replace(/_(bucket|count|sum)$/, '');
      if (!types.has(name) && !types.has(family)) throw new Error(`metrics: ${name} is not declared`);
      const wanted = Object.entries(labels).filter(([, value]) => value !== undefined);
      return samples
        .filter((sample) => sample.name === name && wanted.every(([key, value]) => sample.labels[key] === value))
        .reduce((total, sample) => total + sample.value, 0);
    },
  };
}

/** GET /metrics of a running hub, parsed. */
export async function scrapeMetrics(hub: {
  get(pathname: string, headers?: Record<string, string>): Promise<Response>;
}): Promise<Metrics> {
  const response = await hub.get('/metrics', OPS_HEADERS);
  if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
  return parseMetrics(await response.text());
}

/**
 * Calls the hub has made to departments, of every outcome (success, timeout, circuit_open, …): the sum of
 * hub_connector_requests_total over every label set matching `labels`. The connectors' background health checks
 * (`operation="healthCheck"`, every few seconds, on no request's behalf) are left out unless `labels` names
 * that operation.
 */
export async function departmentCalls(
  hub: { get(pathname: string): Promise<Response> },
  labels: { connector?: string; operation?: string; outcome?: string } = {},
): Promise<number> {
  const metrics = await scrapeMetrics(hub);
  const all = metrics.sum('hub_connector_requests_total', labels);
  if (labels.operation !== undefined) return all;
  return all - metrics.sum('hub_connector_requests_total', { ...labels, operation: 'healthCheck' });
}
