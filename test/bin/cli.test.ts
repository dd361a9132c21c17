import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import { cleanEnv, killAll, run, type Server, startServer, tempDataDir } from '../support/cli.ts';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD } from '../support/world.ts';

/**
 * The `bizosaas` command as an operator runs it: a real process per command, on a fresh data
 * directory, always on the embedded PGlite database (DATABASE_URL is removed from the env).
 */

const STACK_FRAME = /^\s+at /m;

function adminFile(dataDir: string): string {
  return path.join(dataDir, 'run', 'admin.json');
}

function generatedPasswords(stdout: string): string[] {
  return [...stdout.matchAll(/Generated password \(shown only now\): (\S+)/g)].map((m) => m[1] as string);
}

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('bizosaas command without a running server', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  before(() => {
    dataDir = tempDataDir(dirs);
    env = cleanEnv(dataDir);
  });
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('help prints the usage with every command and exits 0', async () => {
    const result = await run(['help'], env);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^Usage: bizosaas <command>/);
    for (const command of ['start', 'migrate', 'apikey create --email', 'seed --demo', 'serve <server>']) {
      expect(result.stdout).to.include(command);
    }
    expect(result.stderr).to.equal('');
  });

  it('prints the usage when run with no command or with --help', async () => {
    const bare = await run([], env);
    const flag = await run(['--help'], env);
    expect(bare.code).to.equal(0);
    expect(flag.code).to.equal(0);
    expect(bare.stdout).to.match(/^Usage: bizosaas/);
    expect(flag.stdout).to.equal(bare.stdout);
  });

  it('an unknown command exits 2 with a message naming it and no stack trace', async () => {
    const result = await run(['frobnicate'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^bizosaas: Unknown command "frobnicate"\./);
    expect(result.stderr).to.include('Usage: bizosaas');
    expect(result.stderr).not.to.match(STACK_FRAME);
    expect(result.stdout).to.equal('');
  });

  it('help does not create or open the data directory', async () => {
    expect(fs.readdirSync(dataDir)).to.deep.equal([]);
  });

  it('seed --demo on a fresh data directory creates and migrates the database and loads 5 tenants and 9 users', async () => {
    const result = await run(['seed', '--demo'], env);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/Demo data loaded: 5 tenants, 9 users/);
    expect(fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))).to.equal(true);
    // The command released the embedded database when it finished.
    expect(fs.existsSync(path.join(dataDir, 'pglite', '.bizosaas.lock'))).to.equal(false);
    expect(fs.existsSync(adminFile(dataDir))).to.equal(false);
  });

  it('migrate on the data directory applies every migration and releases the database', async () => {
    const result = await run(['migrate'], env);
    expect(result.code).to.equal(0);
    const [, applied, known] = result.stdout.match(/Migrations up to date: (\d+) of (\d+) applied\./) ?? [];
    expect(Number(applied)).to.be.greaterThan(0).and.equal(Number(known));
    expect(fs.existsSync(path.join(dataDir, 'pglite', '.bizosaas.lock'))).to.equal(false);
  });

  it('seed --demo run again brings the demo data back without error', async () => {
    const result = await run(['seed', '--demo'], env);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/Demo data loaded: 5 tenants, 9 users/);
  });

  it('seed without --demo is refused as bad usage (exit 2)', async () => {
    const result = await run(['seed'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^bizosaas: Usage: bizosaas seed --demo/);
    expect(result.stderr).not.to.match(STACK_FRAME);
  });

  it('apikey create --email prints only a bzs_ key on stdout', async () => {
    const result = await run(['apikey', 'create', '--email', 'ops@bizosaas.test'], env);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^bzs_[A-Za-z0-9_-]{20,}\n$/);
    expect(result.stderr).to.include('ops@bizosaas.test');
    expect(result.stderr).to.include('shown once');
  });

  it('apikey create --json prints the key record as one JSON object', async () => {
    const result = await run(
      ['apikey', 'create', '--email', 'nina@northwind.test', '--name', 'Zapier', '--json'],
      env,
    );
    expect(result.code).to.equal(0);
    const record = JSON.parse(result.stdout) as Record<string, string>;
    expect(record).to.have.all.keys('id', 'name', 'prefix', 'key', 'createdAt');
    expect(record.id).to.match(/^key_/);
    expect(record.name).to.equal('Zapier');
    expect(record.key).to.match(/^bzs_/);
    expect(record.key?.startsWith(record.prefix as string)).to.equal(true);
    expect(Number.isNaN(Date.parse(record.createdAt as string))).to.equal(false);
  });

  it('apikey create for an unknown email fails with a clear message and a non-zero exit', async () => {
    const result = await run(['apikey', 'create', '--email', 'nobody@x.test'], env);
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.match(/^bizosaas: No user with the email nobody@x\.test\./);
    expect(result.stderr).not.to.match(STACK_FRAME);
    expect(result.stdout).to.equal('');
  });

  it('apikey create without --email is refused as bad usage (exit 2)', async () => {
    const result = await run(['apikey', 'create'], env);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^bizosaas: apikey create needs --email/);
  });

  it('an unknown option is refused as bad usage (exit 2) with a message, not a stack trace', async () => {
    const result = await run(['apikey', 'create', '--email', 'ops@bizosaas.test', '--bogus'], env);
    expect(result.stderr).not.to.match(STACK_FRAME);
    expect(result.stderr).to.match(/^bizosaas: .*--bogus/);
    expect(result.code).to.equal(2);
  });

  it('an unexpected argument is refused as bad usage (exit 2) with a message, not a stack trace', async () => {
    const result = await run(['seed', '--demo', 'extra'], env);
    expect(result.stderr).not.to.match(STACK_FRAME);
    expect(result.stderr).to.match(/^bizosaas: .*extra/);
    expect(result.code).to.equal(2);
  });

  it('invalid configuration exits 2 naming the variable', async () => {
    const result = await run(['seed', '--demo'], { ...env, PORT: 'not-a-port' });
    expect(result.code).to.equal(2);
    expect(result.stderr).to.match(/^bizosaas: Invalid configuration: PORT:/);
    expect(result.stderr).not.to.match(STACK_FRAME);
  });
});

