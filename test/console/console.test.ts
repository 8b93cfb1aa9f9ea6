/**
 * The local console drives the real Slack layer (Bolt app, listeners, flows)
 * through a loopback Slack, on the embedded demo cloud: the seed's story
 * typed as a person would, read back as the text they would see.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleSession } from '../../src/console/console.js';
import type { LoopbackSlack } from '../../src/console/loopback-slack.js';
import { createFipbot, type Fipbot } from '../../src/fipbot.js';
import { createLogger } from '../../src/log.js';
import { clientFor, login } from '../demo-cloud/support.js';
import { demoCloudConfig, type DemoCloud, startDemoCloud } from '../support/demo.js';
import { testSettings } from '../support/settings.js';
import { TEST_TIMING } from '../support/timing.js';

let demo: DemoCloud;
let bot: Fipbot;
let slack: LoopbackSlack;

beforeEach(async () => {
  demo = await startDemoCloud({ port: 0 });
  const logger = createLogger({ level: 'error', write: () => undefined });
  // No Slack credentials: createFipbot builds the console's loopback Slack.
  bot = await createFipbot({ settings: testSettings(), cloud: demoCloudConfig(demo), policy: undefined }, TEST_TIMING, {
    logger,
    consoleUser: 'alice',
    now: () => new Date('2026-11-28T12:00:00Z'),
  });
  await bot.start();
  slack = bot.console!;
});

afterEach(async () => {
  await bot.stop();
  await demo.close();
});

/** Runs a session on a script of typed lines; returns everything the console printed. */
async function session(lines: string[]): Promise<string> {
  const out: string[] = [];
  const script = [...lines];
  await new ConsoleSession(slack, {
    ask: (prompt) => {
      const line = script.shift();
      out.push(`${prompt}${line ?? ''}`);
      return Promise.resolve(line);
    },
    write: (text) => out.push(text),
  }).run();
  return out.join('\n');
}

