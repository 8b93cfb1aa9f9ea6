/** Connections to a demo cloud, as the bot (demo/demo) and as its admin, exactly as a real cloud would be reached. */
import { type DemoCloud, type DemoCloudOptions, startDemoCloud } from '../../src/demo-cloud/index.js';
import { demoCloudConfig } from '../../src/embedded-cloud.js';
import { type CloudConnection, type ConnectOptions, connectCloud } from '../../src/openstack/cloud.js';

export function connectDemo(cloud: DemoCloud, user: 'demo' | 'admin' = 'demo', options: ConnectOptions = {}): CloudConnection {
  return connectCloud(demoCloudConfig(cloud, user), options);
}

export { demoCloudConfig, startDemoCloud, type DemoCloud, type DemoCloudOptions };
