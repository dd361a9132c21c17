import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { and, desc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { auditLog } from '../../../core/audit/schema.ts';
import { AppError } from '../../../core/errors.ts';
import { DEFAULT_NOTIFICATION_PREFS, users } from '../../../servers/users/schema.ts';
import { httpClient } from '../../support/http.ts';
import { refusalOf } from '../../support/refusal.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../../support/world.ts';

const ROOT = 'root@bizosaas.test';
const OPS = 'ops@bizosaas.test';
const SUPPORT = 'support@bizosaas.test';
const PAULA = 'paula@brightpath.test';
const NINA = 'nina@northwind.test';
const BOB = 'bob@northwind.test';
const CAROL = 'carol@acme.test';
const DAVE = 'dave@acme.test';
const YUKI = 'yuki@zen.test';

/** The fields a bad_request names: zod's list, or the one field a server named. */
function fieldsOf(error: AppError): string[] {
  const details = error.details ?? {};
  if (Array.isArray(details.fields)) return (details.fields as { field: string }[]).map((f) => f.field);
  return typeof details.field === 'string' ? [details.field] : [];
}

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the tool answered
type Answer = any;

describe('users tools: avatar, time zone and language, notification preferences', () => {
  let world: World;
  let avatarDir: string;
  let png: string;

  before(async () => {
    avatarDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-avatars-'));
    world = await startWorld({ BIZOSAAS_AVATAR_DIR: avatarDir });
    png = (
      await sharp({ create: { width: 64, height: 48, channels: 3, background: '#0f766e' } })
        .png()
        .toBuffer()
    ).toString('base64');
  });
  after(async () => {
    await world.close();
    fs.rmSync(avatarDir, { recursive: true, force: true });
  });

  const call: World['call'] = (email, tool, args) => world.call(email, tool, args);
  const callAny = (email: string, tool: string, args: Record<string, unknown>) =>
    call(email, tool, args) as Promise<Answer>;
  const row = async (email: string) => {
    const [user] = await world.database.db.select().from(users).where(eq(users.email, email));
    if (!user) throw new Error(`no user ${email}`);
    return user;
  };
  const avatarFiles = () => fs.readdirSync(avatarDir).sort();

  describe('time zone and language', () => {
    it('stores a valid IANA time zone and BCP 47 language in canonical form, and shows them in the user view', async () => {
      const result = await callAny(DAVE, 'users_set_locale', {
        timezone: 'america/new_york',
        language: 'en-gb',
      });
      expect(result.user).to.include({ email: DAVE, timezone: 'America/New_York', language: 'en-GB' });
      expect(await row(DAVE)).to.include({ timezone: 'America/New_York', language: 'en-GB' });
      const again = await callAny(DAVE, 'users_get', { user: DAVE });
      expect(again.user).to.include({ timezone: 'America/New_York', language: 'en-GB' });
    });

    it('changes only what it is given', async () => {
      await call(DAVE, 'users_set_locale', { language: 'fr-CA' });
      expect(await row(DAVE)).to.include({ timezone: 'America/New_York', language: 'fr-CA' });
      await call(DAVE, 'users_set_locale', { timezone: 'UTC' });
      expect(await row(DAVE)).to.include({ timezone: 'UTC', language: 'fr-CA' });
    });

    it('shows the caller’s time zone and language in GET /api/me', async () => {
      await call(CAROL, 'users_set_locale', { timezone: 'Europe/Paris', language: 'fr' });
      const http = httpClient(world.url);
      await http.login(CAROL, DEMO_PASSWORD);
      const me = await http.get('/api/me');
      expect(me.json.user).to.include({ timezone: 'Europe/Paris', language: 'fr' });
    });

    it('formats audit dates in the reader’s time zone and language: Tokyo time, in Japanese', async () => {
      await call(PAULA, 'users_set_locale', { timezone: 'Asia/Tokyo', language: 'ja' });
      await call(PAULA, 'users_update_profile', { jobTitle: 'Agency Owner' });
      const tokyo = await callAny(PAULA, 'audit_search', { tool: 'users_update_profile', pageSize: 1 });
      const record = tokyo.items[0];
      const at = new Date(record.at);
      // Tokyo has no daylight saving time: always UTC+9.
      const local = new Date(at.getTime() + 9 * 3_600_000);
      const match = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{1,2}):(\d{2}):(\d{2}) JST$/.exec(record.atLocal);
      expect(match, `"${record.atLocal}" reads as a Japanese date and time in JST`).to.not.equal(null);
      expect(match?.slice(1).map(Number)).to.deep.equal([
        local.getUTCFullYear(),
        local.getUTCMonth() + 1,
        local.getUTCDate(),
        local.getUTCHours(),
        local.getUTCMinutes(),
        local.getUTCSeconds(),
      ]);

      // The same record read by someone on UTC, in English.
      const utc = await callAny(OPS, 'audit_search', { tool: 'users_update_profile', pageSize: 1 });
      expect(utc.items[0].id).to.equal(record.id);
      expect(utc.items[0].atLocal).to.match(/UTC$/);
      expect(utc.items[0].atLocal).to.include(String(at.getUTCFullYear()));
    });

    for (const [what, args, field] of [
      ['an unknown time zone', { timezone: 'Mars/Olympus' }, 'timezone'],
      ['a UTC offset instead of a zone', { timezone: '+09:00' }, 'timezone'],
      ['a time zone given as a number', { timezone: 9 }, 'timezone'],
      ['a malformed language tag', { language: 'en_US' }, 'language'],
      ['a language that is not a tag at all', { language: 'English please' }, 'language'],
      ['a 36-character language', { language: 'x'.repeat(36) }, 'language'],
    ] as const) {
      it(`refuses ${what} as bad_request naming ${field}, changing nothing`, async () => {
        const before = await row(NINA);
        const error = await refusalOf(call(NINA, 'users_set_locale', args));
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)).to.deep.equal([field]);
        expect(error.message).to.include(field);
        expect(await row(NINA)).to.deep.equal(before);
      });
    }

    it('refuses a call that changes neither', async () => {
      const error = await refusalOf(call(NINA, 'users_set_locale', {}));
      expect(error.code).to.equal('bad_request');
      expect(error.message).to.include('timezone');
    });
  });

  describe('notification preferences', () => {
    it('starts from the defaults: every event on every channel', async () => {
      const result = await callAny(NINA, 'users_get_notification_preferences', {});
      expect(result.user.email).to.equal(NINA);
      expect(result.preferences).to.deep.equal(DEFAULT_NOTIFICATION_PREFS);
    });

    it('merges each change into what is stored and keeps it', async () => {
      await call(NINA, 'users_set_notification_preferences', {
        preferences: { email: { leadUpdates: false } },
      });
      const second = await callAny(NINA, 'users_set_notification_preferences', {
        preferences: { inApp: { billing: false, reviewAlerts: false }, email: { billing: false } },
      });
      const expected = {
        email: { securityAlerts: true, leadUpdates: false, reviewAlerts: true, billing: false },
        inApp: { securityAlerts: true, leadUpdates: true, reviewAlerts: false, billing: false },
      };
      expect(second.preferences).to.deep.equal(expected);
      expect((await row(NINA)).notificationPrefs).to.deep.equal(expected);
      expect((await callAny(NINA, 'users_get_notification_preferences', {})).preferences).to.deep.equal(
        expected,
      );
    });

    it('answers GET and PUT /api/me/notification-preferences through the same tools', async () => {
      const http = httpClient(world.url);
      await http.login(BOB, DEMO_PASSWORD);
      const got = await http.get('/api/me/notification-preferences');
      expect(got.status).to.equal(200);
      expect(got.json.preferences).to.deep.equal(DEFAULT_NOTIFICATION_PREFS);
      const put = await http.request('PUT', '/api/me/notification-preferences', {
        email: { securityAlerts: false },
      });
      expect(put.status).to.equal(200);
      expect(put.json.preferences.email.securityAlerts).to.equal(false);
      expect((await row(BOB)).notificationPrefs.email.securityAlerts).to.equal(false);
      const bad = await http.request('PUT', '/api/me/notification-preferences', { sms: { billing: true } });
      expect(bad.status).to.equal(400);
      expect(bad.json.error.details.fields.map((f: { field: string }) => f.field)).to.deep.equal([
        'preferences.sms',
      ]);
      const [audited] = await world.database.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.tool, 'users_set_notification_preferences'), eq(auditLog.userEmail, BOB)))
        .orderBy(desc(auditLog.seq))
        .limit(1);
      expect(audited).to.include({ outcome: 'ok', target: await world.userId(BOB) });
    });

    for (const [what, preferences, field] of [
      ['an unknown event', { email: { weather: true } }, 'preferences.email.weather'],
      ['an unknown channel', { sms: { billing: true } }, 'preferences.sms'],
      ['an event set to text', { inApp: { billing: 'no' } }, 'preferences.inApp.billing'],
      ['a channel given as a list', { email: ['billing'] }, 'preferences.email'],
      ['no change at all', {}, 'preferences'],
      ['an empty channel', { email: {} }, 'preferences'],
    ] as const) {
      it(`refuses ${what} as bad_request naming ${field}, changing nothing`, async () => {
        const before = await row(NINA);
        const error = await refusalOf(call(NINA, 'users_set_notification_preferences', { preferences }));
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)).to.deep.equal([field]);
        expect(await row(NINA)).to.deep.equal(before);
      });
    }

    it('refuses a call without preferences as bad_request naming preferences', async () => {
      const error = await refusalOf(call(NINA, 'users_set_notification_preferences', {}));
      expect(fieldsOf(error)).to.deep.equal(['preferences']);
    });
  });

  describe('avatar through the tool (the MCP door)', () => {
    it('stores a base64 image as a re-encoded WebP under a new URL each time, and removes it', async () => {
      const first = await callAny(YUKI, 'users_set_avatar', { image: png });
      const url1: string = first.user.avatarUrl;
      expect(url1).to.match(/^\/api\/avatars\/usr_[0-9A-Z]{26}-[0-9a-f]{32}\.webp$/);
      const file1 = path.join(avatarDir, path.basename(url1));
      expect((await sharp(file1).metadata()).format).to.equal('webp');

      const second = await callAny(YUKI, 'users_set_avatar', { image: png });
      const url2: string = second.user.avatarUrl;
      expect(url2).to.not.equal(url1);
      expect(fs.existsSync(file1), 'the replaced file is deleted').to.equal(false);
      expect(fs.existsSync(path.join(avatarDir, path.basename(url2)))).to.equal(true);

      const removed = await callAny(YUKI, 'users_remove_avatar', {});
      expect(removed.user.avatarUrl).to.equal(null);
      expect((await row(YUKI)).avatarFile).to.equal(null);
      expect(fs.existsSync(path.join(avatarDir, path.basename(url2)))).to.equal(false);
      // Removing again is harmless.
      expect((await callAny(YUKI, 'users_remove_avatar', {})).user.avatarUrl).to.equal(null);
    });

    it('keeps exactly one file when the same user uploads several times at once', async () => {
      await Promise.all([1, 2, 3].map(() => call(YUKI, 'users_set_avatar', { image: png })));
      const stored = (await row(YUKI)).avatarFile;
      const yukiId = await world.userId(YUKI);
      expect(avatarFiles().filter((f) => f.startsWith(yukiId))).to.deep.equal([stored]);
      await call(YUKI, 'users_remove_avatar', {});
    });

    for (const [what, image, field] of [
      ['text that is not base64', 'this is not base64!', 'image'],
      ['an empty image', '', 'image'],
      ['base64 of plain text', Buffer.from('just some words, not a picture').toString('base64'), 'image'],
      ['base64 longer than the size limit', 'A'.repeat(2_700_000), 'image'],
    ] as const) {
      it(`refuses ${what} as bad_request naming ${field}, writing nothing`, async () => {
        const files = avatarFiles();
        const before = await row(NINA);
        const error = await refusalOf(call(NINA, 'users_set_avatar', { image }));
        expect(error.code).to.equal('bad_request');
        expect(fieldsOf(error)).to.deep.equal([field]);
        expect(await row(NINA)).to.deep.equal(before);
        expect(avatarFiles()).to.deep.equal(files);
      });
    }

    it('refuses a call without an image as bad_request naming image', async () => {
      const error = await refusalOf(call(NINA, 'users_set_avatar', {}));
      expect(fieldsOf(error)).to.deep.equal(['image']);
    });
  });

  describe('who may change whose preferences', () => {
    type Tool = { tool: string; args: (user: string) => Record<string, unknown> };
    const TOOLS: Tool[] = [
      { tool: 'users_set_avatar', args: (user) => ({ user, image: png }) },
      { tool: 'users_remove_avatar', args: (user) => ({ user }) },
      { tool: 'users_set_locale', args: (user) => ({ user, timezone: 'Asia/Tokyo', language: 'ja' }) },
      { tool: 'users_get_notification_preferences', args: (user) => ({ user }) },
      {
        tool: 'users_set_notification_preferences',
        args: (user) => ({ user, preferences: { email: { billing: false } } }),
      },
    ];
    const REFUSED: [actor: string, target: string, code: string, why: string][] = [
      [NINA, BOB, 'forbidden', 'a client, for another user of their own business'],
      [NINA, YUKI, 'not_found', 'a client, for a user of another business'],
      [PAULA, YUKI, 'not_found', 'a partner, for a client that is not theirs'],
      [PAULA, OPS, 'not_found', 'a partner, for platform staff'],
      [SUPPORT, ROOT, 'not_found', 'a sub-admin, for platform staff outside their scope'],
      [SUPPORT, YUKI, 'not_found', 'a sub-admin, for a tenant outside their scope'],
      [OPS, ROOT, 'forbidden', 'an admin, for a super admin'],
    ];

    for (const { tool, args } of TOOLS) {
      for (const [actor, target, code, why] of REFUSED) {
        it(`${tool}: refuses ${why} (${actor} → ${target}) as ${code}, changing nothing`, async () => {
          const before = await row(target);
          const files = avatarFiles();
          const error = await refusalOf(call(actor, tool, args(target)));
          expect(error.code, error.message).to.equal(code);
          expect(await row(target)).to.deep.equal(before);
          expect(avatarFiles()).to.deep.equal(files);
        });
      }

      for (const [actor, target] of [
        [OPS, NINA],
        [PAULA, CAROL],
        [SUPPORT, DAVE],
        [ROOT, OPS],
      ] as const) {
        it(`${tool}: lets ${actor} manage ${target}`, async () => {
          const result = await callAny(actor, tool, args(target));
          expect(result.user.email).to.equal(target);
        });
      }
    }

    it('applies what a manager set: an admin sets a client’s avatar, time zone and preferences', async () => {
      await call(OPS, 'users_set_avatar', { user: NINA, image: png });
      await call(OPS, 'users_set_locale', { user: NINA, timezone: 'Europe/Berlin', language: 'de' });
      await call(OPS, 'users_set_notification_preferences', {
        user: NINA,
        preferences: { inApp: { leadUpdates: false } },
      });
      const nina = await row(NINA);
      expect(nina).to.include({ timezone: 'Europe/Berlin', language: 'de' });
      expect(nina.avatarFile).to.be.a('string');
      expect(nina.notificationPrefs.inApp.leadUpdates).to.equal(false);
      const principal = await world.as(NINA);
      expect(principal).to.include({ timezone: 'Europe/Berlin', language: 'de' });
      expect(principal.avatarUrl).to.equal(`/api/avatars/${nina.avatarFile}`);
    });

    it('lists the five tools for every role, as self-service tools with honest annotations', async () => {
      const tools = world.platform.gateway.listTools(await world.as(NINA));
      const byName = new Map(tools.map((t) => [t.name, t]));
      for (const name of TOOLS.map((t) => t.tool)) expect(byName.has(name), name).to.equal(true);
      expect(byName.get('users_get_notification_preferences')?.annotations).to.include({
        readOnlyHint: true,
      });
      expect(byName.get('users_remove_avatar')?.annotations).to.include({ destructiveHint: true });
      expect(byName.get('users_set_avatar')?.access).to.include({
        permission: 'profile.self',
        scope: 'self',
      });
    });

    it('reports a user argument that is neither an id nor an email as bad_request naming user', async () => {
      for (const { tool, args } of TOOLS) {
        const error = await refusalOf(call(NINA, tool, args('bob')));
        expect(error.code, tool).to.equal('bad_request');
        expect(fieldsOf(error), tool).to.deep.equal(['user']);
      }
      const error = await refusalOf(call(NINA, 'users_get_notification_preferences', { user: 42 }));
      expect(error).to.be.instanceOf(AppError);
      expect(fieldsOf(error)).to.deep.equal(['user']);
    });
  });
});
