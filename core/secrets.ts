import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from './errors.ts';

/** The purposes a key is derived for; one master secret, a separate key per use. */
export type KeyPurpose = 'call-context' | 'impersonation' | 'credentials' | 'admin-socket' | 'tool-approvals';

export interface Keys {
  /** A 32-byte key for one purpose, derived with HKDF from the master secret. */
  key(purpose: KeyPurpose): Uint8Array;
}

const SECRET_FILE = 'secret.key';

/**
 * The master secret: the configured one, else the one persisted in the data directory,
 * else a new one written there (mode 0600) so restarts keep sessions and tokens valid.
 */
export function loadMasterSecret(dataDir: string, configured: string | undefined): string {
  if (configured) return configured;
  const file = path.join(dataDir, SECRET_FILE);
  if (fs.existsSync(file)) {
    const secret = fs.readFileSync(file, 'utf8').trim();
    if (secret.length < 32) {
      throw new AppError(
        'conflict',
        `${file} is empty or too short; restore it from a backup, or delete it to generate a new one (sessions and API keys stay valid; signed tokens in flight do not).`,
      );
    }
    return secret;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** Derives purpose keys from the master secret (cached: derivation is done once per purpose). */
export function deriveKeys(masterSecret: string): Keys {
  const cache = new Map<KeyPurpose, Uint8Array>();
  return {
    key(purpose) {
      let k = cache.get(purpose);
      if (!k) {
        k = new Uint8Array(hkdfSync('sha256', masterSecret, 'bizosaas', purpose, 32));
        cache.set(purpose, k);
      }
      return k;
    },
  };
}
