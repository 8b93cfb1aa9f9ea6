/**
 * Check 6: the project's floating-IP quota and usage
 * (GET /quotas/{project}/details). Used up is a warning: attaching and
 * releasing still work, only allocating a new one is refused.
 */
import type { CloudConnection } from '../../openstack/cloud.js';
import { describeOpenStackFailure, settingName } from '../openstack-problems.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';

export async function checkQuota(
  connection: CloudConnection,
  endpoint: string,
  project: { id: string; name: string },
): Promise<CheckResult> {
  const name = CHECK_NAMES.quota;
  let quota;
  try {
    quota = (await connection.neutron.getQuotaDetails(project.id)).floatingIps;
  } catch (error) {
    const problem = describeOpenStackFailure(
      error,
      'network',
      endpoint,
      `the catalog's network endpoint (${settingName(connection.cloud, 'interface', false)})`,
    );
    return {
      id: 'quota',
      name,
      status: 'warn',
      detail: `could not read the quota: ${problem.detail}`,
      next: `fipbot works without it, but cannot warn before the quota runs out. ${problem.next}`,
    };
  }
  const { used, limit } = quota;
  if (limit < 0) return { id: 'quota', name, status: 'ok', detail: `${used} in use, no limit` };
  if (used >= limit) {
    return {
      id: 'quota',
      name,
      status: 'warn',
      detail: `${used} of ${limit} floating IPs in use in project ${project.name}: allocating a new one will be refused until one is released`,
      next: `Release floating IPs nobody uses (/fip list shows them), or ask the cloud administrator to raise the quota (openstack quota set --floating-ips N ${project.name}).`,
    };
  }
  return { id: 'quota', name, status: 'ok', detail: `${used} of ${limit} in use` };
}
