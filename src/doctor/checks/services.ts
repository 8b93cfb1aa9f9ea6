/**
 * Check 4: Neutron and Nova answer one cheap authenticated GET each, through
 * the adapter (token, endpoint, retries, typed errors), timed.
 */
import type { CloudConnection } from '../../openstack/cloud.js';
import { describeOpenStackFailure, printableUrl, settingName } from '../openstack-problems.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';
import type { ApiServiceType } from './catalog.js';
import { elapsedSince } from './timing.js';

/** What each probe sends, as the adapter words paths (relative to the API root). */
const PROBES: Record<ApiServiceType, string> = { network: 'GET /v2.0/floatingips (limit 1)', compute: 'GET /servers (limit 1)' };

export async function checkService(
  connection: CloudConnection,
  service: ApiServiceType,
  endpoint: string,
  projectId: string,
): Promise<CheckResult> {
  const id = service === 'network' ? ('neutron' as const) : ('nova' as const);
  const name = CHECK_NAMES[id];
  const started = performance.now();
  try {
    if (service === 'network') await connection.neutron.listFloatingIps({ projectId, limit: 1 });
    else await connection.nova.searchServersByPrefix('', 1);
    const durationMs = elapsedSince(started);
    return { id, name, status: 'ok', detail: `${printableUrl(endpoint)} answered ${PROBES[service]} in ${durationMs} ms`, durationMs };
  } catch (error) {
    const problem = describeOpenStackFailure(
      error,
      service,
      endpoint,
      `the catalog's ${connection.cloud.interface} ${service} endpoint (${settingName(connection.cloud, 'interface', false)} picks another)`,
    );
    return {
      id,
      name,
      status: 'fail',
      detail: problem.detail,
      next: problem.next,
      cause: problem.cause,
      durationMs: elapsedSince(started),
    };
  }
}
