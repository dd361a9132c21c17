import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../core/config.ts';
import { AppError } from '../../core/errors.ts';
import { deriveKeys, loadMasterSecret } from '../../core/secrets.ts';

/** The AppError loadConfig throws for this environment (fails the test if it accepts it). */
function refusal(env: Record<string, string>): AppError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  expect.fail(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('uses the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).to.equal(3000);
    expect(config.host).to.equal('127.0.0.1');
    expect(config.dataDir).to.equal(path.resolve('data'));
    expect(path.isAbsolute(config.dataDir)).to.equal(true);
    expect(config.databaseUrl).to.equal(undefined);
    expect(config.secret).to.equal(undefined);
    expect(config.admin).to.deep.equal({ email: 'admin@bizosaas.local', password: undefined });
    expect(config.serverUrls).to.deep.equal({});
    expect(config.gatewayUrl).to.equal(undefined);
    expect(config.logLevel).to.equal('info');
    expect(config.sessionTtlHours).to.equal(168);
    expect(config.loginLimit).to.equal(10);
    expect(config.tenantConcurrency).to.equal(16);
    expect(config.trustProxy).to.equal(false);
  });

  it('reads every variable it is given, resolving the data directory to an absolute path', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      BIZOSAAS_DATA_DIR: 'some/where',
      DATABASE_URL: 'postgresql://user:pw@db.example:5432/bizosaas',
      BIZOSAAS_SECRET: 'x'.repeat(32),
      BIZOSAAS_ADMIN_EMAIL: 'Boss@Example.COM',
      BIZOSAAS_ADMIN_PASSWORD: 'twelve-chars',
      LOG_LEVEL: 'debug',
      BIZOSAAS_TRUST_PROXY: '2',
    });
    expect(config.port).to.equal(8080);
    expect(config.host).to.equal('0.0.0.0');
    expect(config.dataDir).to.equal(path.resolve('some/where'));
    expect(config.databaseUrl).to.equal('postgresql://user:pw@db.example:5432/bizosaas');
    expect(config.secret).to.equal('x'.repeat(32));
    expect(config.admin).to.deep.equal({ email: 'boss@example.com', password: 'twelve-chars' });
    expect(config.logLevel).to.equal('debug');
    expect(config.trustProxy).to.equal(2);
  });

  it('accepts PORT=0 to pick a free port, and postgres:// as well as postgresql:// URLs', () => {
    expect(loadConfig({ PORT: '0' }).port).to.equal(0);
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }).databaseUrl).to.equal(
      'postgres://localhost/x',
    );
  });

  it('treats an empty DATABASE_URL as not set (the embedded database)', () => {
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).to.equal(undefined);
  });

  for (const port of ['abc', '70000', '-1', '80.5']) {
    it(`refuses PORT=${port} as bad_request naming PORT`, () => {
      const error = refusal({ PORT: port });
      expect(error.code).to.equal('bad_request');
      expect(error.message).to.match(/^Invalid configuration: .*\bPORT\b/);
    });
  }

  it('does not turn an empty PORT into port 0 (a random port)', () => {
    let port: number | undefined;
    try {
      port = loadConfig({ PORT: '' }).port;
    } catch (error) {
      expect((error as AppError).message).to.include('PORT');
      return;
    }
    expect(port).to.equal(3000);
  });

  it('refuses a DATABASE_URL that is not postgres, naming DATABASE_URL', () => {
    const error = refusal({ DATABASE_URL: 'mysql://root@localhost/bizosaas' });
    expect(error.code).to.equal('bad_request');
    expect(error.message).to.include('DATABASE_URL');
    expect(error.message).to.include('postgres://');
  });

  it('refuses a BIZOSAAS_SECRET shorter than 32 characters, naming it', () => {
    const error = refusal({ BIZOSAAS_SECRET: 'x'.repeat(31) });
    expect(error.code).to.equal('bad_request');
    expect(error.message).to.include('BIZOSAAS_SECRET');
    expect(error.message).to.include('32');
    expect(error.message).not.to.include('x'.repeat(31));
    expect(loadConfig({ BIZOSAAS_SECRET: 'x'.repeat(32) }).secret).to.have.length(32);
  });

  it('refuses a BIZOSAAS_ADMIN_PASSWORD shorter than 12 characters, naming it', () => {
    const error = refusal({ BIZOSAAS_ADMIN_PASSWORD: 'short-pass1' });
    expect(error.code).to.equal('bad_request');
    expect(error.message).to.include('BIZOSAAS_ADMIN_PASSWORD');
    expect(error.message).to.include('12');
    expect(error.message).not.to.include('short-pass1');
  });

  for (const value of ['users', 'users=not a url', '=http://localhost:4001/mcp', 'users=']) {
    it(`refuses a malformed BIZOSAAS_SERVER_URLS (${JSON.stringify(value)}), naming it`, () => {
      const error = refusal({ BIZOSAAS_SERVER_URLS: value });
      expect(error.code).to.equal('bad_request');
      expect(error.message).to.include('BIZOSAAS_SERVER_URLS');
      expect(error.message).to.include('name=url');
    });
  }

  it('refuses an unknown LOG_LEVEL and an invalid BIZOSAAS_ADMIN_EMAIL, naming each', () => {
    expect(refusal({ LOG_LEVEL: 'verbose' }).message).to.include('LOG_LEVEL');
    expect(refusal({ BIZOSAAS_ADMIN_EMAIL: 'not-an-email' }).message).to.include('BIZOSAAS_ADMIN_EMAIL');
  });

  it('names every invalid variable in one message', () => {
    const error = refusal({ PORT: 'abc', BIZOSAAS_SECRET: 'short', DATABASE_URL: 'http://x' });
    for (const name of ['PORT', 'BIZOSAAS_SECRET', 'DATABASE_URL']) expect(error.message).to.include(name);
  });

  it('parses BIZOSAAS_SERVER_URLS name=url pairs, trimming spaces and ignoring empty entries', () => {
    const config = loadConfig({
      BIZOSAAS_SERVER_URLS: ' users = http://127.0.0.1:4001/mcp ,audit=https://audit.internal/mcp,, ',
    });
    expect(config.serverUrls).to.deep.equal({
      users: 'http://127.0.0.1:4001/mcp',
      audit: 'https://audit.internal/mcp',
    });
    expect(loadConfig({ BIZOSAAS_SERVER_URLS: '' }).serverUrls).to.deep.equal({});
  });

  it('keeps a server URL whole when it contains "=" (a query string)', () => {
    const config = loadConfig({ BIZOSAAS_SERVER_URLS: 'users=http://10.0.0.5:4001/mcp?region=eu&tier=2' });
    expect(config.serverUrls).to.deep.equal({ users: 'http://10.0.0.5:4001/mcp?region=eu&tier=2' });
  });
});

