/**
 * Nova (compute API v2.1): finding servers. GET /servers/{id}: 200, or 404 itemNotFound.
 * Nova's `name` filter is a regex matched anywhere (`web-1` also matches `web-10`, `.` anything), case-insensitive on
 * MySQL: an exact lookup sends an escaped, anchored pattern AND compares names again here; several exact matches are
 * ambiguous, never guessed. Callers need only the id, so the lookup reads `GET /servers` (id, name), not `/servers/detail`:
 * Nova builds each detail from the network info cache, flavor and image, the slowest read of an attach (p50 ~200 ms,
 * tail near 1 s, vs ~120 ms; BENCHMARKS.md). Only an ambiguous name asks for details, to show status and addresses.
 */
import type { OpenStackClient } from './client.js';
import { OpenStackApiError } from './errors.js';
import { nextMarker } from './schemas/links.js';
import { type ServerDetail, type ServerSummary, serverBodySchema, serverDetailListSchema, serverListSchema } from './schemas/nova.js';

export type ServerLookup =
  { kind: 'found'; server: ServerSummary } | { kind: 'not_found' } | { kind: 'ambiguous'; matches: ServerDetail[] };

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function looksLikeUuid(text: string): boolean {
  return UUID.test(text);
}

/** Escapes every ASCII character that is not a letter or digit: literal in PCRE, ICU and Python's re alike. */
export function escapeRegex(text: string): string {
  return text.replace(/[\x20-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e]/g, (char) => `\\${char}`);
}

export interface NovaOptions {
  /** Nova's default max_limit is 1000. */
  pageSize: number;
}

export class NovaApi {
  private readonly options: NovaOptions;

  constructor(
    private readonly client: OpenStackClient,
    options: Partial<NovaOptions> = {},
  ) {
    this.options = { pageSize: 1000, ...options };
  }

  /** undefined when Nova answers 404. */
  async getServer(id: string): Promise<ServerDetail | undefined> {
    try {
      const result = await this.client.call('compute', { method: 'GET', path: `/servers/${encodeURIComponent(id)}` }, serverBodySchema);
      return result.data.server;
    } catch (error) {
      if (error instanceof OpenStackApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** By id when the input looks like one, else by exact name (see the module comment). */
  async findServer(nameOrId: string): Promise<ServerLookup> {
    if (looksLikeUuid(nameOrId)) {
      const server = await this.getServer(nameOrId);
      if (server) return { kind: 'found', server };
      // A server may be *named* like a UUID; fall through to the name search.
    }
    const query = { name: `^${escapeRegex(nameOrId)}$` };
    const summaries = await this.client.call('compute', { method: 'GET', path: '/servers', query }, serverListSchema);
    const lookup = pickExact(summaries.data.servers, nameOrId);
    if (lookup.kind !== 'ambiguous') return lookup;
    // Several servers answer to the name: the person has to tell them apart, by status and addresses.
    const details = await this.client.call('compute', { method: 'GET', path: '/servers/detail', query }, serverDetailListSchema);
    return pickExact(details.data.servers, nameOrId);
  }

  /** Servers whose name starts with `prefix` (case-insensitive on MySQL), at most `limit`: for typeahead. */
  async searchServersByPrefix(prefix: string, limit: number): Promise<ServerSummary[]> {
    const result = await this.client.call(
      'compute',
      { method: 'GET', path: '/servers', query: { name: prefix ? `^${escapeRegex(prefix)}` : undefined, limit } },
      serverListSchema,
    );
    return result.data.servers.slice(0, limit);
  }

  /** Every server of the project, id and name only, following pagination: one request per 1000 servers. */
  async listServerNames(): Promise<ServerSummary[]> {
    const servers: ServerSummary[] = [];
    let marker: string | undefined;
    for (;;) {
      const result = await this.client.call(
        'compute',
        { method: 'GET', path: '/servers', query: { limit: this.options.pageSize, marker } },
        serverListSchema,
      );
      servers.push(...result.data.servers);
      const next = nextMarker(result.data.servers_links);
      // A server repeating its marker would loop forever: stop instead.
      if (!next || next === marker || result.data.servers.length === 0) return servers;
      marker = next;
    }
  }
}

/** Exact-case matches first; a single case-insensitive match is accepted (MySQL matched it that way too). */
export function pickExact<T extends ServerSummary>(
  candidates: T[],
  name: string,
): { kind: 'found'; server: T } | { kind: 'not_found' } | { kind: 'ambiguous'; matches: T[] } {
  const exact = candidates.filter((server) => server.name === name);
  if (exact.length === 1) return { kind: 'found', server: exact[0]! };
  if (exact.length > 1) return { kind: 'ambiguous', matches: exact };
  const folded = candidates.filter((server) => server.name.toLowerCase() === name.toLowerCase());
  if (folded.length === 1) return { kind: 'found', server: folded[0]! };
  if (folded.length > 1) return { kind: 'ambiguous', matches: folded };
  return { kind: 'not_found' };
}
