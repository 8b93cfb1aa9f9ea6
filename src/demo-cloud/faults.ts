/**
 * Fault knobs, all off until asked for: added latency (global or per
 * route), the next N calls of a route failing with a status, every token
 * expiring, connections dropped (socket destroyed without an answer, or the
 * answer sent with Connection: close), and requests that never get an answer.
 * server.ts asks `decide` once per request.
 */
import type { RouteSelector, RequestIdentity } from './route-selector.js';
import { compileSelector } from './route-selector.js';

export type FailureBody = 'openstack' | 'html';

export interface FaultControls {
  /** Latency added to every request (ms). */
  setLatency(ms: number): void;
  /** Latency added to matching requests, on top of the global one. */
  setRouteLatency(selector: RouteSelector, ms: number): void;
  /**
   * The next `count` (default 1) matching requests fail with `status`. The body is
   * the service's own error shape, or an HTML page as a proxy would send
   * (default for 502/503/504).
   */
  failNext(selector: RouteSelector, options: { status: number; count?: number; body?: FailureBody }): void;
  /** Every issued token stops working; the next request gets 401 and must re-authenticate. */
  expireAllTokens(): void;
  /**
   * The next `count` (default 1) matching requests lose their connection:
   * 'destroy' closes the socket without answering; 'close' answers normally
   * with Connection: close.
   */
  dropConnections(selector: RouteSelector, options?: { count?: number; mode?: 'destroy' | 'close' }): void;
  /**
   * The next `count` (default 1) matching requests are carried out, and then
   * their answer is lost: the connection reset ('reset'), or a proxy's 504.
   */
  loseAnswers(selector: RouteSelector, options?: { count?: number; as?: 'reset' | 504 }): void;
  /** The next `count` (default: every) matching requests are never answered. */
  hang(selector: RouteSelector, options?: { count?: number }): void;
  /** Everything back to normal (tokens stay as they are). */
  reset(): void;
  /** What is armed right now, for logs and the admin endpoint. */
  describe(): FaultSummary;
}

export interface FaultSummary {
  latencyMs: number;
  routeLatency: Array<{ selector: string; ms: number }>;
  failures: Array<{ selector: string; status: number; remaining: number }>;
  drops: Array<{ selector: string; mode: string; remaining: number }>;
  hangs: Array<{ selector: string; remaining: number }>;
  lostAnswers: Array<{ selector: string; as: string; remaining: number }>;
}

export type FaultAction =
  | { kind: 'hang' }
  | { kind: 'destroy' }
  | { kind: 'fail'; status: number; body: FailureBody }
  /** Carry the request out, then lose the answer. */
  | { kind: 'lose'; as: 'reset' | 504 };

export interface FaultDecision {
  latencyMs: number;
  action?: FaultAction;
  /** Answer, then close the connection. */
  closeConnection: boolean;
}

interface Armed<T> {
  label: string;
  test: (request: RequestIdentity) => boolean;
  remaining: number;
  data: T;
}

function label(selector: RouteSelector): string {
  return `${selector.method ?? '*'} ${selector.path instanceof RegExp ? selector.path.toString() : (selector.path ?? '**')}`;
}

/** Consumes one use of the first armed rule that matches. */
function take<T>(rules: Array<Armed<T>>, request: RequestIdentity): T | undefined {
  const index = rules.findIndex((rule) => rule.remaining > 0 && rule.test(request));
  const rule = rules[index];
  if (!rule) return undefined;
  rule.remaining -= 1;
  if (rule.remaining <= 0) rules.splice(index, 1);
  return rule.data;
}

export class Faults implements FaultControls {
  private latencyMs = 0;
  private routeLatency: Array<Armed<number>> = [];
  private failures: Array<Armed<{ status: number; body: FailureBody }>> = [];
  private drops: Array<Armed<'destroy' | 'close'>> = [];
  private hangs: Array<Armed<null>> = [];
  private lost: Array<Armed<'reset' | 504>> = [];

  constructor(private readonly onExpireTokens: () => void) {}

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setRouteLatency(selector: RouteSelector, ms: number): void {
    this.routeLatency.push({ label: label(selector), test: compileSelector(selector), remaining: Infinity, data: ms });
  }

  failNext(selector: RouteSelector, options: { status: number; count?: number; body?: FailureBody }): void {
    const body = options.body ?? ([502, 503, 504].includes(options.status) ? 'html' : 'openstack');
    this.failures.push({
      label: label(selector),
      test: compileSelector(selector),
      remaining: options.count ?? 1,
      data: { status: options.status, body },
    });
  }

  expireAllTokens(): void {
    this.onExpireTokens();
  }

  dropConnections(selector: RouteSelector, options: { count?: number; mode?: 'destroy' | 'close' } = {}): void {
    this.drops.push({
      label: label(selector),
      test: compileSelector(selector),
      remaining: options.count ?? 1,
      data: options.mode ?? 'destroy',
    });
  }

  loseAnswers(selector: RouteSelector, options: { count?: number; as?: 'reset' | 504 } = {}): void {
    this.lost.push({ label: label(selector), test: compileSelector(selector), remaining: options.count ?? 1, data: options.as ?? 'reset' });
  }

  hang(selector: RouteSelector, options: { count?: number } = {}): void {
    this.hangs.push({ label: label(selector), test: compileSelector(selector), remaining: options.count ?? Infinity, data: null });
  }

  reset(): void {
    this.latencyMs = 0;
    this.routeLatency = [];
    this.failures = [];
    this.drops = [];
    this.hangs = [];
    this.lost = [];
  }

  describe(): FaultSummary {
    const finite = (n: number): number => (Number.isFinite(n) ? n : -1);
    return {
      latencyMs: this.latencyMs,
      routeLatency: this.routeLatency.map((r) => ({ selector: r.label, ms: r.data })),
      failures: this.failures.map((r) => ({ selector: r.label, status: r.data.status, remaining: finite(r.remaining) })),
      drops: this.drops.map((r) => ({ selector: r.label, mode: r.data, remaining: finite(r.remaining) })),
      hangs: this.hangs.map((r) => ({ selector: r.label, remaining: finite(r.remaining) })),
      lostAnswers: this.lost.map((r) => ({ selector: r.label, as: String(r.data), remaining: finite(r.remaining) })),
    };
  }

  decide(request: RequestIdentity): FaultDecision {
    const latencyMs = this.latencyMs + this.routeLatency.filter((rule) => rule.test(request)).reduce((sum, rule) => sum + rule.data, 0);
    if (take(this.hangs, request) !== undefined) return { latencyMs, action: { kind: 'hang' }, closeConnection: false };
    const lose = take(this.lost, request);
    if (lose !== undefined) return { latencyMs, action: { kind: 'lose', as: lose }, closeConnection: false };
    const drop = take(this.drops, request);
    if (drop === 'destroy') return { latencyMs, action: { kind: 'destroy' }, closeConnection: false };
    const failure = take(this.failures, request);
    return {
      latencyMs,
      ...(failure ? { action: { kind: 'fail' as const, status: failure.status, body: failure.body } } : {}),
      closeConnection: drop === 'close',
    };
  }
}
