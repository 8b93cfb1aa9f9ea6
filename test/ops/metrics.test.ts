import { describe, expect, it } from 'vitest';
import { Metrics } from '../../src/ops/metrics.js';

describe('Prometheus metrics', () => {
  it('renders counters per label set in the text exposition format', () => {
    const metrics = new Metrics();
    metrics.operations.inc({ action: 'attach', outcome: 'done' });
    metrics.operations.inc({ outcome: 'done', action: 'attach' });
    metrics.operations.inc({ action: 'release', outcome: 'refused' });
    const text = metrics.render();
    expect(text).toContain('# TYPE fipbot_operations_total counter');
    expect(text).toContain('fipbot_operations_total{action="attach",outcome="done"} 2');
    expect(text).toContain('fipbot_operations_total{action="release",outcome="refused"} 1');
  });

  it('renders histograms with cumulative buckets, sum and count', () => {
    const metrics = new Metrics();
    metrics.openstackRequests.observe({ service: 'network', method: 'GET', status: '200' }, 0.02);
    metrics.openstackRequests.observe({ service: 'network', method: 'GET', status: '200' }, 0.3);
    const text = metrics.render();
    expect(text).toContain('fipbot_openstack_request_duration_seconds_bucket{method="GET",service="network",status="200",le="0.025"} 1');
    expect(text).toContain('fipbot_openstack_request_duration_seconds_bucket{method="GET",service="network",status="200",le="0.5"} 2');
    expect(text).toContain('fipbot_openstack_request_duration_seconds_bucket{method="GET",service="network",status="200",le="+Inf"} 2');
    expect(text).toContain('fipbot_openstack_request_duration_seconds_count{method="GET",service="network",status="200"} 2');
    expect(text).toMatch(/fipbot_openstack_request_duration_seconds_sum\{method="GET",service="network",status="200"\} 0\.32/);
  });

  it('reads gauges at scrape time and survives a failing one', () => {
    const metrics = new Metrics();
    let queue = 3;
    metrics.gauge('fipbot_openstack_limiter_queue', 'Requests waiting for the OpenStack rate limiter.', () => queue);
    metrics.gauge('broken', 'A gauge whose reader throws.', () => {
      throw new Error('boom');
    });
    expect(metrics.render()).toContain('fipbot_openstack_limiter_queue 3');
    queue = 0;
    expect(metrics.render()).toContain('fipbot_openstack_limiter_queue 0');
    expect(metrics.render()).toContain('broken NaN');
  });

  it('escapes label values', () => {
    const metrics = new Metrics();
    metrics.operations.inc({ action: 'a"b\\c\nd', outcome: 'done' });
    expect(metrics.render()).toContain('action="a\\"b\\\\c\\nd"');
  });
});
