/**
 * The hub's Prometheus metrics registry, served at GET /metrics. One registry per hub instance (not prom-client's
 * global default), so that several hubs in one process keep separate counters.
 */
import express, { type Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hub_process_' });
  return registry;
}

export function metricsRouter(registry: Registry): Router {
  const router = express.Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
