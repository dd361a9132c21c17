import { expect } from 'chai';
import { and, desc, eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { auditLog } from '../../core/audit/schema.ts';
import { hashToken } from '../../core/tokens.ts';
import { sessions } from '../../servers/users/schema.ts';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';
const DAVE = 'dave@acme.test';

/** The code an authenticator app shows for this secret, `steps` periods of 30 s from now. */
function codeFor(secret: string, steps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + steps * 30_000 });
}

const tokenOf = (cookie: string | undefined) => String(cookie).split('=')[1] ?? '';

/** Turns MFA on for a user through the REST adapters, as the console does; the secret and recovery codes. */
async function turnOnMfa(world: World, email: string) {
  const http = httpClient(world.url);
  expect((await http.login(email, DEMO_PASSWORD)).status).to.equal(200);
  const enroll = await http.post('/api/auth/mfa/enroll');
  expect(enroll.status, JSON.stringify(enroll.json)).to.equal(200);
  expect(enroll.json.otpauthUri).to.match(/^otpauth:\/\/totp\//);
  expect(enroll.json.qrDataUrl).to.match(/^data:image\/png;base64,/);
  const secret = new URL(enroll.json.otpauthUri).searchParams.get('secret') ?? '';
  const confirm = await http.post('/api/auth/mfa/confirm', { code: codeFor(secret) });
  expect(confirm.status, JSON.stringify(confirm.json)).to.equal(200);
  expect(confirm.json.recoveryCodes).to.have.length(10);
  return { http, secret, recoveryCodes: confirm.json.recoveryCodes as string[] };
}

describe('Signing in with two-factor authentication', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  it('asks for the second factor after the password, and signs in only with a valid code', async () => {
    const { secret } = await turnOnMfa(world, CAROL);
    const http = httpClient(world.url);
    const login = await http.login(CAROL, DEMO_PASSWORD);
    expect(login.status).to.equal(200);
    expect(login.json).to.deep.equal({ mfaRequired: true });
    const pendingCookie = http.cookie;
    expect(pendingCookie).to.match(/^bizosaas_session=/);
    expect((await http.get('/api/me')).status, 'the password alone authenticates nothing').to.equal(401);
    expect((await http.post('/api/tools/users_mfa_status', {})).status).to.equal(401);

    const wrong = await http.post('/api/auth/mfa/verify', { code: '000000' });
    expect(wrong.status).to.equal(401);
    expect(wrong.json.error.code).to.equal('unauthenticated');
    expect((await http.get('/api/me')).status).to.equal(401);

    const verified = await http.post('/api/auth/mfa/verify', { code: codeFor(secret, 1) });
    expect(verified.status, JSON.stringify(verified.json)).to.equal(200);
    expect(verified.json.user.email).to.equal(CAROL);
    expect(verified.json.via).to.equal('session');
    const me = await http.get('/api/me');
    expect(me.status).to.equal(200);
    expect(me.json.user.email).to.equal(CAROL);

    expect(http.cookie, 'a new token once the second factor is in').to.not.equal(pendingCookie);
    http.cookie = pendingCookie;
    expect((await http.get('/api/me')).status, 'the half-way token is worth nothing').to.equal(401);
  });

  it('refuses a code used once already (replay), even within its window', async () => {
    const { secret } = await turnOnMfa(world, BOB);
    const code = codeFor(secret, 1);
    const first = httpClient(world.url);
    expect((await first.login(BOB, DEMO_PASSWORD)).json).to.deep.equal({ mfaRequired: true });
    expect((await first.post('/api/auth/mfa/verify', { code })).status).to.equal(200);
    const second = httpClient(world.url);
    expect((await second.login(BOB, DEMO_PASSWORD)).json).to.deep.equal({ mfaRequired: true });
    const replay = await second.post('/api/auth/mfa/verify', { code });
    expect(replay.status).to.equal(401);
    expect((await second.get('/api/me')).status).to.equal(401);
  });

  it('accepts a recovery code once: the second time it is refused', async () => {
    const { recoveryCodes } = await turnOnMfa(world, NINA);
    const recovery = recoveryCodes[0] ?? '';
    const first = httpClient(world.url);
    await first.login(NINA, DEMO_PASSWORD);
    expect((await first.post('/api/auth/mfa/verify', { code: recovery })).status).to.equal(200);
    const status = await first.post('/api/tools/users_mfa_status', {});
    expect(status.json.result).to.include({ enabled: true, recoveryCodesLeft: 9 });
    const second = httpClient(world.url);
    await second.login(NINA, DEMO_PASSWORD);
    expect((await second.post('/api/auth/mfa/verify', { code: recovery })).status).to.equal(401);
  });

  it('keeps a waiting sign-in ten minutes, and refuses a code after it expired or without one', async () => {
    const http = httpClient(world.url);
    await http.login(CAROL, DEMO_PASSWORD);
    const [row] = await world.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(tokenOf(http.cookie))));
    expect(row?.stage).to.equal('mfa');
    const ttl = (row?.expiresAt.getTime() ?? 0) - (row?.createdAt.getTime() ?? 0);
    expect(ttl).to.be.within(9.5 * 60_000, 10.5 * 60_000);
    await world.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, row?.id ?? ''));
    const expired = await http.post('/api/auth/mfa/verify', { code: '123456' });
    expect(expired.status).to.equal(401);
    expect(expired.json.error.message).to.match(/No sign-in is waiting/);
    const none = await httpClient(world.url).post('/api/auth/mfa/verify', { code: '123456' });
    expect(none.status).to.equal(401);
  });

  it('records both steps of the sign-in in the audit log, without the code', async () => {
    await world.platform.audit.flush();
    const records = await world.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.userEmail, CAROL))
      .orderBy(desc(auditLog.seq));
    const steps = records.filter((r) => r.tool === 'auth_login' || r.tool === 'auth_mfa_verify');
    expect(steps.map((r) => [r.tool, r.outcome])).to.deep.include.members([
      ['auth_login', 'ok'],
      ['auth_mfa_verify', 'unauthenticated'],
      ['auth_mfa_verify', 'ok'],
    ]);
    expect(steps.find((r) => r.tool === 'auth_login' && r.args.secondFactor === 'required')).to.exist;
    expect(steps.find((r) => r.tool === 'auth_mfa_verify' && r.outcome === 'ok')?.args).to.deep.equal({
      method: 'totp',
    });
  });

  it('turns off over REST with a valid code, after which the password alone signs in again', async () => {
    const { http, secret } = await turnOnMfa(world, DAVE);
    const wrong = await http.post('/api/auth/mfa/disable', { code: '000000' });
    expect(wrong.status).to.equal(403);
    expect(wrong.json.error.details.field).to.equal('code');
    const off = await http.post('/api/auth/mfa/disable', { code: codeFor(secret, 1) });
    expect(off.status, JSON.stringify(off.json)).to.equal(200);
    expect(off.json.enabled).to.equal(false);
    const login = await httpClient(world.url).login(DAVE, DEMO_PASSWORD);
    expect(login.status).to.equal(200);
    expect(login.json.user.email).to.equal(DAVE);
  });

  it('refuses the security-centre routes without a signed-in caller', async () => {
    for (const path of [
      '/api/auth/password',
      '/api/auth/mfa/enroll',
      '/api/auth/mfa/confirm',
      '/api/auth/mfa/disable',
    ]) {
      const res = await httpClient(world.url).post(path, {});
      expect(res.status, path).to.equal(401);
    }
  });
});

describe('Signing in with two-factor authentication: limits', () => {
  let world: World;
  before(async () => {
    world = await startWorld({ BIZOSAAS_LOGIN_LIMIT: '3' });
  });
  after(() => world.close());

  it('rate limits wrong second-factor codes like failed logins', async () => {
    const { secret } = await turnOnMfa(world, DAVE);
    const http = httpClient(world.url);
    await http.login(DAVE, DEMO_PASSWORD);
    for (let i = 0; i < 3; i++)
      expect((await http.post('/api/auth/mfa/verify', { code: '000000' })).status).to.equal(401);
    const limited = await http.post('/api/auth/mfa/verify', { code: codeFor(secret, 1) });
    expect(limited.status).to.equal(429);
    expect(limited.json.error.code).to.equal('rate_limited');
    expect((await http.get('/api/me')).status).to.equal(401);
    await world.platform.audit.flush();
    const [failure] = await world.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tool, 'auth_mfa_verify'), eq(auditLog.outcome, 'unauthenticated')))
      .limit(1);
    expect(failure?.userEmail).to.equal(DAVE);
  });
});