describe('the local console', () => {
  it('tells the seed story: allocate, refuse the instance on public with the reason, attach to web-1, detach, release', async () => {
    const transcript = await session(['create public', '1']);
    const ip = /allocated `(\d+\.\d+\.\d+\.\d+)` from pool public/.exec(transcript)?.[1];
    expect(ip).toBeDefined();
    const rest = await session([
      `attach ${ip} test_instance`,
      `/fip attach ${ip} web-1`,
      '1',
      `detach ${ip}`,
      '1',
      `release ${ip}`,
      '1',
      'quit',
    ]);
    expect(rest).toContain(
      '⛔ "test_instance" needs no floating IP: use 192.168.100.178\nIt is directly on the public network "public": reach it at that address.',
    );
    expect(rest).toMatch(/\[\d+\] Use 192\.168\.100\.178\s+\[\d+\] Why\?/);
    expect(rest).toContain(`✅ @alice attached \`${ip}\` to web-1`);
    expect(rest).toContain(`✅ @alice detached \`${ip}\` from web-1`);
    expect(rest).toContain(`Release ${ip}?`);
    expect(rest).toContain(`✅ @alice released \`${ip}\`.`);
    expect(demo.state.floatingIp(ip!)).toBeUndefined();
  });

  it("numbers the options of a row's menu and picks the one typed, asking first as Slack's dialog would", async () => {
    const kept = await session(['list free', '2', 'n', 'quit']);
    expect(kept).toMatch(/\[1\] Attach…\s+\[2\] Release/);
    expect(kept).toContain('Attach or release 192.168.100.201?');
    expect(kept).toContain('Go ahead? [y/N] n');
    expect(kept).toContain('(Keep it)');
    expect(demo.state.floatingIp('192.168.100.201')).toBeDefined();

    const released = await session(['list free', '2', 'y', 'quit']);
    expect(released).toContain('✅ @alice released `192.168.100.201`.');
    expect(demo.state.floatingIp('192.168.100.201')).toBeUndefined();
  });

  it('turns the form modal into prompts, with typeahead picks, and confirms in it', async () => {
    const transcript = await session(['', 'fip', '', '201', '1', 'web-1', '1', '', '', '1', '1', '', 'quit']);
    expect(transcript).toContain('What do you want to do? [Enter: Attach a floating IP]');
    expect(transcript).toContain('1. 192.168.100.201 (free, public)');
    expect(transcript).toContain('Attach 192.168.100.201 to web-1?');
    expect(transcript).toContain('✅ @alice attached `192.168.100.201` to web-1');
    expect(demo.state.floatingIp('192.168.100.201')?.portId).not.toBeNull();
  });

  it('shows a field error of the form and asks again, changing nothing', async () => {
    const first = ['fip', '', '201', '1', 'web-1', '1', 'abc', '', '1'];
    const second = ['', '201', '1', 'web-1', '1', '', '', '1', '2'];
    const transcript = await session([...first, ...second, 'quit']);
    expect(transcript).toContain('✗ "abc" is not an IP address.');
    expect(transcript).toContain('Attach 192.168.100.201 to web-1?');
    expect(transcript).toContain('(form closed, nothing changed)');
    expect(demo.state.floatingIp('192.168.100.201')?.portId).toBeNull();
  });

  it("shows the leak report's checkbox options as lines, beside its numbered buttons", async () => {
    const transcript = await session(['leaks', 'quit']);
    expect(transcript).toMatch(
      / {2}• `192\.168\.100\.201` · outside fipbot · unattached for \d+ \w+ · pool public\n {2}\[1\] Reclaim ticked {3}\[2\] Reclaim all 1/,
    );
  });

  it('shows the App Home tab with numbered buttons', async () => {
    const transcript = await session(['home', 'quit']);
    expect(transcript).toContain('[Home]');
    expect(transcript).toMatch(/\[1\] Allocate\s+\[2\] Attach…/);
    expect(transcript).toContain('`192.168.100.202` → web-2');
  });

  it('shows the answers Slack shows from the acknowledgement itself: help, bad input, an unknown word', async () => {
    const transcript = await session([
      'help',
      'help attach',
      'release 999.1.1.1',
      'attach 192.168.100.201',
      'list everything',
      'atach',
      'quit',
    ]);
    expect(transcript).toContain('`/fip list [free|attached|all]`');
    expect(transcript).toContain('attach a floating IP, or `new` for a fresh one, to an instance');
    expect(transcript).toContain('"999.1.1.1" is not a floating IP address.');
    expect(transcript).toContain('attach needs a floating IP (or "new") and an instance.');
    expect(transcript).toContain('"everything" is not a list filter: use free, attached or all.');
    expect(transcript).toContain('Did you mean `/fip attach');
  });

  it('says so when a number matches no button', async () => {
    expect(await session(['7', 'quit'])).toContain('(no button 7 on screen)');
  });

  it('prints names as text, never obeying the escape sequences in them: explain, list and home', async () => {
    // A server named to clear the screen and turn it red, with a floating IP on it (so list and Home show it).
    const evil = 'evil\x1b[2J\x1b[31m-1\x07\x08\x9b2J';
    const api = clientFor(demo, await login(demo));
    const boot = await api.nova('POST', '/servers', { server: { name: evil, networks: [{ uuid: demo.state.network('private').id }] } });
    expect(boot.status).toBe(202);
    const ports = await api.neutron('GET', `/v2.0/ports?device_id=${(boot.json as { server: { id: string } }).server.id}`);
    const fip = await api.neutron('POST', '/v2.0/floatingips', {
      floatingip: {
        floating_network_id: demo.state.network('public').id,
        port_id: (ports.json as { ports: Array<{ id: string }> }).ports[0]!.id,
      },
    });
    expect(fip.status).toBe(201);

    // The transcript echoes what was typed as typed: only what the console printed is looked at.
    const transcript = (await session([`explain ${evil}`, 'list attached', 'home', 'quit'])).replace(`explain ${evil}`, '');
    // eslint-disable-next-line no-control-regex -- looking for exactly the controls that must not be printed
    expect(transcript).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/u);
    const shown = 'evil[2J[31m-12J';
    expect(transcript.split(shown).length - 1, transcript).toBeGreaterThanOrEqual(3);
    expect(transcript).toContain(
      `${(fip.json as { floatingip: { floating_ip_address: string } }).floatingip.floating_ip_address}\` → ${shown}`,
    );
  });
});
