import sharp from 'sharp';
import { AppError } from '../../core/errors.ts';

/** Stored avatars are WebP, at most this many pixels on each side. */
export const AVATAR_SIZE = 512;
/** Larger images are refused before decoding: a few kilobytes can claim gigapixels. */
const MAX_SIDE = 10_000;
const MAX_PIXELS = 40_000_000;

type AcceptedFormat = 'png' | 'jpeg' | 'webp';

/**
 * The format the bytes say they are, from their signature alone: names, extensions and declared
 * content types are not trusted, and nothing else (SVG, GIF, HEIF, TIFF…) reaches the decoder.
 */
function signatureOf(bytes: Buffer): AcceptedFormat | undefined {
  if (
    bytes.length >= 8 &&
    bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'webp';
  return undefined;
}

const notAnImage = () =>
  new AppError('bad_request', 'The file is not a PNG, JPEG or WebP image.', { field: 'image' });

/**
 * Checks an uploaded avatar and re-encodes it: WebP, turned upright (EXIF orientation), scaled
 * down to fit 512×512, and with no metadata (sharp writes none unless asked), so no camera
 * serial numbers or GPS positions are ever served.
 */
export async function normalizeAvatarImage(bytes: Buffer, maxBytes: number): Promise<Buffer> {
  if (bytes.length > maxBytes)
    throw new AppError('bad_request', `The image is larger than the ${maxBytes} bytes an avatar may have.`, {
      field: 'image',
      maxBytes,
    });
  const format = signatureOf(bytes);
  if (!format) throw notAnImage();
  const input = () => sharp(bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error', pages: 1 });
  const metadata = await input()
    .metadata()
    .catch(() => undefined);
  if (metadata?.format !== format) throw notAnImage();
  const { width = 0, height = 0 } = metadata;
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS)
    throw new AppError(
      'bad_request',
      `An image of ${width}×${height} pixels is not accepted; at most ${MAX_SIDE} pixels a side and ${MAX_PIXELS / 1e6} megapixels.`,
      { field: 'image' },
    );
  try {
    return await input()
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 85 })
      .toBuffer();
  } catch {
    // Truncated or corrupt data behind a valid header.
    throw new AppError('bad_request', 'The image data is damaged or incomplete and cannot be read.', {
      field: 'image',
    });
  }
}
