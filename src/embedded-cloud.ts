/**
 * The embedded demo cloud as a configured cloud: what `npm start` uses when
 * no OpenStack is configured, so a newcomer sees fipbot work at once.
 */
import { type DemoCloud, type DemoCloudOptions, startDemoCloud } from './demo-cloud/index.js';
import type { CloudConfig } from './openstack/cloud-config.js';

/**
 * The demo cloud's users are demo/demo (project demo, member) and admin/admin (project admin); with the
 * two-projects seed also staging/staging (project demo-staging).
 */
export function demoCloudConfig(demo: Pick<DemoCloud, 'authUrl'>, user: 'demo' | 'admin' | 'staging' = 'demo'): CloudConfig {
  const project = user === 'staging' ? 'demo-staging' : user;
  return {
    name: `demo-cloud (${user})`,
    source: 'the embedded demo cloud',
    interface: 'public',
    insecure: false,
    regionName: 'RegionOne',
    auth: {
      type: 'password',
      authUrl: demo.authUrl,
      username: user,
      userDomain: { id: 'default' },
      password: user,
      projectName: project,
      projectDomain: { id: 'default' },
    },
  };
}

export async function startEmbeddedCloud(options: DemoCloudOptions = {}): Promise<{ demo: DemoCloud; cloud: CloudConfig }> {
  const demo = await startDemoCloud({ port: 0, ...options });
  return { demo, cloud: demoCloudConfig(demo) };
}
