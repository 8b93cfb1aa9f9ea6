/**
 * A log of every request the services answered (admin endpoints excluded),
 * so tests and benchmarks can count OpenStack calls and Keystone
 * authentications. Status 0 means no answer was sent (dropped or hung).
 */
import type { ServiceName } from './context.js';
import type { RouteSelector } from './route-selector.js';
import { compileSelector } from './route-selector.js';

export interface RequestRecord {
  method: string;
  /** Full path without the query. */
  path: string;
  /** The query string as received ('' or '?name=...'), so tests can check what was asked (Nova's name regexes). */
  query: string;
  servicePath: string;
  service: ServiceName | 'unknown';
  /** The matched route pattern, e.g. "GET /v2.0/floatingips/{id}". */
  route: string;
  status: number;
  at: number;
}

export interface StatsFilter extends RouteSelector {
  service?: ServiceName;
  status?: number;
  route?: string;
}

export interface DemoStats {
  requests(filter?: StatsFilter): RequestRecord[];
  count(filter?: StatsFilter): number;
  /** POST /v3/auth/tokens calls answered 201. */
  authentications(): number;
  reset(): void;
}

export class StatsLog implements DemoStats {
  private records: RequestRecord[] = [];

  record(entry: Omit<RequestRecord, 'at'>): void {
    this.records.push({ ...entry, at: Date.now() });
  }

  requests(filter: StatsFilter = {}): RequestRecord[] {
    const matchRoute = compileSelector(filter);
    return this.records.filter(
      (r) =>
        matchRoute(r) &&
        (filter.service === undefined || r.service === filter.service) &&
        (filter.status === undefined || r.status === filter.status) &&
        (filter.route === undefined || r.route === filter.route),
    );
  }

  count(filter: StatsFilter = {}): number {
    return this.requests(filter).length;
  }

  authentications(): number {
    return this.count({ service: 'identity', method: 'POST', path: '/v3/auth/tokens', status: 201 });
  }

  reset(): void {
    this.records = [];
  }
}
