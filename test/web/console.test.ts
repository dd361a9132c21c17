import { expect } from 'chai';
import * as OTPAuth from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import {
  buildConsoleOnce,
  chromiumInstalled,
  consoleChatModel,
  inPage,
  launchBrowser,
  screenshot,
  signInAs,
} from '../support/browser.ts';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

/**
 * The web console in a real browser (headless Chromium) against a gateway on loopback with the
 * demo data: what people do, step by step, with screenshots under test/artifacts/console/.
 */
describe('web console (Chromium)', function () {
  this.timeout(60_000);
  let world: World;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  let page: Page;

  before(async function () {
    this.timeout(120_000);
    if (!chromiumInstalled()) {
      console.warn('      (skipped: /usr/bin/chromium is not installed; `apt-get install chromium`)');
      this.skip();
    }
    await buildConsoleOnce();
    const chat = consoleChatModel();
    console.log(`      (chat model: ${chat.label})`);
    world = await startWorld({}, chat.model ? { model: chat.model } : {});
    ({ context, close: closeBrowser } = await launchBrowser());
  });

  after(async () => {
    await closeBrowser?.();
    await world?.close();
  });

  let violations: string[] = [];
  beforeEach(async () => {
    await context.clearCookies();
    page = await context.newPage();
    violations = [];
    // The console must run under the gateway's Content-Security-Policy without tripping it.
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
  });

  afterEach(async function () {
    // A failed step leaves a picture of what the browser showed.
    if (this.currentTest?.state === 'failed') {
      const name = (this.currentTest.title.match(/\w+/g) ?? []).slice(0, 6).join('-').toLowerCase();
      await screenshot(page, `failed-${name}`).catch(() => {});
    }
    await page.close();
    expect(violations, 'Content-Security-Policy violations').to.deep.equal([]);
  });

  const messageBox = (p: Page) => p.getByRole('textbox', { name: 'Message' });

  const signedInClient = async (email: string) => {
    const http = httpClient(world.url);
    expect((await http.login(email, DEMO_PASSWORD)).status).to.equal(200);
    return http;
  };

  it('signs in, and "list all partners" in chat shows the partners as a table', async () => {
    await page.goto(world.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, '01-login');
    await signInAs(page, world.url, 'root@bizosaas.test', DEMO_PASSWORD, 'Ada Root');

    await messageBox(page).fill('list all partners');
    await messageBox(page).press('Enter');
    const card = page.locator('.tool-card', { hasText: 'users_list' });
    await card.locator('.status', { hasText: 'Done' }).waitFor();
    const table = card.locator('table');
    await expect(await table.locator('tbody tr').count()).to.equal(1);
    expect(await table.locator('tbody').textContent())
      .to.contain('Paula Partner')
      .and.contain('Partner');
    await expect(await card.locator('.tool-args').textContent()).to.contain('partner');
    // The conversation is kept and listed, under its first words.
    await page.locator('.conversation-list a', { hasText: 'list all partners' }).waitFor();
    expect(page.url()).to.match(/\/chat\/cnv_\w+$/);
    await page.locator('.message-assistant .message-text').last().waitFor();
    await screenshot(page, '02-chat-table');

    // Sorting by a column header, then opening the person from the table.
    await table.getByRole('button', { name: 'Email' }).click();
    expect(await table.locator('th[aria-sort="ascending"]').textContent()).to.contain('Email');
    await table.getByRole('link', { name: 'Paula Partner' }).click();
    await page.getByRole('heading', { name: 'Paula Partner', level: 1 }).waitFor();

    // The same conversation comes back from history.
    await page.getByRole('link', { name: 'Chat' }).click();
    await page.locator('.conversation-list a', { hasText: 'list all partners' }).click();
    await page.locator('.tool-card table', { hasText: 'Paula Partner' }).waitFor();
  });

  it('pauses a destructive call for approval, and runs it once approved', async () => {
    const carol = await signedInClient('carol@acme.test');
    await signInAs(page, world.url, 'ops@bizosaas.test', DEMO_PASSWORD, 'Olivia Ops');
    await messageBox(page).fill('revoke all sessions for carol@acme.test');
    await page.getByRole('button', { name: 'Send' }).click();
    const card = page.locator('.approval-card');
    await card.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await card.textContent())
      .to.contain('users_revoke_sessions')
      .and.contain('carol@acme.test');
    expect((await carol.get('/api/me')).status).to.equal(200);
    await screenshot(page, '03-approval-card');

    await card.getByRole('button', { name: 'Approve' }).click();
    const done = page.locator('.tool-card', { hasText: 'users_revoke_sessions' });
    await done.locator('.status', { hasText: 'Done' }).waitFor();
    expect((await carol.get('/api/me')).status).to.equal(401);
  });

  it('rejecting a destructive call runs nothing', async () => {
    const dave = await signedInClient('dave@acme.test');
    await signInAs(page, world.url, 'ops@bizosaas.test', DEMO_PASSWORD, 'Olivia Ops');
    await messageBox(page).fill('sign dave@acme.test out, revoke everything');
    await messageBox(page).press('Enter');
    const card = page.locator('.approval-card');
    await card.getByLabel('Reason (optional)').fill('not now');
    await card.getByRole('button', { name: 'Reject' }).click();
    await page.locator('.tool-card .status', { hasText: 'Rejected' }).waitFor();
    expect((await dave.get('/api/me')).status).to.equal(200);
  });

  it("opens a user's Profile, Activity and Security tabs and revokes one of their sessions", async () => {
    const bob = await signedInClient('bob@northwind.test');
    await bob.post('/api/tools/users_update_profile', { jobTitle: 'Head Baker' });
    await signInAs(page, world.url, 'root@bizosaas.test', DEMO_PASSWORD, 'Ada Root');
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByLabel('Search').fill('bob');
    await page.locator('.data-table tbody tr').filter({ hasText: 'Bob Smith' }).waitFor();
    await page.locator('.data-table tbody tr').nth(1).waitFor({ state: 'detached' });
    // The role and tenant filters narrow the same list.
    await page.getByLabel('Role').selectOption('client');
    await page.getByLabel('Tenant').selectOption('northwind');
    await page.locator('.data-table tbody tr', { hasText: 'Bob Smith' }).waitFor();
    await screenshot(page, '04-users-directory');
    await page.getByRole('link', { name: 'Bob Smith' }).click();

    await page.getByRole('heading', { name: 'Bob Smith', level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Profile', selected: true }).waitFor();
    expect(await page.locator('.record-card').textContent()).to.contain('Head Baker');
    await screenshot(page, '05-user-profile-tab');

    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.locator('.timeline-item', { hasText: 'Users update profile' }).waitFor();
    await screenshot(page, '06-user-activity-tab');

    await page.getByRole('tab', { name: 'Security' }).click();
    const rows = page.locator('.session-table tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).to.equal(1);
    await screenshot(page, '07-user-security-tab');
    await rows
      .first()
      .getByRole('button', { name: /^Revoke the session/ })
      .click();
    await page.getByText('No active sessions.').waitFor();
    expect((await bob.get('/api/me')).status).to.equal(401);
  });

  it('enrols MFA with the QR code page, then signs in again with a code', async () => {
    await signInAs(page, world.url, 'nina@northwind.test', DEMO_PASSWORD, 'Nina Baker');
    // A partner's client sees the partner's brand.
    expect(await page.locator('.app-header .brand-name').textContent()).to.equal('Brightpath Hub');
    expect(
      await inPage<string>(
        page,
        "getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()",
      ),
    ).to.equal('#0f766e');
    expect(await page.title()).to.equal('Brightpath Hub');

    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = (await page.locator('[data-secret]').getAttribute('data-secret')) as string;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) });
    await screenshot(page, '08-security-mfa-qr');
    await page.getByLabel('Then enter the 6-digit code it shows').fill(totp.generate());
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByRole('list', { name: 'Recovery codes' });
    await codes.waitFor();
    expect(await codes.locator('li').count()).to.equal(10);
    await screenshot(page, '09-security-recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByText(/10 recovery codes left/).waitFor();
    await page.locator('.session-table .badge-current', { hasText: 'This device' }).waitFor();
    await screenshot(page, '10-security-centre');

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByText('You have signed out.').waitFor();
    // The login page keeps the brand this browser last showed.
    expect(await page.locator('.login .brand-name').textContent()).to.equal('Brightpath Hub');
    await page.getByLabel('Email').fill('nina@northwind.test');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    await screenshot(page, '11-login-code-step');
    await page.getByLabel('Code').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText(/That code is not valid/).waitFor();
    // The code just used to confirm is spent; the next step's code is accepted (±1 step).
    await page.getByLabel('Code').fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('.user-menu-name', { hasText: 'Nina Baker' }).waitFor();
  });

  it('views the platform as a user with a banner naming both, and exits', async () => {
    await signInAs(page, world.url, 'root@bizosaas.test', DEMO_PASSWORD, 'Ada Root');
    await page.goto(`${world.url}/users?q=carol`);
    await page.getByRole('link', { name: 'Carol Diaz' }).click();
    // Esc closes the confirmation; nothing happens until it is confirmed.
    await page.getByRole('button', { name: 'Impersonate' }).click();
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Impersonate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'View as Carol Diaz' }).click();
    const banner = page.getByRole('region', { name: 'Viewing as another user' });
    await banner.waitFor();
    expect(await banner.textContent())
      .to.contain('Ada Root')
      .and.contain('Carol Diaz')
      .and.contain('carol@acme.test');
    await page.locator('.user-menu-name', { hasText: 'Carol Diaz' }).waitFor();
    // Carol's console is branded like her partner's (Acme is a Brightpath client).
    expect(await page.locator('.app-header .brand-name').textContent()).to.equal('Brightpath Hub');
    await screenshot(page, '12-impersonation-banner');
    // A reload keeps the View As session of this tab.
    await page.reload();
    await banner.waitFor();

    await banner.getByRole('button', { name: 'Exit' }).click();
    await page.locator('.user-menu-name', { hasText: 'Ada Root' }).waitFor();
    expect(await banner.count()).to.equal(0);
    expect(await inPage(page, "sessionStorage.getItem('bizosaas.impersonation')")).to.equal(null);
  });

  it('profile: previews and uploads an avatar, saves time zone, language and notifications', async () => {
    await signInAs(page, world.url, 'yuki@zen.test', DEMO_PASSWORD, 'Yuki Tanaka');
    await page.getByRole('link', { name: 'Profile' }).first().click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    const image = await sharp({
      create: { width: 128, height: 128, channels: 3, background: '#e76f51' },
    })
      .png()
      .toBuffer();
    await page
      .getByLabel('Choose an image (PNG, JPEG or WebP)')
      .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: image });
    await page.getByRole('img', { name: 'Your new avatar, not uploaded yet' }).waitFor();
    await page.getByLabel('Time zone', { exact: true }).selectOption('Asia/Tokyo');
    await page.getByLabel('Language', { exact: true }).selectOption('ja');
    await screenshot(page, '13-profile');
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('.user-menu img.avatar').waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Time zone and language saved.').waitFor();
    await page.getByLabel('Lead updates by email').uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('Notification preferences saved.').waitFor();
    const me = await inPage<{ user: { timezone: string; avatarUrl: string } }>(
      page,
      "fetch('/api/me').then((res) => res.json())",
    );
    expect(me.user.timezone).to.equal('Asia/Tokyo');
    expect(me.user.avatarUrl).to.match(/^\/api\/avatars\//);
  });

  it('generates tool forms from JSON schemas, with validation messages; an invitation link signs the invitee in', async () => {
    await signInAs(page, world.url, 'ops@bizosaas.test', DEMO_PASSWORD, 'Olivia Ops');
    await page.getByRole('link', { name: 'Tools' }).click();
    await page.getByLabel('Search tools').fill('invite');
    await page.getByRole('link', { name: /Invite a user/ }).click();
    await page.getByRole('button', { name: 'Run' }).click();
    expect(await page.locator('.field-error').allInnerTexts()).to.deep.equal(['Required.', 'Required.']);
    await page.getByLabel(/^Email/).fill('not-an-email');
    await page.getByLabel(/^Name/).fill('Eve Newman');
    expect(await page.getByLabel(/^Role/).locator('option').allInnerTexts()).to.include('partner');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByText('Enter an email address, like name@example.com.').waitFor();
    await page.getByLabel(/^Email/).fill('eve@northwind.test');
    await page.getByLabel(/^Tenant/).fill('northwind');
    await page.getByRole('button', { name: 'Run' }).click();
    const card = page.locator('.tool-output .record-card', { hasText: 'eve@northwind.test' });
    await card.waitFor();
    await inPage(page, "document.querySelector('.tool-output').scrollIntoView({ block: 'start' })");
    await screenshot(page, '14-tool-palette');

    // The invitation link opens the console's welcome page, which sets the password and signs in.
    const link = await card
      .locator('.record-field', { hasText: 'Invitation url' })
      .locator('dd')
      .textContent();
    await context.clearCookies();
    await page.goto(`${world.url}${new URL(link ?? '').pathname}`);
    await page.getByLabel('Password (at least 12 characters)').fill('eve-chooses-a-password');
    await page.getByLabel('Password, again').fill('eve-chooses-a-password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.locator('.user-menu-name', { hasText: 'Eve Newman' }).waitFor();
    expect(new URL(page.url()).pathname).to.equal('/chat');
  });

  it('fits a phone and follows the system dark mode', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signInAs(page, world.url, 'root@bizosaas.test', DEMO_PASSWORD, 'Ada Root');
    await messageBox(page).fill('list all partners');
    await messageBox(page).press('Enter');
    await page.locator('.tool-card table', { hasText: 'Paula Partner' }).waitFor();
    await page.locator('.message-assistant .message-text').last().waitFor();
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).to.equal(0);
    await screenshot(page, '15-phone-chat');
    await page.getByRole('button', { name: 'Conversations' }).click();
    await page.locator('.conversation-list a', { hasText: 'list all partners' }).first().waitFor();
    await screenshot(page, '16-phone-conversations');

    await page.setViewportSize({ width: 1280, height: 800 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${world.url}/chat`);
    await page.locator('.conversation-list a', { hasText: 'list all partners' }).first().click();
    await page.locator('.tool-card table', { hasText: 'Paula Partner' }).waitFor();
    const background = await inPage<string>(page, 'getComputedStyle(document.body).backgroundColor');
    expect(background).to.equal('rgb(14, 16, 20)');
    await screenshot(page, '17-dark-chat');
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Active devices' }).waitFor();
    await page.locator('.session-table').waitFor();
    await screenshot(page, '18-dark-security');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('takes a person whose session was revoked elsewhere back to sign-in, with a message', async () => {
    await signInAs(page, world.url, 'paula@brightpath.test', DEMO_PASSWORD, 'Paula Partner');
    const root = await signedInClient('root@bizosaas.test');
    expect(
      (await root.post('/api/tools/users_revoke_sessions', { user: 'paula@brightpath.test' })).status,
    ).to.equal(200);
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByText(/Your session has ended/).waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, '19-session-ended');
  });
});
