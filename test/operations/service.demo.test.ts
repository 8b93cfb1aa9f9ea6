/**
 * The same service scenarios as `npm run test:cloud`, against the embedded
 * demo cloud: identical outcomes on both prove the demo cloud faithful
 * where the bot can observe it.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type CloudUnderTest, prepareCloud } from '../cloud/support/cloud-under-test.js';
import { defineServiceScenarios } from '../cloud/support/service-scenarios.js';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';

let demo: DemoCloud;
let cloud: CloudUnderTest;

beforeAll(async () => {
  demo = await startDemoCloud();
  cloud = await prepareCloud('demo', connectDemo(demo, 'demo'), connectDemo(demo, 'admin'), () => demo.close());
}, 60_000);

afterAll(async () => {
  await cloud?.close();
});

describe('the floating-IP service against the demo cloud', () => {
  defineServiceScenarios(() => cloud);
});
