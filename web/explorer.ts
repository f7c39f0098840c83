/**
 * The offline GraphQL explorer: GraphiQL served entirely from the hub (its UMD build and React's, from the
 * installed npm packages), because government intranets cannot reach a CDN.
 *
 * Contract: `GET /graphql` from a browser (Accept: text/html) returns the explorer page; its scripts and styles
 * are served under `/explorer/` and nothing on the page names another host. A Content-Security-Policy header
 * makes the browser refuse any external load, so a future change that adds one fails visibly.
 */
import path from 'node:path';
import express, { type Request, type Response, type NextFunction, type Router } from 'express';

/** A file inside an installed package (these UMD builds are not in the packages' `exports`). */
function packageFile(pkg: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
}

// A Map, not an object: an asset name is a request path segment (`constructor`, `__proto__` are not assets).
const ASSETS = new Map<string, string>(
  Object.entries({
    'graphiql.min.js': packageFile('graphiql', 'graphiql.min.js'),
    'graphiql.min.css': packageFile('graphiql', 'graphiql.min.css'),
    'react.production.min.js': packageFile('react', 'umd/react.production.min.js'),
    'react-dom.production.min.js': packageFile('react-dom', 'umd/react-dom.production.min.js'),
    'explorer.js': path.join(__dirname, 'explorer-client.js'),
  }),
);

export const EXPLORER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // GraphiQL sets inline styles on its panes; its fonts are embedded as data: URLs.
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The request headers the explorer starts with: the demo consumer's key and purpose in demo mode, otherwise
 * placeholders to fill in (every request needs a key and a purpose).
 */
function defaultHeaders(demoApiKey: string | null): string {
  const headers = demoApiKey
    ? { Authorization: `Bearer ${demoApiKey}`, 'X-Purpose': 'DEMO' }
    : { Authorization: 'Bearer <your API key>', 'X-Purpose': '<purpose code>' };
  return JSON.stringify(headers, null, 2);
}

// The configuration travels in a JSON data block (not executed, so the CSP stays script-src 'self').
const page = (demoApiKey: string | null) =>
  PAGE.replace(
    '<!--config-->',
    `<script id="explorer-config" type="application/json">${JSON.stringify({ headers: defaultHeaders(demoApiKey) }).replace(/</g, '\\u003c')}</script>`,
  );

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>一老一小数据交换枢纽 · GraphQL Explorer</title>
  <link rel="stylesheet" href="/explorer/graphiql.min.css">
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer">正在加载 Loading…</div>
  <!--config-->
  <script src="/explorer/react.production.min.js"></script>
  <script src="/explorer/react-dom.production.min.js"></script>
  <script src="/explorer/graphiql.min.js"></script>
  <script src="/explorer/explorer.js"></script>
</body>
</html>
`;

/** True for a browser navigating to the endpoint, as opposed to a GraphQL GET request. */
function wantsHtml(req: Request): boolean {
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

export function explorerRouter(demoApiKey: string | null): Router {
  const router = express.Router();
  const html = page(demoApiKey);
  router.get('/graphql', (req: Request, res: Response, next: NextFunction) => {
    if (!wantsHtml(req) || typeof req.query.query === 'string') return next();
    res.setHeader('Content-Security-Policy', EXPLORER_CSP);
    res.type('html').send(html);
  });
  router.get('/explorer/:asset', (req: Request, res: Response, next: NextFunction) => {
    const file = ASSETS.get(String(req.params.asset));
    if (!file) return next();
    res.sendFile(file, { maxAge: '1h' });
  });
  return router;
}
