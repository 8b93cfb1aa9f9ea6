/**
 * Reads the error type and message out of an OpenStack error response.
 * Three shapes exist:
 *   Neutron   {"NeutronError": {"type": "OverQuota", "message": "...", "detail": ""}}
 *   Keystone  {"error": {"code": 401, "title": "Unauthorized", "message": "..."}}
 *   Nova      {"itemNotFound": {"code": 404, "message": "..."}}  (the key is the fault type)
 * A proxy in front of the cloud may answer with HTML or nothing at all.
 */
import { z } from 'zod';
import type { TransportResponse } from './http.js';

const neutronError = z.object({
  NeutronError: z.object({ type: z.string(), message: z.string().default('') }),
});
const keystoneError = z.object({
  error: z.object({ title: z.string().optional(), message: z.string().default('') }),
});
/** Nova: exactly one top-level key whose value carries a message. */
const novaFault = z.record(z.string(), z.object({ message: z.string() }));

export interface ErrorBody {
  type: string | undefined;
  message: string;
}

const MAX_TEXT = 300;

export function readErrorBody(response: Pick<TransportResponse, 'status' | 'body' | 'text'>): ErrorBody {
  const neutron = neutronError.safeParse(response.body);
  if (neutron.success)
    return { type: neutron.data.NeutronError.type, message: neutron.data.NeutronError.message || `HTTP ${response.status}` };

  const keystone = keystoneError.safeParse(response.body);
  if (keystone.success) return { type: keystone.data.error.title, message: keystone.data.error.message || `HTTP ${response.status}` };

  const nova = novaFault.safeParse(response.body);
  if (nova.success) {
    const entries = Object.entries(nova.data);
    if (entries.length === 1) {
      const [type, fault] = entries[0]!;
      return { type, message: fault.message };
    }
  }
  return { type: undefined, message: summariseText(response.text) || `HTTP ${response.status}` };
}

/** First words of a non-JSON body (an HTML error page from a proxy), tags stripped. */
function summariseText(text: string): string {
  const plain = text
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain;
}
