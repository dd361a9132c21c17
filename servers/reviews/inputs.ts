import { z } from 'zod';
import { AppError } from '../../core/errors.ts';
import { REVIEW_SOURCES } from './schema.ts';

/** Reviews input fields, bounded and described once. */
export const reviewRef = z
  .string()
  .trim()
  .regex(/^rev_[0-9A-Z]{26}$/, 'must be a review id such as rev_01J…')
  .describe('The review id (rev_…).');
export const source = z
  .enum(REVIEW_SOURCES)
  .describe('Where the review was left: google, facebook, yelp, trustpilot or manual.');
export const rating = z.number().int().min(1).max(5).describe('Stars, 1 to 5.');
export const location = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .describe('Which of the business’s locations the review is about (default "main").');
export const sentimentLabel = z.enum(['positive', 'neutral', 'negative']);
export const topic = z
  .string()
  .trim()
  .toLowerCase()
  .min(2)
  .max(40)
  .regex(/^[a-z][a-z -]*[a-z]$/, 'must be lowercase words, e.g. "wait time"');
export const replyText = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .describe('The reply text (at most 4,000 characters).');
export const templateName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .describe('The template’s name, e.g. "thanks-5-star".');
export const templateRef = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .describe('A reply template: its id (tpl_…) or its name.');

/** A bad_request naming one field, shaped like the ones zod validation produces. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('bad_request', `Invalid ${field}: ${message}.`, { fields: [{ field, message }] });
}