describe('bizosaas command with a running server on the same data directory', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  let server: Server;
  let firstPassword: string;
  let apiKey: string;

  before(async () => {
    dataDir = tempDataDir(dirs);
    env = cleanEnv(dataDir);
    server = await startServer(env);
  });
  after(async () => {
    await killAll();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('first start creates the first super admin and prints its generated password once', async () => {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.stdout()).to.include('First super admin created: admin@bizosaas.local');
    const passwords = generatedPasswords(server.stdout());
    expect(passwords).to.have.length(1);
    firstPassword = passwords[0] as string;
    expect(firstPassword.length).to.be.at.least(12);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).to.equal(200);
    const login = await httpClient(server.url).login('admin@bizosaas.local', firstPassword);
    expect(login.status).to.equal(200);
    expect(login.json.user).to.include({ email: 'admin@bizosaas.local', role: 'super_admin' });
  });

  it('writes run/admin.json (url, token, pid; mode 0600) while running', async () => {
    const file = adminFile(dataDir);
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    const link = JSON.parse(fs.readFileSync(file, 'utf8')) as { url: string; token: string; pid: number };
    expect(link.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(link.token).to.be.a('string').and.have.length.greaterThan(20);
    expect(link.pid).to.equal(server.child.pid);
  });

  it('seed --demo succeeds through the running server', async () => {
    const result = await run(['seed', '--demo'], env);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/Demo data loaded: 5 tenants, 9 users/);
    const login = await httpClient(server.url).login('nina@northwind.test', DEMO_PASSWORD);
    expect(login.status).to.equal(200);
  });

  it('apikey create succeeds through the running server and the key works as a Bearer on /api/me', async () => {
    const result = await run(['apikey', 'create', '--email', 'ops@bizosaas.test'], env);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^bzs_\S+\n$/);
    apiKey = result.stdout.trim();
    const me = await httpClient(server.url).get('/api/me', { authorization: `Bearer ${apiKey}` });
    expect(me.status).to.equal(200);
    expect(me.json.via).to.equal('api_key');
    expect(me.json.user).to.include({ email: 'ops@bizosaas.test', role: 'admin' });
  });

  it('migrate through the running server reports every migration applied and leaves the server up', async () => {
    const result = await run(['migrate'], env);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
    const [, applied, known] = result.stdout.match(/Migrations up to date: (\d+) of (\d+) applied\./) ?? [];
    expect(Number(applied)).to.be.greaterThan(0).and.equal(Number(known));
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
  });

  it('apikey create for an unknown email through the running server fails with the same clear message', async () => {
    const result = await run(['apikey', 'create', '--email', 'nobody@x.test'], env);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^bizosaas: No user with the email nobody@x\.test\./);
    expect(result.stderr).not.to.match(STACK_FRAME);
  });

  it('a second start on the same data directory fails clearly and leaves the first server running', async () => {
    const result = await run(['start'], { ...env, PORT: '0' });
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(
      new RegExp(`^bizosaas: The embedded database in .*pglite is in use by process ${server.child.pid}\\.`),
    );
    expect(result.stderr).not.to.match(STACK_FRAME);
    expect(result.stdout).not.to.include('BizOSaaS is running');
    expect(fs.existsSync(adminFile(dataDir))).to.equal(true);
    expect((await fetch(`${server.url}/healthz`)).status).to.equal(200);
    const again = await run(['apikey', 'create', '--email', 'ops@bizosaas.test'], env);
    expect(again.code).to.equal(0);
  });

  it('after SIGTERM the server exits 0, admin.json is gone and apikey create opens the database directly', async () => {
    const stopped = await server.stop('SIGTERM');
    expect(stopped.code).to.equal(0);
    expect(fs.existsSync(adminFile(dataDir))).to.equal(false);
    expect(fs.existsSync(path.join(dataDir, 'pglite', '.bizosaas.lock'))).to.equal(false);
    const result = await run(['apikey', 'create', '--email', 'carol@acme.test'], env);
    expect(result.stderr).not.to.match(/^bizosaas:/m);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^bzs_\S+\n$/);
  });

  it('a restart keeps the data: no new password, the first admin, demo users and API keys still work', async () => {
    server = await startServer(env);
    expect(generatedPasswords(server.stdout())).to.deep.equal([]);
    expect(server.stdout()).not.to.include('First super admin created');
    expect((await httpClient(server.url).login('admin@bizosaas.local', firstPassword)).status).to.equal(200);
    expect((await httpClient(server.url).login('nina@northwind.test', DEMO_PASSWORD)).status).to.equal(200);
    const me = await httpClient(server.url).get('/api/me', { authorization: `Bearer ${apiKey}` });
    expect(me.status).to.equal(200);
    expect(me.json.user.email).to.equal('ops@bizosaas.test');
  });

  it('after SIGINT the server also exits 0 and removes admin.json', async () => {
    const stopped = await server.stop('SIGINT');
    expect(stopped.code).to.equal(0);
    expect(fs.existsSync(adminFile(dataDir))).to.equal(false);
  });

  it('a stale admin.json pointing at nothing does not stop commands from opening the database directly', async () => {
    fs.mkdirSync(path.dirname(adminFile(dataDir)), { recursive: true });
    fs.writeFileSync(
      adminFile(dataDir),
      JSON.stringify({ url: `http://127.0.0.1:${await closedPort()}`, token: 'stale', pid: 2 ** 22 + 1 }),
      { mode: 0o600 },
    );
    const result = await run(['apikey', 'create', '--email', 'ops@bizosaas.test'], env);
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^bzs_\S+\n$/);
  });
});

