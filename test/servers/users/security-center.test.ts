import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { auditLog } from '../../../core/audit/schema.ts';
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../../gateway/principal.ts';
import { identity } from '../../../servers/users/index.ts';
import { mfaRecoveryCodes, userCredentials } from '../../../servers/users/schema.ts';
import { httpClient } from '../../support/http.ts';
import { refusalOf } from '../../support/refusal.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../../support/world.ts';

const ROOT = 'root@bizosaas.test';
const OPS = 'ops@bizosaas.test';
const PAULA = 'paula@brightpath.test';
const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';
const DAVE = 'dave@acme.test';
const YUKI = 'yuki@zen.test';
const NEW_PASSWORD = 'a-brand-new-passphrase-2024';
const long = (n: number) => 'x'.repeat(n);

interface Enrolment {
  otpauthUri: string;
  qrDataUrl: string;
  secret: string;
}

/** The code an authenticator app shows for this secret, `steps` periods of 30 s from now. */
function codeFor(secret: string, steps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + steps * 30_000 });
}

/** The fields a bad_request names: zod's list, or the one field a server named. */
function fieldsOf(error: AppError): string[] {
  const details = error.details ?? {};
  if (Array.isArray(details.fields)) return (details.fields as { field: string }[]).map((f) => f.field);
  return typeof details.field === 'string' ? [details.field] : [];
}

