/**
 * /healthz says the process is alive (and not shutting down, so a load
 * balancer stops sending new requests during a graceful stop); /readyz says
 * it can do its job: OpenStack answers and Slack accepts the bot. Checks are
 * cached for a few seconds so probes cannot load the cloud.
 */
import { PRODUCTION_TIMING } from '../config/timing.js';

export interface Check {
  name: string;
  run(): Promise<string>;
}

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export class Readiness {
  private cached: { at: number; results: Record<string, CheckResult> } | undefined;
  private pending: Promise<Record<string, CheckResult>> | undefined;
  shuttingDown = false;

  constructor(
    private readonly checks: Check[],
    private readonly options: { cacheMs: number; timeoutMs: number; now: () => number } = {
      cacheMs: PRODUCTION_TIMING.ops.readinessCacheMs,
      timeoutMs: PRODUCTION_TIMING.ops.readinessCheckTimeoutMs,
      now: () => Date.now(),
    },
  ) {}

  alive(): { ok: boolean; status: string } {
    return this.shuttingDown ? { ok: false, status: 'stopping' } : { ok: true, status: 'ok' };
  }

  async ready(): Promise<{ ok: boolean; checks: Record<string, CheckResult> }> {
    if (this.shuttingDown) return { ok: false, checks: { process: { ok: false, detail: 'stopping' } } };
    const now = this.options.now();
    if (this.cached && now - this.cached.at < this.options.cacheMs) return summarise(this.cached.results);
    this.pending ??= this.runAll().finally(() => {
      this.pending = undefined;
    });
    const results = await this.pending;
    this.cached = { at: this.options.now(), results };
    return summarise(results);
  }

  private async runAll(): Promise<Record<string, CheckResult>> {
    const entries = await Promise.all(
      this.checks.map(async (check): Promise<[string, CheckResult]> => {
        try {
          return [check.name, { ok: true, detail: await withTimeout(check.run(), this.options.timeoutMs) }];
        } catch (error) {
          return [check.name, { ok: false, detail: error instanceof Error ? error.message : String(error) }];
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}

function summarise(results: Record<string, CheckResult>): { ok: boolean; checks: Record<string, CheckResult> } {
  return { ok: Object.values(results).every((result) => result.ok), checks: results };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
