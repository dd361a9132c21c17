import type { ZodError } from 'zod';

/** The error codes every door (HTTP, MCP, agent, CLI) understands. */
export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

/** The structured form of an error, as it crosses a process or protocol boundary. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** The one error type: a code the doors map, and a message for the person who sent the input. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Rebuilds an AppError from its body, e.g. after it crossed the MCP boundary. */
export function fromErrorBody(body: unknown): AppError | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { code, message, details } = body as Partial<ErrorBody>;
  if (!isErrorCode(code) || typeof message !== 'string') return undefined;
  return new AppError(code, message, details);
}

/** Turns anything thrown into an AppError without leaking internals (stack traces stay in the log). */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError('internal', 'Something went wrong on our side; it has been logged.');
}

/** A zod failure as a bad_request naming each field and what is allowed. */
export function fromZodError(error: ZodError, what = 'input', allowedFields?: readonly string[]): AppError {
  const fields = error.issues.flatMap((issue) => {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const allowed = !path && allowedFields ? `; allowed fields: ${allowedFields.join(', ')}` : '';
      return issue.keys.map((key) => ({
        field: [path, key].filter(Boolean).join('.'),
        message: `unknown field${allowed}`,
      }));
    }
    return [{ field: path || what, message: issue.message }];
  });
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
  return new AppError('bad_request', `Invalid ${what}: ${summary}`, { fields });
}