describe('Security centre: change password and MFA (users_change_password, users_mfa_*)', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.close());

  const call = (who: Principal, tool: string, args: Record<string, unknown> = {}) =>
    world.platform.gateway.callTool(who, tool, args);
  const callAs = async (email: string, tool: string, args: Record<string, unknown> = {}) =>
    call(await world.as(email), tool, args);
  const credentialsOf = async (email: string) => {
    const [row] = await world.database.db
      .select()
      .from(userCredentials)
      .where(eq(userCredentials.userId, await world.userId(email)));
    if (!row) throw new Error(`no credentials for ${email}`);
    return row;
  };
  /** Signs in over HTTP like a browser; the client and the id of its session. */
  const signIn = async (email: string, password = DEMO_PASSWORD) => {
    const http = httpClient(world.url);
    const login = await http.login(email, password);
    expect(login.status, `${email} signs in`).to.equal(200);
    const session = await identity.resolveSession(world.database.db, String(http.cookie).split('=')[1] ?? '');
    if (!session) throw new Error('no session after login');
    return { http, sessionId: session.sessionId };
  };
  /** Enrols and confirms MFA for a user with a code for the current time step. */
  const turnOnMfa = async (email: string) => {
    const enrolment = (await callAs(email, 'users_mfa_enroll')) as unknown as Enrolment;
    const code = codeFor(enrolment.secret);
    const confirmed = (await callAs(email, 'users_mfa_confirm', { code })) as { recoveryCodes: string[] };
    return { secret: enrolment.secret, code, recoveryCodes: confirmed.recoveryCodes };
  };

  describe('changing one’s password', () => {
    it('needs the current password; afterwards only the new one signs in, and other sessions end at once', async () => {
      const here = await signIn(NINA);
      const elsewhere = await signIn(NINA);
      const nina = await world.as(NINA, { via: 'session', sessionId: here.sessionId });
      const result = await call(nina, 'users_change_password', {
        currentPassword: DEMO_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(result).to.include({ ok: true, revokedSessions: 1 });
      expect((await here.http.get('/api/me')).status, 'the session that changed it stays').to.equal(200);
      expect((await elsewhere.http.get('/api/me')).status, 'another session ends').to.equal(401);
      expect((await httpClient(world.url).login(NINA, DEMO_PASSWORD)).status).to.equal(401);
      expect((await httpClient(world.url).login(NINA, NEW_PASSWORD)).status).to.equal(200);
      const row = await credentialsOf(NINA);
      expect(row.passwordChangedAt).to.be.instanceOf(Date);
      expect(row.passwordHash).to.match(/^\$argon2id\$/);
    });

    it('keeps both passwords out of the audit record of the change', async () => {
      await callAs(OPS, 'users_change_password', {
        currentPassword: DEMO_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      await world.platform.audit.flush();
      const records = await world.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tool, 'users_change_password'), eq(auditLog.userEmail, OPS)));
      expect(records).to.have.length(1);
      expect(records[0]).to.include({ outcome: 'ok', target: await world.userId(OPS) });
      expect(JSON.stringify(records)).to.not.include(DEMO_PASSWORD).and.not.include(NEW_PASSWORD);
    });

    it('refuses a wrong current password as forbidden naming currentPassword, changing nothing', async () => {
      const before = await credentialsOf(CAROL);
      const elsewhere = await signIn(CAROL);
      const error = await refusalOf(
        callAs(CAROL, 'users_change_password', {
          currentPassword: 'not my password',
          newPassword: NEW_PASSWORD,
        }),
      );
      expect(error.code).to.equal('forbidden');
      expect(error.details?.field).to.equal('currentPassword');
      expect(await credentialsOf(CAROL)).to.deep.equal(before);
      expect((await elsewhere.http.get('/api/me')).status).to.equal(200);
    });

    it('refuses a new password that is too short, too long or the same as the current one', async () => {
      const before = await credentialsOf(CAROL);
      for (const newPassword of ['short-pass', long(1025), DEMO_PASSWORD]) {
        const error = await refusalOf(
          callAs(CAROL, 'users_change_password', { currentPassword: DEMO_PASSWORD, newPassword }),
        );
        expect(error.code, newPassword.slice(0, 20)).to.equal('bad_request');
        expect(fieldsOf(error)).to.deep.equal(['newPassword']);
        expect(error.message).to.include('newPassword');
      }
      expect(await credentialsOf(CAROL)).to.deep.equal(before);
    });

    it('after a forced reset: sign-in works, everything else is refused until the password is changed', async () => {
      await callAs(ROOT, 'users_force_password_reset', { user: BOB });
      const { http } = await signIn(BOB);
      expect((await http.get('/api/me')).json.mustResetPassword).to.equal(true);
      const blocked = await http.post('/api/tools/users_list', {});
      expect(blocked.status).to.equal(403);
      expect(blocked.json.error.details.passwordResetRequired).to.equal(true);
      const changed = await http.post('/api/auth/password', {
        currentPassword: DEMO_PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(changed.status).to.equal(200);
      expect(changed.json.ok).to.equal(true);
      expect((await http.get('/api/me')).json.mustResetPassword).to.equal(false);
      expect((await http.post('/api/tools/users_list', {})).status).to.equal(200);
      expect((await credentialsOf(BOB)).mustReset).to.equal(false);
    });

    it('stops guessing: after ten wrong current passwords even the right one is refused for a while', async () => {
      for (let i = 0; i < 10; i++) {
        const error = await refusalOf(
          callAs(PAULA, 'users_change_password', {
            currentPassword: `guess ${i}`,
            newPassword: NEW_PASSWORD,
          }),
        );
        expect(error.code).to.equal('forbidden');
      }
      const limited = await refusalOf(
        callAs(PAULA, 'users_change_password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD }),
      );
      expect(limited.code).to.equal('rate_limited');
      expect((await httpClient(world.url).login(PAULA, DEMO_PASSWORD)).status).to.equal(200);
    });
  });

  describe('two-factor authentication', () => {
    it('enrols with an otpauth URI, a QR data URL and a secret stored only encrypted and pending', async () => {
      const enrolment = (await callAs(DAVE, 'users_mfa_enroll')) as unknown as Enrolment;
      expect(enrolment.secret).to.match(/^[A-Z2-7]{32}$/);
      const uri = new URL(enrolment.otpauthUri);
      expect(uri.protocol).to.equal('otpauth:');
      expect(uri.host).to.equal('totp');
      expect(decodeURIComponent(uri.pathname)).to.equal(`/BizOSaaS:${DAVE}`);
      expect(Object.fromEntries(uri.searchParams)).to.deep.include({
        issuer: 'BizOSaaS',
        secret: enrolment.secret,
        algorithm: 'SHA1',
        digits: '6',
        period: '30',
      });
      expect(enrolment.qrDataUrl).to.match(/^data:image\/png;base64,[A-Za-z0-9+/=]{100,}$/);
      const row = await credentialsOf(DAVE);
      expect(row.mfaSecret).to.equal(null);
      expect(row.mfaPendingSecret).to.be.a('string').and.not.include(enrolment.secret);
      expect(await callAs(DAVE, 'users_mfa_status')).to.deep.equal({
        enabled: false,
        enabledAt: null,
        recoveryCodesLeft: 0,
        enrolmentPending: true,
      });
    });

    it('turns on with a first code and answers ten recovery codes, stored only as hashes', async () => {
      const enrolment = (await callAs(DAVE, 'users_mfa_enroll')) as unknown as Enrolment;
      const wrong = await refusalOf(callAs(DAVE, 'users_mfa_confirm', { code: '000000' }));
      expect(wrong.code).to.equal('bad_request');
      expect(wrong.details?.field).to.equal('code');
      expect((await credentialsOf(DAVE)).mfaSecret).to.equal(null);

      const confirmed = (await callAs(DAVE, 'users_mfa_confirm', { code: codeFor(enrolment.secret) })) as {
        enabled: boolean;
        recoveryCodes: string[];
      };
      expect(confirmed.enabled).to.equal(true);
      expect(confirmed.recoveryCodes).to.have.length(10);
      expect(new Set(confirmed.recoveryCodes).size).to.equal(10);
      for (const code of confirmed.recoveryCodes)
        expect(code).to.match(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      const stored = await world.database.db
        .select()
        .from(mfaRecoveryCodes)
        .where(eq(mfaRecoveryCodes.userId, await world.userId(DAVE)));
      expect(stored).to.have.length(10);
      const storedText = JSON.stringify(stored);
      for (const code of confirmed.recoveryCodes) expect(storedText).to.not.include(code);
      const row = await credentialsOf(DAVE);
      expect(row.mfaPendingSecret).to.equal(null);
      expect(row.mfaSecret).to.be.a('string').and.not.include(enrolment.secret);
      expect(row.mfaLastStep).to.be.a('number');
      const status = (await callAs(DAVE, 'users_mfa_status')) as Record<string, unknown>;
      expect(status).to.include({ enabled: true, recoveryCodesLeft: 10, enrolmentPending: false });
      expect(status.enabledAt).to.be.a('string');
    });

    it('refuses to enrol again while on, and to confirm without an enrolment', async () => {
      expect((await refusalOf(callAs(DAVE, 'users_mfa_enroll'))).code).to.equal('conflict');
      expect((await refusalOf(callAs(YUKI, 'users_mfa_confirm', { code: '123456' }))).code).to.equal(
        'conflict',
      );
    });

    it('turns off only with a valid code: a wrong one and a replayed one are refused', async () => {
      const { secret, code } = await turnOnMfa(YUKI);
      const before = await credentialsOf(YUKI);
      for (const bad of ['000000', code, 'not-a-recovery-code']) {
        const error = await refusalOf(callAs(YUKI, 'users_mfa_disable', { code: bad }));
        expect(error.code, bad).to.equal('forbidden');
        expect(error.details?.field).to.equal('code');
      }
      expect(await credentialsOf(YUKI)).to.deep.equal(before);
      const off = await callAs(YUKI, 'users_mfa_disable', { code: codeFor(secret, 1) });
      expect(off).to.deep.equal({ enabled: false, provedWith: 'totp' });
      const row = await credentialsOf(YUKI);
      expect(row).to.include({ mfaSecret: null, mfaPendingSecret: null, mfaEnabledAt: null });
      const left = await world.database.db
        .select()
        .from(mfaRecoveryCodes)
        .where(eq(mfaRecoveryCodes.userId, await world.userId(YUKI)));
      expect(left).to.deep.equal([]);
    });

    it('turns off with a recovery code instead of an app code', async () => {
      const { recoveryCodes } = await turnOnMfa(YUKI);
      const off = await callAs(YUKI, 'users_mfa_disable', { code: (recoveryCodes[3] ?? '').toUpperCase() });
      expect(off).to.deep.equal({ enabled: false, provedWith: 'recovery_code' });
    });
  });

  describe('who may change what', () => {
    const CHANGES: [tool: string, args: Record<string, unknown>][] = [
      ['users_change_password', { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD }],
      ['users_mfa_enroll', {}],
      ['users_mfa_confirm', { code: '123456' }],
      ['users_mfa_disable', { code: '123456' }],
    ];

    for (const [tool, args] of CHANGES) {
      it(`refuses ${tool} to a super admin viewing as the user, changing nothing`, async () => {
        const viewing = await world.as(CAROL, {
          via: 'impersonation',
          impersonator: { id: await world.userId(ROOT), email: ROOT },
        });
        const before = await credentialsOf(CAROL);
        const error = await refusalOf(call(viewing, tool, args));
        expect(error.code).to.equal('forbidden');
        expect(error.message).to.match(/viewing as another user/);
        expect(await credentialsOf(CAROL)).to.deep.equal(before);
        expect(world.platform.gateway.listTools(viewing).map((t) => t.name)).to.not.include(tool);
      });
    }

    it('lets a super admin viewing as the user see whether MFA is on', async () => {
      const viewing = await world.as(DAVE, {
        via: 'impersonation',
        impersonator: { id: await world.userId(ROOT), email: ROOT },
      });
      expect(await call(viewing, 'users_mfa_status')).to.include({ enabled: true });
    });

    it('acts only on the caller: naming another user is refused and their credentials stay as they were', async () => {
      const before = await credentialsOf(DAVE);
      for (const [tool, args] of [...CHANGES, ['users_mfa_status', {}] as const]) {
        const error = await refusalOf(callAs(ROOT, tool, { ...args, user: DAVE }));
        expect(error.code, tool).to.equal('bad_request');
        expect(fieldsOf(error), tool).to.deep.equal(['user']);
      }
      expect(await credentialsOf(DAVE)).to.deep.equal(before);
    });
  });

  describe('bad input', () => {
    const CASES: [what: string, tool: string, args: Record<string, unknown>, field: string][] = [
      [
        'a current password given as a number',
        'users_change_password',
        { currentPassword: 5, newPassword: NEW_PASSWORD },
        'currentPassword',
      ],
      [
        'an empty current password',
        'users_change_password',
        { currentPassword: '', newPassword: NEW_PASSWORD },
        'currentPassword',
      ],
      [
        'a 1,025-character current password',
        'users_change_password',
        { currentPassword: long(1025), newPassword: NEW_PASSWORD },
        'currentPassword',
      ],
      ['a missing new password', 'users_change_password', { currentPassword: DEMO_PASSWORD }, 'newPassword'],
      [
        'a new password given as an object',
        'users_change_password',
        { currentPassword: DEMO_PASSWORD, newPassword: { a: 1 } },
        'newPassword',
      ],
      [
        'an unknown field',
        'users_change_password',
        { currentPassword: DEMO_PASSWORD, newPassword: NEW_PASSWORD, mustReset: false },
        'mustReset',
      ],
      ['an unknown field', 'users_mfa_enroll', { secret: 'JBSWY3DPEHPK3PXP' }, 'secret'],
      ['a code given as a number', 'users_mfa_confirm', { code: 123456 }, 'code'],
      ['a code of letters', 'users_mfa_confirm', { code: 'abcdef' }, 'code'],
      ['a 10,000-character code', 'users_mfa_confirm', { code: long(10_000) }, 'code'],
      ['a missing code', 'users_mfa_confirm', {}, 'code'],
      ['a 33-character code', 'users_mfa_disable', { code: long(33) }, 'code'],
      ['a code given as a list', 'users_mfa_disable', { code: ['123456'] }, 'code'],
      ['an unknown field', 'users_mfa_status', { verbose: true }, 'verbose'],
    ];

    for (const [what, tool, args, field] of CASES) {
      it(`refuses ${what} in ${tool} as bad_request naming ${field}, changing nothing`, async () => {
        const before = await credentialsOf(CAROL);
        const error = await refusalOf(callAs(CAROL, tool, args));
        expect(error).to.be.instanceOf(AppError);
        expect(error.code, error.message).to.equal('bad_request');
        expect(fieldsOf(error)).to.include(field);
        expect(error.message).to.include(field);
        expect(await credentialsOf(CAROL)).to.deep.equal(before);
      });
    }

    it('answers a bad body over HTTP with 400 naming the field', async () => {
      const { http } = await signIn(CAROL);
      const bad = await http.post('/api/auth/password', { currentPassword: DEMO_PASSWORD, newPassword: 42 });
      expect(bad.status).to.equal(400);
      expect(bad.json.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal([
        'newPassword',
      ]);
    });
  });
});
