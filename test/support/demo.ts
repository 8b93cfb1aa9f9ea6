/** Connections to a demo cloud, as the bot (demo/demo) and as its admin, exactly as a real cloud would be reached. */
import { type DemoCloud, type DemoCloudOptions, startDemoCloud } from '../../src/demo-cloud/index.js';
import { demoCloudConfig } from '../../src/embedded-cloud.js';
import { type CloudConnection, type ConnectOptions, connectCloud } from '../../src/openstack/cloud.js';

/** The demo cloud's bot user (demo/demo, project demo) as an openrc would set it: for fipbot started as a process. */
export function demoOsEnv(cloud: Pick<DemoCloud, 'authUrl'>): Record<string, string> {
  return {
    OS_AUTH_URL: cloud.authUrl,
    OS_USERNAME: 'demo',
    OS_PASSWORD: 'demo',
    OS_PROJECT_NAME: 'demo',
    OS_USER_DOMAIN_ID: 'default',
    OS_PROJECT_DOMAIN_ID: 'default',
    OS_REGION_NAME: 'RegionOne',
  };
}

export function connectDemo(cloud: DemoCloud, user: 'demo' | 'admin' = 'demo', options: ConnectOptions = {}): CloudConnection {
  return connectCloud(demoCloudConfig(cloud, user), options);
}

export { demoCloudConfig, startDemoCloud, type DemoCloud, type DemoCloudOptions };
