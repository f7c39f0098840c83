/**
 * The hub's Prometheus metrics registry, served at GET /metrics to callers presenting the ops key (401 otherwise).
 * One registry per hub instance (not prom-client's global default), so that several hubs in one process keep
 * separate counters.
 */
import express, { type Router } from 'express';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { errorBody } from './errors';
import { presentsOpsKey } from './ops-access';

export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hub_process_' });
  return registry;
}

export function metricsRouter(registry: Registry, opsKey: string | null): Router {
  const router = express.Router();
  router.get('/metrics', async (req, res) => {
    if (!presentsOpsKey(req, opsKey)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="yilao-yixiao-hub-ops"');
      const reason = opsKey ? 'OPS_KEY_REQUIRED' : 'OPS_KEY_NOT_CONFIGURED';
      return void res
        .status(401)
        .json(errorBody('UNAUTHENTICATED', 'Metrics need the ops key (HUB_OPS_KEY) 指标需要运维密钥', { reason }));
    }
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
