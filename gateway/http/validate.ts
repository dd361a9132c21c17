import type { z } from 'zod';
import { fromZodError } from '../../core/errors.ts';

/** Parses a request body with a zod schema, or throws a bad_request that names the fields. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw fromZodError(parsed.error, 'request body');
  return parsed.data;
}
