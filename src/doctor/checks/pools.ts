/**
 * Check 5: the floating-IP pools (external networks) the project can see,
 * by name. None means fipbot has nowhere to allocate from: blocking.
 */
import type { CloudConnection } from '../../openstack/cloud.js';
import { describeOpenStackFailure, settingName } from '../openstack-problems.js';
import { compareNames } from '../../floating-ips/names.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';

export async function checkPools(connection: CloudConnection, endpoint: string, projectName: string): Promise<CheckResult> {
  const name = CHECK_NAMES.pools;
  let pools;
  try {
    pools = await connection.neutron.listExternalNetworks();
  } catch (error) {
    const problem = describeOpenStackFailure(
      error,
      'network',
      endpoint,
      `the catalog's network endpoint (${settingName(connection.cloud, 'interface', false)})`,
    );
    return { id: 'pools', name, status: 'fail', detail: `could not list the external networks: ${problem.detail}`, next: problem.next };
  }
  if (pools.length === 0) {
    return {
      id: 'pools',
      name,
      status: 'fail',
      detail: `no external network is visible to project ${projectName}: fipbot has no pool to allocate floating IPs from`,
      next:
        'Ask the cloud administrator for an external network (router:external) this project can use: a shared one, ' +
        'or an RBAC policy granting access_as_external to this project.',
    };
  }
  const names = pools.map((pool) => pool.name || pool.id).sort(compareNames);
  return { id: 'pools', name, status: 'ok', detail: `${pools.length} visible: ${names.join(', ')}` };
}
