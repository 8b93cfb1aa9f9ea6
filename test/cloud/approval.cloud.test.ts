/**
 * Two-person approval against a real cloud (npm run test:cloud), over signed HTTP on the real Bolt app:
 * with `approvals: release` for the configured cloud (by its clouds.yaml name), a confirmed release is
 * posted for approval and Neutron still has the IP; another person's Approve releases it; an IP changed
 * between the request and the approval is refused and left as it is. Whatever is allocated here goes back.
 */
import { homedir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CloudConnection, connectCloud } from '../../src/openstack/cloud.js';
import type { CloudConfig } from '../../src/openstack/cloud-config.js';
import { loadCloudConfig } from '../../src/openstack/clouds.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import type { SimMessage } from '../support/slack/messages.js';
import { renderText } from '../support/slack/text.js';
import { closeWithinLimits, type Harness, startHarness } from '../slack/e2e/harness.js';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const ONCALL = 'S0ONCALL01';

function botCloud(): CloudConfig {
  const loaded = loadCloudConfig({ env: process.env, cwd: process.cwd(), homeDir: homedir() });
  if (!loaded.ok || !loaded.cloud) throw new Error('set OS_CLIENT_CONFIG_FILE and OS_CLOUD');
  return loaded.cloud;
}

let h: Harness;
let side: CloudConnection;
const made: string[] = [];

beforeAll(async () => {
  const cloud = botCloud();
  h = await startHarness({
    cloud,
    policy: `default: allow\napprovals:\n  release: { approvers: { usergroups: [${ONCALL}] }, clouds: [${cloud.name}] }\n`,
  });
  h.sim.workspace.setGroupMembers(ONCALL, [BOB]);
  side = connectCloud(cloud);
});

afterAll(async () => {
  for (const id of made) await side.neutron.deleteFloatingIp(id).catch(() => undefined);
  await Promise.all([closeWithinLimits(h), side.close()]);
});

async function allocated(): Promise<{ id: string; address: string }> {
  const pools = await side.neutron.listExternalNetworks();
  const created = await side.neutron.createFloatingIp({ networkId: pools.find((pool) => pool.name === 'public')!.id });
  made.push(created.value.id);
  return { id: created.value.id, address: created.value.address };
}

const requests = () => h.sim.messages().filter((m) => !m.ephemeral && (m.history[0]?.text ?? m.text ?? '').includes('asks for approval'));
const stillThere = (id: string) =>
  side.neutron.getFloatingIp(id).then(
    () => true,
    (error: { status?: number }) => (error.status === 404 ? false : Promise.reject(error as Error)),
  );

async function requestRelease(address: string): Promise<SimMessage> {
  const before = requests().length;
  const ack = await h.sim.slashCommand(`release ${address}`, { user: ALICE });
  await expect.poll(() => h.sim.responses(ack.responseUrl!).length, { timeout: 15_000 }).toBeGreaterThan(0);
  await h.sim.clickButton(h.sim.responses(ack.responseUrl!)[0]!.message!, { actionId: ACTIONS.confirm }, { user: ALICE });
  await expect.poll(() => requests().length, { timeout: 15_000 }).toBe(before + 1);
  return requests().at(-1)!;
}

describe('two-person approval on a real cloud', () => {
  it('releases only once another person approves, and the result names both', async () => {
    const ip = await allocated();
    const request = await requestRelease(ip.address);
    expect(await stillThere(ip.id)).toBe(true);
    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => stillThere(ip.id), { timeout: 15_000 }).toBe(false);
    const result = () => h.sim.messages().find((m) => !m.ephemeral && (m.text ?? '').startsWith(`released ${ip.address}`));
    await expect.poll(() => result()?.text, { timeout: 15_000 }).toContain(`asked by <@${ALICE}>, approved by <@${BOB}>`);
  });

  it('refuses an approval when the IP changed after the request, and leaves it as it is', async () => {
    const ip = await allocated();
    const request = await requestRelease(ip.address);
    // Changed in Horizon meanwhile: its revision moves on.
    await side.neutron.updateFloatingIp(ip.id, { description: 'kept by hand' });
    await h.sim.clickButton(request, { actionId: ACTIONS.approve }, { user: BOB });
    await expect.poll(() => renderText(requests().at(-1)!), { timeout: 15_000 }).toContain(`${ip.address} changed in the meantime`);
    expect(await stillThere(ip.id)).toBe(true);
  });
});