describe('master secret and derived keys', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-secret-'));
    dirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('generates a secret on first use and persists it in <dataDir>/secret.key with mode 0600', () => {
    const dataDir = path.join(tempDir(), 'not', 'yet', 'there');
    const secret = loadMasterSecret(dataDir, undefined);
    expect(secret).to.have.length.of.at.least(32);
    const file = path.join(dataDir, 'secret.key');
    expect(fs.readFileSync(file, 'utf8').trim()).to.equal(secret);
    expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
  });

  it('reuses the persisted secret afterwards instead of generating a new one', () => {
    const dataDir = tempDir();
    const first = loadMasterSecret(dataDir, undefined);
    const stat = fs.statSync(path.join(dataDir, 'secret.key'));
    expect(loadMasterSecret(dataDir, undefined)).to.equal(first);
    expect(fs.statSync(path.join(dataDir, 'secret.key')).mtimeMs).to.equal(stat.mtimeMs);
  });

  it('generates a different secret for a different data directory', () => {
    expect(loadMasterSecret(tempDir(), undefined)).to.not.equal(loadMasterSecret(tempDir(), undefined));
  });

  it('a configured secret wins over the persisted one and writes nothing', () => {
    const fresh = tempDir();
    const configured = 'c'.repeat(40);
    expect(loadMasterSecret(fresh, configured)).to.equal(configured);
    expect(fs.readdirSync(fresh)).to.deep.equal([]);

    const persisted = tempDir();
    const generated = loadMasterSecret(persisted, undefined);
    expect(loadMasterSecret(persisted, configured)).to.equal(configured);
    expect(fs.readFileSync(path.join(persisted, 'secret.key'), 'utf8').trim()).to.equal(generated);
  });

  it('derives stable 32-byte keys per purpose, the same from the same secret', () => {
    const secret = 's'.repeat(43);
    const a = deriveKeys(secret);
    const b = deriveKeys(secret);
    for (const purpose of ['call-context', 'impersonation', 'credentials', 'admin-socket'] as const) {
      expect(a.key(purpose)).to.be.instanceOf(Uint8Array);
      expect(a.key(purpose).length).to.equal(32);
      expect(Buffer.from(a.key(purpose))).to.deep.equal(Buffer.from(a.key(purpose)));
      expect(Buffer.from(a.key(purpose))).to.deep.equal(Buffer.from(b.key(purpose)));
    }
  });

  it('derives a different key for each purpose and for each secret', () => {
    const keys = deriveKeys('one secret, long enough to be a real one');
    const other = deriveKeys('another secret, long enough to be real');
    const purposes = ['call-context', 'impersonation', 'credentials', 'admin-socket'] as const;
    const hex = purposes.map((p) => Buffer.from(keys.key(p)).toString('hex'));
    expect(new Set(hex).size).to.equal(purposes.length);
    for (const purpose of purposes) {
      expect(Buffer.from(other.key(purpose)).toString('hex')).to.not.equal(
        Buffer.from(keys.key(purpose)).toString('hex'),
      );
    }
  });
});
