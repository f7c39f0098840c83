/**
 * The hub's HTTP application: Apollo Server 5 on Express 5 on Node's http server.
 *
 * Routes: `POST /graphql` (GraphQL over HTTP, JSON), `GET /graphql` (the offline explorer for browsers,
 * GraphQL GET otherwise), `/explorer/*` (its assets), `GET /healthz`, `GET /readyz`, `GET /metrics`.
 *
 * Contract: `createHubApp` builds and starts Apollo but does not listen; `listen()` binds and resolves to the
 * base URL; `stop()` stops accepting connections, lets in-flight requests finish (Apollo's drain plugin) and
 * resolves when the server is closed. Every response carries `X-Request-Id` (the caller's, when well-formed).
 *
 * Access (DESIGN §4): `/graphql` is behind the access gate (credentials, purpose, rate limit); the schema's
 * resolvers are wrapped by the catalogue guard (schema/index.ts); the limits plugin refuses deep, costly or
 * unauthorised introspection queries before execution; the audit plugin writes the audit event (fail closed)
 * and adds requested lineage before the response leaves.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import { schema } from '../schema';
import { explorerRouter } from '../web/explorer';
import { accessGate } from './access/authenticate';
import type { RequestAccess } from '../domain/request-access';
import { auditPlugin } from './audit/plugin';
import type { HubConfig } from './config';
import type { HubContext } from '../resolvers/context';
import { createContextFactory, type HubServices } from './context';
import { createErrorFormatter, tagWithRequestId } from './errors';
import { databaseCheck, healthRouter } from './health';
import { limitsPlugin } from './limits';
import { metricsRouter } from './metrics';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { authenticateConnection } from './access/authenticate';

export interface HubApp {
  httpServer: http.Server;
  listen(): Promise<string>;
  stop(): Promise<void>;
}

const REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED_REQUEST_ID = /^[\w.:-]{1,64}$/;
const MAX_BODY = '1mb';
const LINEAGE_HEADER = 'x-include-lineage';

/** Lineage on request: header `X-Include-Lineage: 1` (or `true`), or `extensions.includeLineage: true` in the body. */
function wantsLineage(req: Request): boolean {
  const header = req.get(LINEAGE_HEADER)?.trim().toLowerCase();
  const body = req.body as { extensions?: { includeLineage?: unknown } } | undefined;
  return header === '1' || header === 'true' || body?.extensions?.includeLineage === true;
}

/** Tags each error with its request id before formatError masks it (formatError has no context). */
const requestIdPlugin: ApolloServerPlugin<HubContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) tagWithRequestId(error, contextValue.requestId);
      },
    };
  },
};

/** Malformed or oversized bodies are answered in GraphQL's error shape, with a code from the closed enum. */
const bodyErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
  const message =
    status === 413 ? `Request body larger than ${MAX_BODY} 请求体过大` : status < 500 ? 'Malformed request body 请求体格式错误' : 'Internal error 内部错误';
  res.status(status).json({ errors: [{ message, extensions: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL' } }] });
};

export async function createHubApp(config: HubConfig, services: HubServices, extraRouters: express.Router[] = []): Promise<HubApp> {
  const { logger, prisma, connectors, metrics, catalogue, auditTrail } = services;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const httpServer = http.createServer(app);

  const apollo = new ApolloServer<HubContext>({
    schema,
    formatError: createErrorFormatter(logger),
    includeStacktraceInErrorResponses: false,
    // Introspection is allowed in the engine and restricted per consumer by the limits plugin.
    introspection: true,
    csrfPrevention: true,
    // The process entry (server/main.ts) owns SIGTERM/SIGINT and stops everything in order; Apollo's own
    // handlers (installed unless NODE_ENV=test) would start a second, competing stop.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestIdPlugin,
      limitsPlugin({
        schema,
        maxCost: config.maxQueryCost,
        maxDepth: config.maxQueryDepth,
        introspectionForAll: config.env === 'development',
      }),
      auditPlugin(auditTrail, services.secrets.subjectHashKey),
    ],
  });
  await apollo.start();
  const contextFor = createContextFactory(services);

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const given = req.headers[REQUEST_ID_HEADER];
        const id = typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Only method and path: query strings (GraphQL GET) and bodies can hold personal data.
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    }),
  );
  app.use(healthRouter([databaseCheck(prisma)], config.readyTimeoutMs, () => ({ connectors: connectors.statuses() })));
  app.use(metricsRouter(metrics));
  app.use(explorerRouter(config.demoApiKey));
  for (const router of extraRouters) app.use(router);
  app.use(
    '/graphql',
    accessGate({ prisma, catalogue, defaultRateLimitPerMinute: config.rateLimitPerMinute }),
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) =>
        contextFor({
          requestId: String((req as Request & { id: unknown }).id),
          access: res.locals.access as RequestAccess,
          includeLineage: wantsLineage(req),
        }),
    }),
  );
  app.use(bodyErrorHandler);

  // Subscriptions: graphql-ws on the same port and path, authenticated at connection time with the same key
  // and purpose as HTTP (connection_init payload: {authorization: "Bearer <key>", "x-purpose": "<code>"}).
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsCleanup = useServer<Record<string, unknown>, { access?: RequestAccess }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (name: string) => {
          const value = params[name] ?? params[name.toLowerCase()];
          return typeof value === 'string' ? value : undefined;
        };
        const result = await authenticateConnection({ prisma, catalogue }, header('authorization') ?? header('Authorization'), header('x-purpose') ?? header('X-Purpose'));
        if ('code' in result) {
          logger.info({ reason: result.reason }, 'subscription connection refused');
          return false;
        }
        ctx.extra.access = result.access;
        return true;
      },
      context: (ctx) =>
        contextFor({ requestId: `ws-${randomUUID()}`, access: ctx.extra.access as RequestAccess, includeLineage: false }),
    },
    wsServer,
  );

  return {
    httpServer,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
          resolve(`http://${host}:${port}`);
        });
      }),
    stop: async () => {
      await wsCleanup.dispose();
      await apollo.stop();
    },
  };
}
