import { type Logger, pino } from 'pino';

export type { Logger };

/** The process logger: JSON lines (pipe through `pino-pretty` to read them). Secrets are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'bizosaas' },
    redact: {
      paths: [
        'password',
        '*.password',
        '*.newPassword',
        '*.currentPassword',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
