/**
 * Composition root: the one place that reads configuration (environment,
 * clouds.yaml) and wires the layers. Everything below gets plain values.
 */
import { homedir } from 'node:os';
import { createLogger, parseLevel } from './log.js';
import { connectCloud } from './openstack/cloud.js';
import { describeCloud, loadCloudConfig } from './openstack/clouds.js';
import { FloatingIpService } from './floating-ips/service.js';

async function main(): Promise<number> {
  const log = createLogger({ level: parseLevel(process.env.LOG_LEVEL) });
  const loaded = loadCloudConfig({ env: process.env, cwd: process.cwd(), homeDir: homedir() });
  if (!loaded.ok) {
    for (const problem of loaded.problems) log.error('configuration problem', { where: problem.where, problem: problem.message });
    return 1;
  }
  if (!loaded.cloud) {
    log.error('no OpenStack cloud configured: set OS_CLOUD (clouds.yaml) or source an openrc file');
    return 1;
  }
  log.info('using cloud', { cloud: describeCloud(loaded.cloud) });
  const connection = connectCloud(loaded.cloud);
  const service = new FloatingIpService({ neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() });
  const listed = await service.list('all');
  if (listed.ok) log.info('floating IPs', { count: listed.value.floatingIps.length });
  else log.error('listing floating IPs failed', { failure: listed.failure });
  await connection.close();
  return listed.ok ? 0 : 1;
}

process.exitCode = await main();
