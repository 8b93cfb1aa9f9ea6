/**
 * The service scenarios against the cloud OS_CLOUD names (npm run test:cloud).
 * Needs FIPBOT_TEST_ADMIN_CLOUD for set-up; .ci/run points both at the local
 * real Keystone + Neutron + Nova.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { type CloudUnderTest, openConfiguredCloud } from './support/cloud-under-test.js';
import { defineServiceScenarios } from './support/service-scenarios.js';

let cloud: CloudUnderTest;

beforeAll(async () => {
  cloud = await openConfiguredCloud();
}, 600_000);

afterAll(async () => {
  await cloud?.close();
}, 300_000);

describe('the floating-IP service against the configured cloud', () => {
  defineServiceScenarios(() => cloud);
});
