/**
 * End-to-end set-up: the real fipbot Slack app (Bolt over HTTP on
 * 127.0.0.1) with the real service and adapter, the embedded demo cloud
 * behind it, and the Slack simulator in front (signed requests in, Web API
 * and response_urls out). Logs are captured for assertions.
 */
import { expect } from 'vitest';
import type { Timing } from '../../../src/config/timing.js';
import { DEMO_APPLICATION_CREDENTIAL } from '../../../src/demo-cloud/index.js';
import { createFipbot, type Fipbot } from '../../../src/fipbot.js';
import type { Clock } from '../../../src/jobs/clock.js';
import type { FloatingIpService } from '../../../src/operations/service.js';
import { createLogger } from '../../../src/log.js';
import type { CloudConnection } from '../../../src/openstack/cloud.js';
import type { CloudConfig } from '../../../src/openstack/cloud-config.js';
import { limitViolations } from '../../support/slack/block-kit.js';
import { parsePolicy } from '../../../src/slack/policy/file.js';
import type { InteractionStore } from '../../../src/slack/state/interaction-store.js';
import { demoCloudConfig, type DemoCloud, type DemoCloudOptions, startDemoCloud } from '../../support/demo.js';
import { testSettings } from '../../support/settings.js';
import { type SimResponse, SlackSimulator } from '../../support/slack/simulator.js';
import { testTiming } from '../../support/timing.js';

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-e2e-0000000000-bot-token';

