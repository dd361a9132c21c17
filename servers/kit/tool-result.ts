import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type AppError, fromErrorBody } from '../../core/errors.ts';

/** A successful tool result: the object as structured content, and as JSON text for older clients. */
export function okResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/** A failed tool result: MCP `isError`, the message as text, the structured error alongside. */
export function errorResult(error: AppError): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${error.code}: ${error.message}` }],
    structuredContent: { error: error.toBody() },
  };
}

/** The AppError inside an `isError` result, when the result carries one. */
export function errorFromResult(result: CallToolResult): AppError | undefined {
  return result.isError
    ? fromErrorBody((result.structuredContent as { error?: unknown } | undefined)?.error)
    : undefined;
}
