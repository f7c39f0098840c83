import { startTestHub, type TestHub } from './helpers/hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

const EXTERNAL = /^(https?:)?\/\//i;

describe('offline explorer', () => {
  let html: string;
  let csp: string | null;

  beforeAll(async () => {
    const response = await hub.get('/graphql', { accept: 'text/html,application/xhtml+xml' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    csp = response.headers.get('content-security-policy');
    html = await response.text();
  });

  it('is served to a browser at GET /graphql', () => {
    expect(html).toContain('<div id="explorer">');
    expect(html).toContain('graphiql.min.js');
  });

  it('references no external URL: every script and stylesheet comes from the hub', () => {
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThanOrEqual(5);
    for (const reference of references) {
      expect(reference).not.toMatch(EXTERNAL);
      expect(reference.startsWith('/explorer/')).toBe(true);
    }
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('forbids the browser from loading anything from another origin', () => {
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it('serves every referenced asset from the hub, and the stylesheet loads nothing remote', async () => {
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references.filter((reference) => reference.endsWith('.css')).length).toBeGreaterThan(0);
    for (const reference of references) {
      const response = await hub.get(reference);
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body.length).toBeGreaterThan(100);
      if (reference.endsWith('.css')) {
        const urls = [...body.matchAll(/url\(\s*['"]?([^'")]+)/g)].map((m) => m[1]!);
        expect(urls.every((url) => url.startsWith('data:'))).toBe(true);
        expect(body).not.toMatch(/@import/);
      }
    }
  });

  it('does not shadow GraphQL: a JSON GET of /graphql without a query is not the page', async () => {
    const response = await hub.get('/graphql', { accept: 'application/json' });
    expect(response.headers.get('content-type')).not.toMatch(/text\/html/);
  });

  it('answers 404 for an unknown asset', async () => {
    expect((await hub.get('/explorer/evil.js')).status).toBe(404);
    expect((await hub.get('/explorer/..%2Fpackage.json')).status).toBe(404);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'answers 404 for /explorer/%s (not an asset, whatever objects inherit)',
    async (name) => {
      const response = await hub.get(`/explorer/${name}`);
      expect(response.status).toBe(404);
    },
  );
});
