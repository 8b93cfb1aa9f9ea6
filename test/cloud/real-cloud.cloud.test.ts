/**
 * Against the cloud OS_CLOUD names (npm run test:cloud; FIPBOT_TEST_ADMIN_CLOUD
 * for set-up). .ci/run points both at the local real Keystone + Neutron + Nova.
 *  1. The floating-IP service scenarios (the same ones `npm test` runs on the
 *     demo cloud): identical outcomes on both.
 *  2. The contract: the same raw requests to the real cloud and to a demo
 *     cloud give the same statuses, error types, message templates and
 *     response shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDemo, type DemoCloud, startDemoCloud } from '../support/demo.js';
import { type CloudUnderTest, openConfiguredCloud, prepareCloud } from './support/cloud-under-test.js';
import { observeContract } from './support/contract-requests.js';
import { defineServiceScenarios } from './support/service-scenarios.js';

let real: CloudUnderTest;
let demo: CloudUnderTest;
let demoCloud: DemoCloud;

beforeAll(async () => {
  demoCloud = await startDemoCloud();
  [real, demo] = await Promise.all([
    openConfiguredCloud(),
    prepareCloud('demo', connectDemo(demoCloud, 'demo'), connectDemo(demoCloud, 'admin'), () => demoCloud.close()),
  ]);
}, 600_000);

afterAll(async () => {
  await Promise.all([real?.close(), demo?.close()]);
}, 300_000);

describe('the floating-IP service against the configured cloud', () => {
  defineServiceScenarios(() => real);
});

describe('the contract between the demo cloud and the configured cloud', () => {
  it('answers every request the same way: status, error type, message template and response shape', async () => {
    const [fromReal, fromDemo] = [await observeContract(real), await observeContract(demo)];
    expect(Object.keys(fromDemo)).toEqual(Object.keys(fromReal));
    for (const [request, observed] of Object.entries(fromReal)) {
      expect.soft(fromDemo[request], request).toEqual(observed);
    }
  });
});
