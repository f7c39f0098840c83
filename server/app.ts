/**
 * The hub's HTTP application: Apollo Server 5 on Express 5 on Node's http server.
 *
 * Routes: `POST /graphql` (GraphQL over HTTP, JSON), `GET /graphql` (the offline explorer for browsers,
 * GraphQL GET otherwise), `/explorer/*` (its assets), the web pages (`/dashboard`, `/births`, `/audit`, `/status`,
 * assets under `/app/assets/`: web/pages.ts), `GET /healthz`, `GET /readyz`, `GET /metrics`.
 *
 * Contract: `createHubApp` builds and starts Apollo but does not listen; `listen()` binds and resolves to the
 * base URL; `stop()` stops accepting connections, lets in-flight requests finish (Apollo's drain plugin) and
 * resolves when the server is closed. Every response carries the hub's own `X-Request-Id`; a well-formed
 * `X-Request-Id` the caller sent comes back as `X-Client-Request-Id` and is logged as `clientRequestId`.
 *
 * Access (DESIGN §4): `/graphql` is behind the access gate (credentials, purpose, rate limit); the schema's
 * resolvers are wrapped by the catalogue guard (a Pothos plugin in schema/); the limits plugin refuses deep, costly or
 * unauthorised introspection queries before execution; the lineage plugin adds requested lineage and the audit
 * plugin writes the audit event (fail closed) before the response leaves.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type ErrorRequestHandler, type Request } from 'express';
import { pinoHttp } from 'pino-http';
import { schema } from '../schema';
import { explorerRouter } from '../web/explorer';
import { webPagesRouter } from '../web/pages';
import { accessGate } from './access/authenticate';
import type { RequestAccess } from '../domain/request-access';
import { auditPlugin, auditSubscriptionResult } from './audit/plugin';
import { serviceClockStatus } from './birth';
import type { HubConfig } from './config';
import type { HubContext } from '../resolvers/context';
import { createContextFactory, type HubServices } from './context';
import { createErrorFormatter, errorBody, tagWithRequestId } from './errors';
import { databaseCheck, healthRouter } from './health';
import { costBounds, limitsPlugin } from './limits';
import { textInputPlugin } from './text-input';
import { lineagePlugin } from './lineage-plugin';
import { compiledExecutor, localGateway } from './compiled-execution';
import { metricsRouter } from './metrics';
import { WebSocketServer } from 'ws';
import { getOperationAST, OperationTypeNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { authenticateConnection } from './access/authenticate';

export interface HubApp {
  httpServer: http.Server;
  listen(): Promise<string>;
  stop(): Promise<void>;
}

const CLIENT_REQUEST_ID_HEADER = 'x-request-id';
const WELL_FORMED_REQUEST_ID = /^[\w.:-]{1,64}$/;
const MAX_BODY = '1mb';
const LINEAGE_HEADER = 'x-include-lineage';

/** Every `/graphql` answer, refusals included: answers hold personal data masked for one consumer. */
const noStore: express.RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};

/** Lineage on request: header `X-Include-Lineage: 1` (or `true`), or `extensions.includeLineage: true` in the body. */
function wantsLineage(req: Request): boolean {
  const header = req.get(LINEAGE_HEADER)?.trim().toLowerCase();
  const body = req.body as { extensions?: { includeLineage?: unknown } } | undefined;
  return header === '1' || header === 'true' || body?.extensions?.includeLineage === true;
}

/** Tags each error with its request id before formatError masks it (formatError has no context). */
const requestIdPlugin: ApolloServerPlugin<HubContext> = {
  requestDidStart() {
    return Promise.resolve({
      didEncounterErrors({ contextValue, errors }) {
        for (const error of errors) tagWithRequestId(error, contextValue.requestId);
        return Promise.resolve();
      },
    });
  },
};

