import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { users } from '../../servers/users/schema.ts';
import { httpClient } from '../support/http.ts';
import { DEMO_PASSWORD, startWorld, type World } from '../support/world.ts';

const NINA = 'nina@northwind.test';
const YUKI = 'yuki@zen.test';
const MAX_BYTES = 200_000;
const AVATAR_URL = /^\/api\/avatars\/usr_[0-9A-Z]{26}-[0-9a-f]{32}\.webp$/;

// biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON came back
type Answer = any;
const json = async (res: Response) => (await res.json()) as Answer;

const solid = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#0f766e' } });

describe('avatar upload, serving and removal over HTTP', () => {
  let world: World;
  let avatarDir: string;
  let cookie: string;
  const images: Record<string, Buffer> = {};

  before(async () => {
    avatarDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bizosaas-avatars-'));
    world = await startWorld({
      BIZOSAAS_AVATAR_DIR: avatarDir,
      BIZOSAAS_AVATAR_MAX_BYTES: String(MAX_BYTES),
    });
    const http = httpClient(world.url);
    await http.login(NINA, DEMO_PASSWORD);
    cookie = http.cookie as string;

    images.png = await solid(800, 600).png().toBuffer();
    // Taken "sideways" (EXIF orientation 6: rotate 90° to view) with identifying metadata.
    images.jpeg = await solid(300, 200)
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Make: 'SpyCam', Model: 'Serial 12345', Copyright: 'Nina Baker' } })
      .toBuffer();
    images.webp = await solid(120, 120).webp().toBuffer();
    images.gif = await solid(40, 40).gif().toBuffer();
    images.svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
    );
    images.text = Buffer.from('Definitely a picture of me. Trust me.\n');
    images.absurd = await solid(10_001, 1).png().toBuffer();
    images.truncated = images.png.subarray(0, Math.floor(images.png.length / 2));
    // Noise does not compress: a 300×300 PNG of it is well over the 200 kB limit.
    images.oversized = await sharp(randomBytes(300 * 300 * 3), {
      raw: { width: 300, height: 300, channels: 3 },
    })
      .png()
      .toBuffer();
  });
  after(async () => {
    await world.close();
    fs.rmSync(avatarDir, { recursive: true, force: true });
  });

  async function upload(
    bytes: Buffer,
    { field = 'avatar', name = 'me.png', type = 'image/png', as = cookie } = {},
  ) {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type }), name);
    const res = await fetch(`${world.url}/api/me/avatar`, {
      method: 'POST',
      headers: { cookie: as },
      body: form,
    });
    return { status: res.status, json: await json(res) };
  }
  const get = (url: string, as: string = cookie) =>
    fetch(`${world.url}${url}`, { headers: as ? { cookie: as } : {} });
  const storedFile = async () => {
    const [row] = await world.database.db
      .select({ avatarFile: users.avatarFile })
      .from(users)
      .where(eq(users.email, NINA));
    return row?.avatarFile ?? null;
  };
  const files = () => fs.readdirSync(avatarDir).sort();

  let firstUrl: string;

  it('stores an uploaded PNG as WebP, at most 512×512, and returns the user with its URL', async () => {
    const res = await upload(images.png as Buffer);
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    firstUrl = res.json.user.avatarUrl;
    expect(res.json.user.email).to.equal(NINA);
    expect(firstUrl).to.match(AVATAR_URL);
    expect(files()).to.deep.equal([path.basename(firstUrl)]);
    const stored = await sharp(path.join(avatarDir, path.basename(firstUrl))).metadata();
    expect(stored).to.include({ format: 'webp', width: 512, height: 384 });

    const me = await get('/api/me');
    expect((await json(me)).user.avatarUrl).to.equal(firstUrl);
  });

  it('serves the avatar with its content type and a long immutable cache header', async () => {
    const res = await get(firstUrl);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('image/webp');
    expect(res.headers.get('cache-control')).to.equal('private, max-age=31536000, immutable');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(fs.readFileSync(path.join(avatarDir, path.basename(firstUrl))))).to.equal(true);
  });

  it('serves avatars to any signed-in user, and to nobody signed out', async () => {
    const yuki = httpClient(world.url);
    await yuki.login(YUKI, DEMO_PASSWORD);
    expect((await get(firstUrl, yuki.cookie as string)).status).to.equal(200);
    const anonymous = await get(firstUrl, '');
    expect(anonymous.status).to.equal(401);
    expect((await json(anonymous)).error.code).to.equal('unauthenticated');
  });

  it('turns a JPEG upright, strips its metadata, gives it a new URL and deletes the old file', async () => {
    const input = await sharp(images.jpeg).metadata();
    expect(input.orientation, 'the test image carries an orientation').to.equal(6);
    expect(input.exif, 'the test image carries EXIF').to.be.instanceOf(Buffer);

    const res = await upload(images.jpeg as Buffer, { name: 'holiday.jpg', type: 'image/jpeg' });
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    const url: string = res.json.user.avatarUrl;
    expect(url).to.match(AVATAR_URL).and.not.equal(firstUrl);
    expect(files()).to.deep.equal([path.basename(url)]);
    expect((await get(firstUrl)).status, 'the old URL is gone').to.equal(404);

    const stored = await sharp(path.join(avatarDir, path.basename(url))).metadata();
    expect(stored).to.include({ format: 'webp', width: 200, height: 300 });
    expect(stored.exif, 'no EXIF').to.equal(undefined);
    expect(stored.xmp, 'no XMP').to.equal(undefined);
    expect(stored.icc, 'no ICC profile').to.equal(undefined);
    expect(stored.orientation, 'no orientation tag').to.equal(undefined);
    firstUrl = url;
  });

  it('accepts a WebP upload and re-encodes it too', async () => {
    const res = await upload(images.webp as Buffer, { name: 'me.webp', type: 'image/webp' });
    expect(res.status, JSON.stringify(res.json)).to.equal(200);
    const url: string = res.json.user.avatarUrl;
    expect(url).to.not.equal(firstUrl);
    expect(files()).to.deep.equal([path.basename(url)]);
    expect(await sharp(path.join(avatarDir, path.basename(url))).metadata()).to.include({
      format: 'webp',
      width: 120,
    });
    firstUrl = url;
  });

  for (const [what, key, name, type, message] of [
    ['a text file named .png', 'text', 'me.png', 'image/png', 'not a PNG, JPEG or WebP image'],
    ['an SVG', 'svg', 'me.svg', 'image/svg+xml', 'not a PNG, JPEG or WebP image'],
    ['an SVG renamed .png', 'svg', 'me.png', 'image/png', 'not a PNG, JPEG or WebP image'],
    ['a GIF', 'gif', 'me.gif', 'image/gif', 'not a PNG, JPEG or WebP image'],
    ['an image 10,001 pixels wide', 'absurd', 'me.png', 'image/png', 'at most 10000 pixels a side'],
    ['a truncated PNG', 'truncated', 'me.png', 'image/png', 'damaged or incomplete'],
    ['an upload over the size limit', 'oversized', 'me.png', 'image/png', `${MAX_BYTES} bytes`],
  ] as const) {
    it(`refuses ${what} with 400, and nothing changes`, async () => {
      const before = { file: await storedFile(), files: files() };
      const res = await upload(images[key] as Buffer, { name, type });
      expect(res.status).to.equal(400);
      expect(res.json.error.code).to.equal('bad_request');
      expect(res.json.error.message).to.include(message);
      expect({ file: await storedFile(), files: files() }).to.deep.equal(before);
    });
  }

  it('refuses an image in another form field, or no image at all, naming the avatar field', async () => {
    const wrongField = await upload(images.png as Buffer, { field: 'picture' });
    expect(wrongField.status).to.equal(400);
    expect(wrongField.json.error.details.field).to.equal('avatar');
    const http = httpClient(world.url);
    http.cookie = cookie;
    const none = await http.post('/api/me/avatar', { image: 'x' });
    expect(none.status).to.equal(400);
    expect(none.json.error.message).to.include('"avatar"');
  });

  it('refuses an upload without a session with 401 and stores nothing', async () => {
    const before = files();
    const res = await upload(images.png as Buffer, { as: '' });
    expect(res.status).to.equal(401);
    expect(files()).to.deep.equal(before);
  });

  it('answers 404 JSON for names that are not avatar files, including path traversal', async () => {
    const missing = `/api/avatars/${await world.userId(NINA)}-${'0'.repeat(32)}.webp`;
    for (const url of [
      missing,
      '/api/avatars/..%2F..%2Fetc%2Fpasswd',
      '/api/avatars/%2e%2e%2fpglite',
      '/api/avatars/anything.webp',
      `/api/avatars/${path.basename(firstUrl).replace('.webp', '.png')}`,
    ]) {
      const res = await get(url);
      expect(res.status, url).to.equal(404);
      expect(res.headers.get('content-type'), url).to.match(/^application\/json/);
      expect(String(res.headers.get('cache-control')), url).to.not.include('immutable');
      expect((await json(res)).error.code, url).to.equal('not_found');
    }
  });

  it('keeps one file per user when uploads race', async () => {
    const results = await Promise.all([1, 2, 3].map(() => upload(images.png as Buffer)));
    for (const r of results) expect(r.status).to.equal(200);
    expect(files()).to.deep.equal([await storedFile()]);
  });

  it('DELETE /api/me/avatar removes the file and the URL', async () => {
    const url = `/api/avatars/${await storedFile()}`;
    const http = httpClient(world.url);
    http.cookie = cookie;
    const res = await http.request('DELETE', '/api/me/avatar');
    expect(res.status).to.equal(200);
    expect(res.json.user.avatarUrl).to.equal(null);
    expect(await storedFile()).to.equal(null);
    expect(files()).to.deep.equal([]);
    expect((await get(url)).status).to.equal(404);
    expect((await json(await get('/api/me'))).user.avatarUrl).to.equal(null);
  });
});
