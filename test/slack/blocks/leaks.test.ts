import { describe, expect, it } from 'vitest';
import type { Leak } from '../../../src/floating-ips/views.js';
import { age, leakReportMessage } from '../../../src/slack/blocks/leaks.js';
import { assertWithinLimits } from '../../support/slack/block-kit.js';
import { renderText } from '../../support/slack/text.js';

const asOf = '2026-12-04T12:00:00Z';
const leak = (i: number, since?: string): Leak => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  address: `192.168.100.${i}`,
  pool: { id: 'p', name: 'public' },
  revision: i,
  since,
  description: i % 2 ? `fipbot: requested by @user${i} (U0${i}ABCDEF) in #ops (C0OPS) on 2026-11-0${(i % 9) + 1}` : 'spare',
});

describe('the leak report message', () => {
  it('shows ten to tick, counts the rest, and stays within Block Kit with one primary button', () => {
    const message = leakReportMessage({ leaks: Array.from({ length: 73 }, (_, i) => leak(i + 1, '2026-11-20T12:00:00Z')), asOf }, 'demo');
    assertWithinLimits('message', message);
    const text = renderText(message);
    expect(text).toContain('…and 63 more, not shown. Reclaiming all takes the oldest 50 at a time.');
    expect(text).toContain('[Reclaim the oldest 50]');
    expect(JSON.stringify(message.blocks).match(/"style":"primary"/g)).toHaveLength(1);
    expect(message.text).toBe('73 unattached floating IPs in project demo, the oldest unattached for 14 days.');
  });

  it('escapes a project name, and says so plainly when nothing is unattached', () => {
    expect(leakReportMessage({ leaks: [], asOf }, '<!channel>').text).toBe(
      'No unattached floating IPs in project &lt;!channel&gt;: nothing is leaking.',
    );
  });
});

describe('how long an IP has been unattached', () => {
  it('counts minutes, then hours, then days, and admits when the cloud keeps no time', () => {
    expect(age({ since: '2026-12-04T11:59:30Z' }, asOf)).toBe('for 0 minutes');
    expect(age({ since: '2026-12-04T11:59:00Z' }, asOf)).toBe('for 1 minute');
    expect(age({ since: '2026-12-04T09:00:00Z' }, asOf)).toBe('for 3 hours');
    expect(age({ since: '2026-12-01T11:00:00Z' }, asOf)).toBe('for 3 days');
    expect(age({ since: undefined }, asOf)).toBe('for an unknown time');
    expect(age({ since: 'not a time' }, asOf)).toBe('for an unknown time');
  });
});
