import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { CONSOLE_DIST } from '../../gateway/http/routes/console.ts';
import { tenants } from '../../servers/users/schema.ts';
import { buildConsoleOnce } from '../support/browser.ts';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

describe('the gateway serving the web console', function () {
  this.timeout(60_000);
  let world: World;

  before(async function () {
    this.timeout(120_000);
    await buildConsoleOnce();
    world = await startWorld();
  });
  after(async () => world?.close());

  it('answers / and console routes with index.html, under a CSP that allows its assets and images', async () => {
    for (const page of ['/', '/chat', '/users/usr_123/security', '/invite/some-token']) {
      const res = await fetch(`${world.url}${page}`);
      expect(res.status, page).to.equal(200);
      expect(res.headers.get('content-type')).to.match(/^text\/html/);
      expect(res.headers.get('cache-control')).to.equal('no-cache');
      expect(await res.text()).to.contain('<div id="root"></div>');
    }
    const csp = (await fetch(`${world.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).to.contain("script-src 'self'").and.contain("img-src 'self' data: blob: https:");
    // Over plain http (a loopback address) nothing may be upgraded to https.
    expect(csp).not.to.contain('upgrade-insecure-requests');
  });

  it('serves the hashed assets for a year, and keeps API, MCP and missing files out of the fallback', async () => {
    const asset = fs.readdirSync(path.join(CONSOLE_DIST, 'assets')).find((f) => f.endsWith('.js'));
    const res = await fetch(`${world.url}/assets/${asset}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    for (const miss of ['/api/nothing', '/missing.js', '/healthz/more']) {
      const answer = await fetch(`${world.url}${miss}`);
      expect(answer.status, miss).to.equal(404);
      expect(((await answer.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    }
    expect((await fetch(`${world.url}/api/me`)).status).to.equal(401);
    expect((await fetch(`${world.url}/`, { method: 'POST' })).status).to.equal(404);
  });

  it("GET /api/me carries the tenant's branding, or its partner's for a client without its own", async () => {
    const brandingOf = async (email: string) => {
      const http = httpClient(world.url);
      await http.login(email, DEMO_PASSWORD);
      return (await http.get('/api/me')).json.user.tenant.branding;
    };
    const brightpath = { productName: 'Brightpath Hub', primaryColor: '#0f766e' };
    expect(await brandingOf('paula@brightpath.test')).to.deep.equal(brightpath);
    expect(await brandingOf('nina@northwind.test')).to.deep.equal(brightpath);
    expect(await brandingOf('yuki@zen.test')).to.deep.equal({});
    expect(await brandingOf('root@bizosaas.test')).to.deep.equal({});
    // A client with a brand of its own keeps it, whole.
    await world.database.db
      .update(tenants)
      .set({ branding: { productName: 'Acme Portal' } })
      .where(eq(tenants.slug, 'acme'));
    expect(await brandingOf('carol@acme.test')).to.deep.equal({ productName: 'Acme Portal' });
  });
});
