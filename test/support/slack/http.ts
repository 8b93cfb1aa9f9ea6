/** Small HTTP helpers shared by the simulator's loopback servers. */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isJson, type Json } from './blocks.js';

/** Arguments the Web API takes as JSON text inside a form field (@slack/web-api JSON-encodes every non-scalar value). */
const JSON_FIELDS = new Set(['blocks', 'attachments', 'view', 'metadata', 'unfurls', 'options', 'option_groups', 'user_auth_blocks']);

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Web API arguments from either encoding Slack accepts: form-urlencoded
 * (what @slack/web-api 8 sends, nested values as JSON strings) or JSON.
 * Throws on a body that is neither.
 */
export function parseApiArgs(contentType: string | undefined, raw: string): Json {
  const type = mediaType(contentType);
  if (type === 'application/json') {
    const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
    if (!isJson(parsed)) throw new Error('JSON body is not an object');
    return decodeJsonFields(parsed);
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    return decodeJsonFields(Object.fromEntries(new URLSearchParams(raw)));
  }
  throw new Error(`unsupported content type ${type}`);
}

function decodeJsonFields(args: Json): Json {
  const decoded: Json = { ...args };
  for (const key of JSON_FIELDS) {
    const value = decoded[key];
    if (typeof value === 'string') {
      try {
        decoded[key] = JSON.parse(value) as unknown;
      } catch {
        // Leave it as text: the handler then sees a wrong type, as Slack would answer invalid_arguments.
      }
    }
  }
  return decoded;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}

/** Listens on 127.0.0.1 only (never all interfaces) and returns the bound port. */
export async function listenOnLoopback(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

/** Closes a server and every connection still open on it, keep-alive ones included. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