describe('bizosaas start with a configured admin password, then killed without cleanup', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  before(() => {
    dataDir = tempDataDir(dirs);
    env = cleanEnv(dataDir, { BIZOSAAS_ADMIN_PASSWORD: 'configured-admin-password' });
  });
  after(async () => {
    await killAll();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('does not print a password when BIZOSAAS_ADMIN_PASSWORD is configured', async () => {
    const server = await startServer(env);
    expect(server.stdout()).to.include('First super admin created: admin@bizosaas.local');
    expect(generatedPasswords(server.stdout())).to.deep.equal([]);
    expect(server.stdout()).not.to.include('configured-admin-password');
    const seeded = await run(['seed', '--demo'], env);
    expect(seeded.code).to.equal(0);
    await server.stop('SIGKILL');
  });

  it('takes over the dead server’s lock and runs commands and start again on the same data', async () => {
    expect(fs.existsSync(adminFile(dataDir))).to.equal(true);
    const result = await run(['apikey', 'create', '--email', 'nina@northwind.test'], env);
    expect(result.stderr).not.to.match(/^bizosaas:/m);
    expect(result.code).to.equal(0);
    const key = result.stdout.trim();
    const server = await startServer(env);
    const me = await httpClient(server.url).get('/api/me', { authorization: `Bearer ${key}` });
    expect(me.status).to.equal(200);
    expect(me.json.user.email).to.equal('nina@northwind.test');
    expect(
      (await httpClient(server.url).login('admin@bizosaas.local', 'configured-admin-password')).status,
    ).to.equal(200);
    expect((await server.stop('SIGTERM')).code).to.equal(0);
  });
});
