/**
 * How the hub serves the web pages (no browser needed): the page paths, the CSP, integrity hashes that match the
 * served bytes, immutable caching of hashed assets, nothing from another origin, and the demo key only in demo mode.
 */
import { createHash } from 'node:crypto';
import { DEMO_API_KEY, startTestHub, type TestHub } from '../helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const PAGES = ['/dashboard', '/births', '/births/some-case-id', '/audit', '/status'];
const references = (html: string) => [...html.matchAll(/<(script|link)\b[^>]*>/g)].map((m) => m[0]);

describe('web pages', () => {
  it.each(PAGES)('serves %s as the application page with a CSP that forbids other origins', async (pathname) => {
    const response = await hub.get(pathname);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*|'unsafe-eval'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const html = await response.text();
    expect(html).toContain('<div id="root">');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('redirects / to /dashboard', async () => {
    const response = await fetch(`${hub.url}/`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/dashboard');
  });

  it('puts an integrity hash on every script and stylesheet, matching the bytes served, which are cached as immutable', async () => {
    const html = await (await hub.get('/dashboard')).text();
    const tags = references(html).filter((tag) => /\b(src|href)="\/app\/assets\//.test(tag));
    expect(tags.filter((tag) => tag.startsWith('<script')).length).toBeGreaterThanOrEqual(1);
    expect(tags.filter((tag) => tag.startsWith('<link')).length).toBeGreaterThanOrEqual(1);
    for (const tag of tags) {
      const url = /\b(?:src|href)="([^"]+)"/.exec(tag)![1]!;
      const integrity = /\bintegrity="sha384-([^"]+)"/.exec(tag)?.[1];
      expect(integrity).toBeDefined();
      expect(url).toMatch(/^\/app\/assets\/[\w.-]+-[\w-]{8}\.(js|css)$/);
      const response = await hub.get(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const body = Buffer.from(await response.arrayBuffer());
      expect(createHash('sha384').update(body).digest('base64')).toBe(integrity);
      expect(body.toString('utf8')).not.toMatch(/\b(src|href|url)\s*[=(]\s*["']?https?:\/\/(?!www\.w3\.org)/);
    }
  });

  it('offers the demo consumer only through the page configuration block, and never in a URL', async () => {
    const html = await (await hub.get('/dashboard')).text();
    const block = /<script id="hub-config" type="application\/json">([^<]*)<\/script>/.exec(html);
    expect(block).not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual({ demo: { apiKey: DEMO_API_KEY, purpose: 'DEMO' } });
    for (const tag of references(html)) expect(tag).not.toContain(DEMO_API_KEY);
  });

  it('answers 404 for an asset that is not in the build', async () => {
    expect((await hub.get('/app/assets/missing-00000000.js')).status).toBe(404);
    expect((await hub.get('/app/assets/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await hub.get('/app/assets/')).status).toBe(404);
  });
});

describe('web pages outside demo mode', () => {
  let production: TestHub;
  beforeAll(async () => {
    production = await startTestHub({ HUB_DEMO_API_KEY: '', HUB_DEMO_DATA: 'false' });
  });
  afterAll(() => production.stop());

  it('offers no demo consumer', async () => {
    const html = await (await production.get('/dashboard')).text();
    expect(html).toContain('<script id="hub-config" type="application/json">{"demo":null}</script>');
  });
});
