import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AppError, toAppError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import { newSecretToken } from '../core/tokens.ts';
import { type OperatorDeps, runOperatorCommand } from './operator-commands.ts';

/** Where a running server tells the CLI how to reach it: `<data dir>/run/admin.json`. */
export function adminFile(dataDir: string): string {
  return path.join(dataDir, 'run', 'admin.json');
}

export interface AdminLink {
  url: string;
  token: string;
  pid: number;
}

const MAX_BODY = 64 * 1024;

function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new AppError('bad_request', 'Body too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {});
      } catch {
        reject(new AppError('bad_request', 'Body is not JSON.'));
      }
    });
    req.on('error', reject);
  });
}

/**
 * The operator door of a running server: PGlite admits one process, so while the server holds
 * the database the CLI asks it to run operator commands. Loopback only, with a random token in
 * a file only the data directory's owner can read.
 */
export async function startAdminEndpoint(
  dataDir: string,
  deps: OperatorDeps,
  log: Logger,
): Promise<{ close(): Promise<void> }> {
  const token = newSecretToken();
  const expected = Buffer.from(`Bearer ${token}`);
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    try {
      const auth = Buffer.from(req.headers.authorization ?? '');
      if (auth.length !== expected.length || !timingSafeEqual(auth, expected))
        throw new AppError('unauthenticated', 'Bad admin token.');
      const match = /^\/commands\/([a-z.]+)$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match?.[1]) throw new AppError('not_found', 'Unknown admin route.');
      send(200, { result: await runOperatorCommand(deps, match[1], await readBody(req)) });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code === 'internal') log.error({ err: error }, 'admin command failed');
      send(appError.httpStatus, { error: appError.toBody() });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const file = adminFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const link: AdminLink = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    pid: process.pid,
  };
  fs.writeFileSync(file, JSON.stringify(link), { mode: 0o600 });
  return {
    async close() {
      fs.rmSync(file, { force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
