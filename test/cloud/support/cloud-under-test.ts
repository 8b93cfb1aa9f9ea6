/**
 * The cloud a scenario runs against: the bot's connection, an admin
 * connection for set-up, the floating-IP service, and the extra topology.
 * `openConfiguredCloud` takes whatever OS_CLOUD / clouds.yaml names (CI's
 * local real cloud, a contributor's devstack); the demo-cloud variant lives
 * beside the demo cloud's tests.
 */
import { homedir } from 'node:os';
import { FloatingIpService } from '../../../src/operations/service.js';
import { type CloudConnection, connectCloud } from '../../../src/openstack/cloud.js';
import type { CloudConfig } from '../../../src/openstack/cloud-config.js';
import { loadCloudConfig } from '../../../src/openstack/clouds.js';
import { buildExtraTopology, type ExtraTopology } from './extra-topology.js';
import { TopologyBuilder } from './topology-builder.js';

export interface CloudUnderTest {
  kind: 'real' | 'demo';
  bot: CloudConnection;
  admin: CloudConnection;
  builder: TopologyBuilder;
  service: FloatingIpService;
  extra: ExtraTopology;
  close(): Promise<void>;
}

function cloudNamed(name: string | undefined, what: string): CloudConfig {
  const env = { ...process.env, ...(name ? { OS_CLOUD: name } : {}) };
  const loaded = loadCloudConfig({ env, cwd: process.cwd(), homeDir: homedir() });
  if (!loaded.ok) throw new Error(`${what}: ${loaded.problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`);
  if (!loaded.cloud) throw new Error(`${what}: no cloud configured (set OS_CLOUD and OS_CLIENT_CONFIG_FILE)`);
  return loaded.cloud;
}

export function newService(bot: CloudConnection): FloatingIpService {
  return new FloatingIpService({ neutron: bot.neutron, nova: bot.nova, scope: () => bot.client.scope() });
}

/** Builds the fixture around two connections, creating the extra topology (undone by close()). */
export async function prepareCloud(
  kind: CloudUnderTest['kind'],
  bot: CloudConnection,
  admin: CloudConnection,
  onClose: () => Promise<void> = async () => {},
): Promise<CloudUnderTest> {
  const builder = new TopologyBuilder(bot, admin);
  let extra: ExtraTopology;
  try {
    extra = await buildExtraTopology(builder);
  } catch (error) {
    await builder.cleanup();
    throw error;
  }
  return {
    kind,
    bot,
    admin,
    builder,
    service: newService(bot),
    extra,
    async close() {
      const left = await builder.cleanup();
      await Promise.all([bot.close(), admin.close()]);
      await onClose();
      if (left.length) throw new Error(`could not remove: ${left.join('; ')}`);
    },
  };
}

export async function openConfiguredCloud(): Promise<CloudUnderTest> {
  const adminName = process.env.FIPBOT_TEST_ADMIN_CLOUD;
  if (!adminName) throw new Error('FIPBOT_TEST_ADMIN_CLOUD must name the admin cloud used for set-up and tear-down');
  const bot = connectCloud(cloudNamed(process.env.OS_CLOUD, 'the bot cloud (OS_CLOUD)'));
  const admin = connectCloud(cloudNamed(adminName, `the admin cloud (FIPBOT_TEST_ADMIN_CLOUD=${adminName})`));
  return prepareCloud('real', bot, admin);
}