export interface Harness {
  sim: SlackSimulator;
  demo: DemoCloud;
  /** The whole bot, as createFipbot built it. */
  bot: Fipbot;
  connection: CloudConnection;
  service: FloatingIpService;
  store: InteractionStore;
  logs: string[];
  /** Log records parsed. */
  records(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Policy YAML; without it everyone may do everything. */
  policy?: string;
  demo?: DemoCloudOptions;
  auditChannel?: string;
  /**
   * The cloud the bot uses. A function gets the demo cloud (started either
   * way); default: the demo cloud as user demo with its password.
   */
  cloud?: CloudConfig | ((demo: DemoCloud) => CloudConfig);
  /** Changes to the test timing profile (test/support/timing.ts): a low OpenStack timeout, a short ack budget... */
  timing?: { [K in keyof Timing]?: Partial<Timing[K]> };
  /** fipbot's settings as these environment variables set them (FIPBOT_MAX_IN_FLIGHT…). */
  env?: Record<string, string>;
  /** The Slack layer's clock (confirmations, approval expiry); default: a fixed 2026-11-28T12:00:00Z. */
  now?: () => Date;
  /** The periodic jobs' clock (test/support/clock.ts), and a store shared with another bot (replicas). */
  clock?: Clock;
  store?: InteractionStore;
  /**
   * Several clouds (FIPBOT_CONFIG) on the demo cloud's two projects (seed 'two-projects'): prod is project
   * demo (user demo), staging project demo-staging (user staging), each bound to its channels.
   */
  twoClouds?: {
    prod: string[];
    staging: string[];
    default?: 'prod' | 'staging';
    /** How staging is reached instead (a cloud that is down). */
    staging_config?: (demo: DemoCloud) => CloudConfig;
    /** How prod is reached instead (a real cloud). */
    prod_config?: (demo: DemoCloud) => CloudConfig;
  };
  /** Slack secrets (distinctive values for the secrets suite). */
  botToken?: string;
  signingSecret?: string;
}

/** The demo cloud reached with user demo's application credential instead of its password. */
export function demoApplicationCredentialConfig(demo: DemoCloud, secret: string = DEMO_APPLICATION_CREDENTIAL.secret): CloudConfig {
  return {
    ...demoCloudConfig(demo),
    name: 'demo-cloud (application credential)',
    auth: { type: 'applicationCredential', authUrl: demo.authUrl, applicationCredentialId: DEMO_APPLICATION_CREDENTIAL.id, secret },
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const signingSecret = options.signingSecret ?? SIGNING_SECRET;
  const botToken = options.botToken ?? BOT_TOKEN;
  const sim = await SlackSimulator.start({ signingSecret });
  sim.workspace.tokens.add(botToken);
  const demo = await startDemoCloud({ port: 0, ...(options.twoClouds ? { seed: 'two-projects' as const } : {}), ...options.demo });
  const cloud = typeof options.cloud === 'function' ? options.cloud(demo) : (options.cloud ?? demoCloudConfig(demo));
  let policy;
  if (options.policy) {
    const parsed = parsePolicy(options.policy, 'test-policy.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    policy = parsed.rules;
  }
  const settings = testSettings(
    { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: sim.apiUrl, ...options.env },
    options.auditChannel ? { auditChannel: options.auditChannel } : {},
  );
  const clouds = options.twoClouds && {
    clouds: [
      {
        name: 'prod',
        config: { ...(options.twoClouds.prod_config?.(demo) ?? demoCloudConfig(demo)), name: 'prod' },
        channels: options.twoClouds.prod,
      },
      {
        name: 'staging',
        config: { ...(options.twoClouds.staging_config?.(demo) ?? demoCloudConfig(demo, 'staging')), name: 'staging' },
        channels: options.twoClouds.staging,
      },
    ],
    ...(options.twoClouds.default ? { default: options.twoClouds.default } : {}),
  };
  const bot = await createFipbot({ settings, cloud, policy, ...(clouds ? { clouds } : {}) }, testTiming(options.timing), {
    logger,
    now: options.now ?? (() => new Date('2026-11-28T12:00:00Z')),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.store ? { store: options.store } : {}),
  });
  await bot.start();
  sim.botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
  return {
    sim,
    demo,
    bot,
    connection: bot.connection,
    service: bot.service,
    store: bot.store,
    logs,
    records: () => logs.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await bot.stop();
      await demo.close();
      await sim.close();
    },
  };
}

/**
 * Every message the bot made visible (each version of it: replaced ones keep
 * their history) and every modal or Home view it opened, pushed, updated or
 * published (each definition), checked against Block Kit's limits. Returns
 * the broken rules, each named by where it was; [] when all is well.
 */
export function limitProblems(sim: SlackSimulator): { checked: number; problems: string[] } {
  const problems: string[] = [];
  let checked = 0;
  for (const message of sim.messages()) {
    for (const version of [...message.history, { text: message.text, blocks: message.blocks }]) {
      checked++;
      for (const problem of limitViolations('message', version))
        problems.push(`message ${message.channel}/${message.ts} ("${(version.text ?? '').slice(0, 60)}"): ${problem}`);
    }
  }
  for (const view of sim.views()) {
    for (const definition of view.definitions) {
      checked++;
      for (const problem of limitViolations(view.type === 'home' ? 'home' : 'modal', definition))
        problems.push(`${view.type} ${view.id} (${view.callbackId}): ${problem}`);
    }
  }
  return { checked, problems };
}

/**
 * The end of a suite: closes the harness, then fails if anything the bot
 * sent (every version of every message, every view) broke Block Kit's
 * limits, or if no more than `atLeast` of them were checked (a suite that
 * checked nothing proves nothing).
 */
export async function closeWithinLimits(h: Harness, atLeast?: number): Promise<void> {
  const { checked, problems } = limitProblems(h.sim);
  await h.close();
  if (atLeast !== undefined) expect(checked).toBeGreaterThan(atLeast);
  expect(problems).toEqual([]);
}

/** Slack's side of every request: answered 200, and before Slack's 3 s deadline (else the user sees an error). */
export async function acked<T extends SimResponse>(request: Promise<T>): Promise<T> {
  const response = await request;
  if (response.status !== 200 || !response.withinDeadline) {
    throw new Error(`Slack would have shown an error: status ${response.status} after ${Math.round(response.ackMs)} ms`);
  }
  return response;
}