/** Malformed or oversized bodies are answered in GraphQL's error shape, with a code from the closed enum. */
const bodyErrorHandler: ErrorRequestHandler = (error, _req, res, next) => {
  if (res.headersSent) return next(error);
  const given = (error as { status?: unknown } | null | undefined)?.status;
  const status = typeof given === 'number' && given < 500 ? given : 500;
  const message =
    status === 413
      ? `Request body larger than ${MAX_BODY} 请求体过大`
      : status < 500
        ? 'Malformed request body 请求体格式错误'
        : 'Internal error 内部错误';
  res.status(status).json(errorBody(status < 500 ? 'BAD_REQUEST' : 'INTERNAL', message));
};

/** Apollo Server over the guarded schema, with its plugins in order (each for one concern). */
function createApollo(config: HubConfig, services: HubServices, httpServer: http.Server): ApolloServer<HubContext> {
  return new ApolloServer<HubContext>({
    // The one schema, executed by compiled queries (server/compiled-execution.ts).
    gateway: localGateway(
      schema,
      compiledExecutor(schema, (reason) => services.logger.warn({ reason }, 'document not compiled: graphql-js runs it')),
    ),
    formatError: createErrorFormatter(services.logger),
    includeStacktraceInErrorResponses: false,
    // Introspection is allowed in the engine and restricted per consumer by the limits plugin.
    introspection: true,
    csrfPrevention: true,
    // The process entry (server/main.ts) owns SIGTERM/SIGINT and stops everything in order; Apollo's own
    // handlers (installed unless NODE_ENV=test) would start a second, competing stop.
    stopOnTerminationSignals: false,
    plugins: [
      // in-flight requests finish before the server stops;
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // the explorer is served from web/, offline, not Apollo's CDN landing page;
      ApolloServerPluginLandingPageDisabled(),
      // no answer is cacheable (personal data, per-consumer masking): `Cache-Control: no-store` is set on the
      // route instead of Apollo's cache-control plugin, which wraps every field resolver to compute a policy;
      ApolloServerPluginCacheControlDisabled(),
      // formatError has no context: errors carry their request id to it;
      requestIdPlugin,
      // a mutation may have changed a consumer or a kept table: this instance's key lookups and kept reads are
      // dropped before it answers (other instances hear the database's announcement);
      {
        requestDidStart: () =>
          Promise.resolve({
            willSendResponse: ({ operation }) => {
              if (operation?.operation === OperationTypeNode.MUTATION) {
                services.consumerKeys.forget();
                services.kept.forgetAll();
              }
              return Promise.resolve();
            },
          }),
      },
      // text the database cannot hold (a NUL character) is BAD_USER_INPUT before any resolver;
      textInputPlugin,
      // depth, cost and introspection are refused before any resolver (so before any department call);
      limitsPlugin({
        schema,
        maxCost: config.maxQueryCost,
        maxDepth: config.maxQueryDepth,
        introspectionForAll: config.env === 'development',
        bounds: costBounds(services.prisma),
      }),
      // lineage joins the response before the audit write, which may still withhold the whole response;
      lineagePlugin,
      // the audit event is committed before the response leaves (fail closed).
      auditPlugin(services.auditTrail, services.secrets.subjectHashKey),
    ],
  });
}

/** The access log: a request id on every line and response, and only method, path and status of each request. */
function accessLog(logger: HubServices['logger']) {
  return pinoHttp({
    logger,
    // The request id is always the hub's own (it identifies the request in the audit trail, so a client must
    // not choose it); a well-formed id the client sent is kept beside it, marked as the client's.
    genReqId: (req, res) => {
      const id = randomUUID();
      res.setHeader('X-Request-Id', id);
      const given = req.headers[CLIENT_REQUEST_ID_HEADER];
      if (typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given)) res.setHeader('X-Client-Request-Id', given);
      return id;
    },
    // Nothing (not `{}`) without a client id: pino-http makes a child logger of any bindings it is given, twice
    // per request, even empty ones.
    customProps: ((req) => {
      const given = req.headers[CLIENT_REQUEST_ID_HEADER];
      return typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? { clientRequestId: given } : undefined;
    }) as (req: http.IncomingMessage) => object,
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
  });
}

