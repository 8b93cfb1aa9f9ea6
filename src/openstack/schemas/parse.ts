/**
 * Every OpenStack response body is parsed with zod. A body that does not
 * match becomes an OpenStackUnexpectedResponseError naming the missing or
 * malformed fields ("unexpected response from Neutron: floatingip.port_id ..."),
 * never a TypeError three calls later.
 */
import type { z } from 'zod';
import { OpenStackUnexpectedResponseError, type RequestContext } from '../errors.js';

const MAX_ISSUES = 5;

/** Short, path-first descriptions of what did not match. */
export function describeIssues(error: z.ZodError): string[] {
  const issues = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.map(String).join('.') || '(body)';
    return `${path}: ${issue.message}`;
  });
  if (error.issues.length > MAX_ISSUES) issues.push(`and ${error.issues.length - MAX_ISSUES} more`);
  return issues;
}

export function parseResponse<S extends z.ZodType>(schema: S, body: unknown, status: number, context: RequestContext): z.output<S> {
  if (body === undefined) {
    throw new OpenStackUnexpectedResponseError(status, ['the body is empty or not JSON'], context);
  }
  const result = schema.safeParse(body);
  if (!result.success) throw new OpenStackUnexpectedResponseError(status, describeIssues(result.error), context);
  return result.data;
}
