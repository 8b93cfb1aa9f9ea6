/**
 * End-to-end set-up: the real fipbot Slack app (Bolt over HTTP on
 * 127.0.0.1) with the real service and adapter, the embedded demo cloud
 * behind it, and the Slack simulator in front (signed requests in, Web API
 * and response_urls out). Logs are captured for assertions.
 */
import { expect } from 'vitest';
import { FloatingIpService } from '../../../src/floating-ips/service.js';
import { createLogger } from '../../../src/log.js';
import { type CloudConnection, type ConnectOptions, connectCloud } from '../../../src/openstack/cloud.js';
import type { CloudConfig } from '../../../src/openstack/cloud-config.js';
import { type RunningSlackApp, startSlackApp } from '../../../src/slack/app.js';
import { createAudit } from '../../../src/slack/audit.js';
import type { SlackDeps } from '../../../src/slack/deps.js';
import { allowAll, createPolicy, parsePolicy, type Policy, webApiUserGroups } from '../../../src/slack/policy.js';
import { limitViolations } from '../../../src/slack/blocks/limits.js';
import { MemoryInteractionStore } from '../../../src/slack/state/interaction-store.js';
import { DEMO_APPLICATION_CREDENTIAL } from '../../../src/demo-cloud/index.js';
import { demoCloudConfig, type DemoCloud, type DemoCloudOptions, startDemoCloud } from '../../support/demo.js';
import { type SimResponse, SlackSimulator } from '../../support/slack/simulator.js';

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-e2e-0000000000-bot-token';

export interface Harness {
  sim: SlackSimulator;
  demo: DemoCloud;
  connection: CloudConnection;
  service: FloatingIpService;
  bot: RunningSlackApp;
  store: MemoryInteractionStore;
  logs: string[];
  /** Log records parsed. */
  records(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Policy YAML; without it everyone may do everything. */
  policy?: string;
  /** How long user-group members are cached (the bot's default: 5 minutes); 0 asks Slack for every decision. */
  userGroupTtlMs?: number;
  demo?: DemoCloudOptions;
  auditChannel?: string;
  submissionBudgetMs?: number;
  /**
   * The cloud the bot uses. A function gets the demo cloud (started either
   * way); default: the demo cloud as user demo with its password.
   */
  cloud?: CloudConfig | ((demo: DemoCloud) => CloudConfig);
  /** Adapter settings: a low transport timeout, fast retries. */
  connect?: ConnectOptions;
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
  const demo = await startDemoCloud({ port: 0, ...options.demo });
  const cloud = typeof options.cloud === 'function' ? options.cloud(demo) : (options.cloud ?? demoCloudConfig(demo));
  const connection = connectCloud(cloud, options.connect);
  const service = new FloatingIpService({ neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() });
  const store = new MemoryInteractionStore();
  const bot = await startSlackApp(
    {
      settings: { botToken, signingSecret, appToken: undefined, apiUrl: sim.apiUrl },
      http: { port: 0, host: '127.0.0.1' },
      deps: (client): SlackDeps => {
        let policy: Policy = allowAll();
        if (options.policy) {
          const parsed = parsePolicy(options.policy, 'test-policy.yaml');
          if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
          policy = createPolicy(parsed.rules, webApiUserGroups(client, logger, options.userGroupTtlMs === undefined ? {} : { ttlMs: options.userGroupTtlMs }));
        }
        return {
          service,
          store,
          policy,
          audit: createAudit({ logger, client, ...(options.auditChannel ? { channel: options.auditChannel } : {}) }),
          logger,
          now: () => new Date('2026-11-28T12:00:00Z'),
          fetch: (url, init) => fetch(url, init),
          submissionBudgetMs: options.submissionBudgetMs ?? 2_200,
        };
      },
    },
    logger,
  );
  sim.botUrl = `http://127.0.0.1:${bot.port}/slack/events`;
  return {
    sim,
    demo,
    connection,
    service,
    bot,
    store,
    logs,
    records: () => logs.map((line) => JSON.parse(line) as Record<string, unknown>),
    async close() {
      await bot.stop();
      await connection.close();
      await demo.close();
      await sim.close();
      await store.close();
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
      for (const problem of limitViolations('message', version)) problems.push(`message ${message.channel}/${message.ts} ("${(version.text ?? '').slice(0, 60)}"): ${problem}`);
    }
  }
  for (const view of sim.views()) {
    for (const definition of view.definitions) {
      checked++;
      for (const problem of limitViolations(view.type === 'home' ? 'home' : 'modal', definition)) problems.push(`${view.type} ${view.id} (${view.callbackId}): ${problem}`);
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
