/**
 * The web pages for people (指标看板 /dashboard, 出生一件事 /births, 审计 /audit, 连接器 /status): a React
 * application built by Vite from web/app/ into web/dist/ (at install: `postinstall`), served by the hub itself
 * because government intranets cannot reach a CDN.
 *
 * Contract:
 * - `GET /dashboard`, `/births`, `/births/<id>`, `/audit`, `/status` answer the application's page (`/` redirects
 *   to `/dashboard`); the page is never cached (`no-cache`) and carries a Content-Security-Policy that makes the
 *   browser refuse any load from another origin.
 * - The page's scripts and stylesheets carry Subresource-Integrity hashes (SHA-384, computed here from the built
 *   files at start) and are served under `/app/assets/` with content-hashed names, cached for a year as immutable.
 * - In demo mode the page carries the demo consumer's key in a JSON data block (not executed), so the sign-in form
 *   can offer it; otherwise the block says there is none. Keys are never put in URLs.
 * - When the build is missing (an install that skipped scripts), the pages answer 503 naming `npm run build:web`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';

export const WEB_DIST = path.join(__dirname, 'dist');
const ASSET_PREFIX = '/app/assets/';

/** The page routes other tools rely on (issue 14): keep them. */
export const WEB_PAGE_PATHS = ['/dashboard', '/births', '/births/:id', '/audit', '/status'] as const;

export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // ECharts writes its tooltips as HTML with style attributes; no external style can load.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // 'self' covers the same-origin graphql-ws socket.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebPagesOptions {
  /** The demo consumer's key in demo mode, else null (then no demo sign-in is offered). */
  demoApiKey: string | null;
  /** Where the build is (tests may point elsewhere). */
  distDir?: string;
}

const integrityOf = (file: string) => `sha384-${createHash('sha384').update(fs.readFileSync(file)).digest('base64')}`;

/**
 * The built index.html with an integrity attribute on every script and stylesheet it names under /app/assets/,
 * and the configuration block. Throws when a referenced asset is missing (a broken build must not be served).
 */
export function renderIndex(distDir: string, demoApiKey: string | null): string {
  const html = fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const withIntegrity = html.replace(
    /<(script|link)\b([^>]*?)\s(src|href)="([^"]+)"([^>]*)>/g,
    (tag, name: string, before: string, attr: string, ref: string, after: string) => {
      if (!ref.startsWith(ASSET_PREFIX) || /\bintegrity=/.test(tag)) return tag;
      const file = path.join(distDir, 'assets', path.basename(ref));
      const cors = /\bcrossorigin\b/.test(tag) ? '' : ' crossorigin="anonymous"';
      return `<${name}${before} ${attr}="${ref}"${after} integrity="${integrityOf(file)}"${cors}>`;
    },
  );
  const config = { demo: demoApiKey ? { apiKey: demoApiKey, purpose: 'DEMO' } : null };
  const block = `<script id="hub-config" type="application/json">${JSON.stringify(config).replace(/</g, '\\u003c')}</script>`;
  return withIntegrity.replace('</head>', `${block}\n</head>`);
}

export function webPagesRouter(options: WebPagesOptions): Router {
  const distDir = options.distDir ?? WEB_DIST;
  const router = express.Router();
  let page: string | null = null;
  const load = () => {
    if (page === null && fs.existsSync(path.join(distDir, 'index.html'))) page = renderIndex(distDir, options.demoApiKey);
    return page;
  };
  const sendPage = (_req: Request, res: Response) => {
    res.setHeader('Content-Security-Policy', WEB_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-cache');
    const html = load();
    if (html === null) {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('网页未构建 The web pages are not built: run `npm run build:web`.\n');
      return;
    }
    res.type('html').send(html);
  };
  router.get('/', (_req, res) => res.redirect(302, '/dashboard'));
  for (const route of WEB_PAGE_PATHS) router.get(route, sendPage);
  router.use(
    ASSET_PREFIX,
    express.static(path.join(distDir, 'assets'), {
      immutable: true,
      maxAge: '365d',
      index: false,
      dotfiles: 'ignore',
      redirect: false,
    }),
  );
  router.use(ASSET_PREFIX, (_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  return router;
}
