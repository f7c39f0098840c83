/**
 * Liveness and readiness endpoints for orchestrators and operators.
 *
 * Contract: `GET /healthz` answers 200 whenever the process can serve HTTP. `GET /readyz` answers 200 only when
 * the hub database answers a query within the configured timeout, otherwise 503; it never hangs longer than that
 * timeout. Anyone sees the status; a caller presenting the ops key (ops-access.ts) also sees each check with its
 * reason and each department connector's last known status: a
 * department that is down degrades the data the hub serves but does not make the hub unready (the hub keeps
 * serving everything else, with errors at the affected paths).
 */
import type { Request, Response, Router } from 'express';
import express from 'express';
import type { PrismaClient } from '../prisma/client';
import { presentsOpsKey } from './ops-access';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  reason?: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A short, non-sensitive reason: the error's code or first line, never a connection string. */
function reasonOf(error: unknown): string {
  const err = error as { code?: unknown; message?: unknown };
  const code = typeof err?.code === 'string' ? err.code : undefined;
  const message = typeof err?.message === 'string' ? err.message.split('\n')[0]!.replace(/\S+:\/\/\S+/g, '<url>') : '';
  return code && !message.includes(code) ? `${code}: ${message}` : message || 'unknown error';
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    await withTimeout(check.check(), timeoutMs);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), reason: reasonOf(error) };
  }
}

export function databaseCheck(prisma: PrismaClient): ReadinessCheck {
  return { name: 'database', check: async () => void (await prisma.$queryRaw`SELECT 1`) };
}

export interface HealthOptions {
  timeoutMs: number;
  opsKey: string | null;
  /** Details for operators (connector statuses). */
  report?: () => Record<string, unknown>;
}

export function healthRouter(checks: ReadinessCheck[], { timeoutMs, opsKey, report = () => ({}) }: HealthOptions): Router {
  const router = express.Router();
  router.get('/healthz', (_req: Request, res: Response) => {
    res.json({ status: 'alive' });
  });
  router.get('/readyz', async (req: Request, res: Response) => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c, timeoutMs)] as const));
    const ready = results.every(([, r]) => r.status === 'up');
    const status = ready ? 'ready' : 'not_ready';
    if (!presentsOpsKey(req, opsKey)) return void res.status(ready ? 200 : 503).json({ status });
    res.status(ready ? 200 : 503).json({ status, checks: Object.fromEntries(results), ...report() });
  });
  return router;
}
