/** Reading the requests a bot process made (from the probe): OpenStack only, Keystone apart, shortened for logs. */
import type { ProbeRecord } from '../processes/probe.js';

export function openstackRequests(records: readonly ProbeRecord[], slackOrigin: string): ProbeRecord[] {
  return records.filter((record) => !record.origin.startsWith(slackOrigin));
}

export function isKeystoneAuth(record: ProbeRecord): boolean {
  return record.method === 'POST' && /\/auth\/tokens(\?|$)/.test(record.path);
}

/** "GET /network/v2.0/floatingips?floating_ip_address=… -> 200" with ids shortened; `timed` adds the time to the answer's headers. */
export function describeRequest(record: ProbeRecord, options: { timed?: boolean } = {}): string {
  const path = decodeURIComponent(record.path)
    .replace(/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi, '{id}')
    .replace(/[?&]limit=\d+/, (match) => (match.startsWith('?') ? '?' : ''))
    .replace(/\?$/, '')
    .replace(/\?&/, '?');
  const time = options.timed && record.end > 0 ? ` (${Math.round(record.end - record.start)} ms)` : '';
  return `${record.method} ${path} -> ${record.status}${time}`;
}