const gateOptions = (services: HubServices) => ({
  consumers: services.consumerKeys,
  catalogue: services.catalogue,
  limits: services.rateLimits,
  secret: services.secrets.subjectHashKey,
});

/** `/graphql`: the access gate, then the JSON body, then Apollo with the request's context. */
function graphqlRoute(config: HubConfig, services: HubServices, apollo: ApolloServer<HubContext>) {
  const contextFor = createContextFactory(services);
  return [
    noStore,
    accessGate(gateOptions(services)),
    express.json({ limit: MAX_BODY }),
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        Promise.resolve(
          contextFor({
            // The id genReqId made (accessLog, mounted before this route): a UUID string.
            requestId: req.id as string,
            access: res.locals.access as RequestAccess,
            includeLineage: wantsLineage(req),
          }),
        ),
    }),
  ];
}

/**
 * Subscriptions: graphql-ws on the same port and path as HTTP, authenticated at connection time with the same
 * key and purpose (connection_init payload: {authorization: "Bearer <key>", "x-purpose": "<code>"}).
 */
function subscriptionServer(httpServer: http.Server, services: HubServices) {
  const contextFor = createContextFactory(services);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  return useServer<Record<string, unknown>, { access?: RequestAccess }>(
    {
      schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const header = (...names: string[]) => {
          for (const name of names) if (typeof params[name] === 'string') return params[name];
          return undefined;
        };
        const result = await authenticateConnection(gateOptions(services), {
          authorization: header('authorization', 'Authorization'),
          purpose: header('x-purpose', 'X-Purpose'),
          address: (ctx.extra as { request?: http.IncomingMessage }).request?.socket.remoteAddress ?? 'unknown',
        });
        if ('code' in result) {
          services.logger.info({ reason: result.reason }, 'subscription connection refused');
          return false;
        }
        ctx.extra.access = result.access;
        return true;
      },
      context: (ctx) =>
        contextFor({
          requestId: `ws-${randomUUID()}`,
          access: ctx.extra.access as RequestAccess,
          includeLineage: false,
        }),
      // Every delivered result is audited like an HTTP response: its event is committed before it is sent.
      onNext: (_ctx, _id, payload, args, result) =>
        auditSubscriptionResult(
          services.auditTrail,
          services.secrets.subjectHashKey,
          args.contextValue as HubContext,
          { name: getOperationAST(args.document, args.operationName)?.name?.value ?? null, document: payload.query },
          result,
        ),
    },
    wsServer,
  );
}

export async function createHubApp(
  config: HubConfig,
  services: HubServices,
  extraRouters: express.Router[] = [],
): Promise<HubApp> {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // No ETag on res.send bodies: a GraphQL answer is personal, audited and never served from a cache, and hashing
  // every answer (tens of kilobytes) cost more than a department call's row parsing. Static files keep theirs.
  app.set('etag', false);
  const httpServer = http.createServer(app);
  const apollo = createApollo(config, services, httpServer);
  await apollo.start();

  app.use(accessLog(services.logger));
  // POST /graphql first: the API's requests do not walk the routers of the pages, health and metrics.
  const graphql = graphqlRoute(config, services, apollo);
  app.post('/graphql', ...graphql);
  const opsKey = config.opsKey;
  app.use(
    healthRouter([databaseCheck(services.prisma)], {
      timeoutMs: config.readyTimeoutMs,
      opsKey,
      report: () => ({
        connectors: services.connectors.statuses(),
        ...(services.birth ? { serviceClock: serviceClockStatus(services.birth.now()) } : {}),
      }),
    }),
  );
  app.use(metricsRouter(services.metrics, opsKey));
  app.use(explorerRouter(config.demoApiKey));
  app.use(webPagesRouter({ demoApiKey: config.demoApiKey }));
  for (const router of extraRouters) app.use(router);
  app.use('/graphql', ...graphql);
  app.use(bodyErrorHandler);
  const subscriptions = subscriptionServer(httpServer, services);

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
      await subscriptions.dispose();
      await apollo.stop();
    },
  };
}
