/**
 * Prometheus metrics, in the text exposition format, without a dependency:
 * a handful of counters, histograms and gauges is all fipbot exports.
 *   fipbot_operations_total{action,outcome}
 *   fipbot_openstack_request_duration_seconds{service,method,status} (histogram)
 *   fipbot_slack_ack_duration_seconds{kind} (histogram)
 *   fipbot_busy_total{kind}: requests answered "busy" and not started (FIPBOT_MAX_IN_FLIGHT reached)
 *   fipbot_jobs_total{job,outcome}: the digest's, the watch's and the lease keeper's runs on this replica
 *   fipbot_openstack_limiter_queue, fipbot_in_flight (gauges, read at scrape time)
 */

type Labels = Record<string, string>;

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

function key(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((name) => `${name}="${escapeLabel(labels[name]!)}"`)
    .join(',');
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [k, value] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${value}`);
    return lines;
  }
}

class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly buckets: number[] = DEFAULT_BUCKETS,
  ) {}

  observe(labels: Labels, seconds: number): void {
    const k = key(labels);
    let entry = this.series.get(k);
    if (!entry) {
      entry = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, entry);
    }
    this.buckets.forEach((bound, index) => {
      if (seconds <= bound) entry.counts[index]! += 1;
    });
    entry.sum += seconds;
    entry.count += 1;
  }

  render(): string[] {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, entry] of this.series) {
      const prefix = k ? `${k},` : '';
      this.buckets.forEach((bound, index) => lines.push(`${this.name}_bucket{${prefix}le="${bound}"} ${entry.counts[index]}`));
      lines.push(`${this.name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${entry.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${entry.count}`);
    }
    return lines;
  }
}

export class Metrics {
  readonly operations = new Counter(
    'fipbot_operations_total',
    'Operations handled, by action and outcome (done, refused, failed, unknown).',
  );
  readonly openstackRequests = new Histogram(
    'fipbot_openstack_request_duration_seconds',
    'OpenStack HTTP requests, by service, method and status (or error code).',
  );
  readonly busy = new Counter(
    'fipbot_busy_total',
    'Slack requests answered "busy" and not started, because FIPBOT_MAX_IN_FLIGHT were in flight.',
  );
  readonly jobs = new Counter(
    'fipbot_jobs_total',
    'Periodic jobs run on this replica, by job (digest, watch, lease) and outcome (posted, quiet, baseline, taken, cloud_failed, slack_failed, released, left_alone).',
  );
  readonly acks = new Histogram(
    'fipbot_slack_ack_duration_seconds',
    'Time from a Slack request reaching fipbot to its acknowledgement, by kind.',
    [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
  );
  private readonly gauges: Array<{ name: string; help: string; read: () => number }> = [];

  /** A gauge read at scrape time (e.g. the limiter's queue length). */
  gauge(name: string, help: string, read: () => number): void {
    this.gauges.push({ name, help, read });
  }

  render(): string {
    const lines = [
      ...this.operations.render(),
      ...this.busy.render(),
      ...this.jobs.render(),
      ...this.openstackRequests.render(),
      ...this.acks.render(),
    ];
    for (const gauge of this.gauges) {
      let value = Number.NaN;
      try {
        value = gauge.read();
      } catch {
        // A failing gauge must not break the scrape.
      }
      lines.push(`# HELP ${gauge.name} ${gauge.help}`, `# TYPE ${gauge.name} gauge`, `${gauge.name} ${value}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
