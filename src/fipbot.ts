/**
 * The composition root: createFipbot builds the whole bot from loaded
 * configuration and a timing profile (the cloud connection or the embedded
 * demo cloud, the shared state, the floating-IP service, the policy, the
 * Slack app and its listeners, the ops endpoints) without starting anything.
 * run.ts (npm start), the tests and the console all build it here.
 */
import type { WebClient } from '@slack/web-api';
import { LoopbackSlack } from './console/loopback-slack.js';
import type { AppConfig, SlackSettings } from './config/settings.js';
import type { Timing } from './config/timing.js';
import type { DemoCloud } from './demo-cloud/index.js';
import { checkLine } from './doctor/format.js';
import { checkOpenStack } from './doctor/run.js';
import type { CheckResult } from './doctor/types.js';
import { type Clock, systemClock } from './jobs/clock.js';
import type { JobDeps } from './jobs/job.js';
import { LeakDigest } from './jobs/leak-digest.js';
import { ownChangeMemoryMs, ownChangesIn } from './jobs/own-changes.js';
import { ChangeWatch } from './jobs/watch.js';
import { LeaseKeeper } from './jobs/lease-keeper.js';
import { FloatingIpService } from './operations/service.js';
import type { Logger } from './log.js';
import { type CloudConnection, connectCloud } from './openstack/cloud.js';
import type { ConfiguredCloud, ConfiguredClouds } from './clouds/config.js';
import { auditForCloud, chatForCloud, storeForCloud } from './clouds/scoped.js';
import type { CloudConfig } from './openstack/cloud-config.js';
import { describeCloud, namedCloud } from './openstack/clouds.js';
import { SERVICE_NAMES } from './openstack/errors.js';
import { CloudHealth, isOutageStatus } from './ops/cloud-health.js';
import { Readiness } from './ops/health.js';
import { InFlight } from './ops/inflight.js';
import { Metrics } from './ops/metrics.js';
import { opsRoutes, startOpsServer } from './ops/routes.js';
import { describeRedisUrl } from './config/redis-url.js';
import type { SharedState } from './shared-state/index.js';
import { withinBudget } from './slack/ack-budget.js';
import { createSlackApp, instrument, type SlackApp } from './slack/app.js';
import { createAudit } from './slack/audit.js';
import { tellPerson } from './slack/overload.js';
import type { SlackDeps } from './slack/deps.js';
import { registerListeners } from './slack/listeners/index.js';
import { allowAll, createPolicy, type Policy, type PolicyRules, policyWarnings } from './slack/policy/engine.js';
import { webApiUserGroups } from './slack/policy/user-groups.js';
import type { SlackConnectionLost } from './slack/socket-mode.js';
import { type InteractionStore, MemoryInteractionStore } from './slack/state/interaction-store.js';

/** What run.ts loaded: fipbot's settings, the cloud (none: the embedded demo cloud) and the policy (none: allow all). */
export interface FipbotConfig {
  settings: AppConfig;
  cloud: CloudConfig | undefined;
  policy: PolicyRules | undefined;
  /** FIPBOT_CONFIG: several clouds, each bound to channels; takes the place of `cloud`. */
  clouds?: ConfiguredClouds;
}

/** One cloud the bot serves: its own token (connection), limiter, caches (service) and health. */
export interface CloudRuntime {
  readonly name: string;
  readonly config: CloudConfig;
  readonly connection: CloudConnection;
  readonly service: FloatingIpService;
  readonly health: CloudHealth;
  /** The channels bound to it (FIPBOT_CONFIG). */
  readonly channels: readonly string[];
}

/** What the surroundings provide; tests change these. */
export interface FipbotSeams {
  logger: Logger;
  /** The console's person, when there are no Slack credentials. */
  consoleUser?: string;
  now?: () => Date;
  /** The periodic jobs' time (the digest's schedule, the watch's interval); tests move a fake one. */
  clock?: Clock;
  /** The interaction store, instead of an in-process one (tests: two bots sharing one, as replicas share Redis). */
  store?: InteractionStore;
}

export type FipbotMode = 'http' | 'socket' | 'console';

export interface Fipbot {
  readonly mode: FipbotMode;
  /** The default cloud's (the only one's, with one cloud). */
  readonly service: FloatingIpService;
  readonly connection: CloudConnection;
  /** Every cloud, as configured (one without FIPBOT_CONFIG). */
  readonly clouds: readonly CloudRuntime[];
  /** The embedded demo cloud, when no cloud was configured. */
  readonly demo: DemoCloud | undefined;
  readonly store: InteractionStore;
  readonly policy: Policy;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  readonly inFlight: InFlight;
  readonly slack: SlackApp;
  /** Console mode: the loopback Slack that the terminal drives. */
  readonly console: LoopbackSlack | undefined;
  /** Once started: the port of /slack/events and the ops routes (HTTP), or of the ops server (Socket Mode). */
  readonly port: number | undefined;
  /** Socket Mode: resolves if Slack refuses the app-level token when reconnecting (already logged). */
  readonly lost: Promise<SlackConnectionLost> | undefined;
  /** The periodic jobs, when configured: the scheduled leak report and the watch. Running once started. */
  readonly jobs: { digest: LeakDigest | undefined; watch: ChangeWatch | undefined; leases: LeaseKeeper };
  /** Each cloud's periodic jobs (`jobs` is the default cloud's). */
  readonly jobsByCloud: ReadonlyMap<string, Fipbot['jobs']>;
  /** Checks the cloud (findings logged), then Slack accepts the bot and it listens. Throws SlackStartError, or a listen error. */
  start(): Promise<void>;
  /** Graceful stop: health turns 503, the listener closes, acknowledged work finishes, connections close. Safe twice. */
  stop(): Promise<void>;
}

const CONSOLE_BOT_TOKEN = 'xoxb-local-console';

/** The embedded demo cloud's two projects, as two clouds: demo (the seed story's) and demo-staging. */
export const DEMO_CLOUDS = { prod: 'demo-prod', staging: 'demo-staging' } as const;

/** Keystone refused the configured credentials, or the auth_url is not Keystone: waiting will not help, so fipbot does not start. */
export class CloudRefusedError extends Error {}

export async function createFipbot(config: FipbotConfig, timing: Timing, seams: FipbotSeams): Promise<Fipbot> {
  const { settings } = config;
  const log = seams.logger;
  const loopback = settings.slack ? undefined : new LoopbackSlack({ id: 'U0CONSOLE', name: seams.consoleUser ?? 'you' });
  const mode: FipbotMode = !settings.slack ? 'console' : settings.slack.appToken ? 'socket' : 'http';

  // What is open so far: closed again, last first, if building fails halfway (a bad CA file, a port...).
  const opened: Array<{ close(): Promise<unknown> }> = [];
  try {
    // Several replicas behave as one only when they share state in Redis; connect first, so a bad REDIS_URL stops us at once.
    const shared = settings.redisUrl
      ? await connectShared(
          settings,
          log,
          config.clouds?.clouds.map((entry) => entry.name),
        )
      : undefined;
    if (shared) opened.push(shared);
    if (!shared && mode !== 'console') log.info('in-process state: run one replica, or set REDIS_URL');

    let demo: DemoCloud | undefined;
    let entries: readonly ConfiguredCloud[];
    if (config.clouds) {
      entries = config.clouds.clouds;
      log.info('using clouds', { clouds: entries.map((entry) => `${entry.name}: ${describeCloud(entry.config)}`) });
    } else if (config.cloud) {
      entries = [{ name: config.cloud.name, config: config.cloud, channels: [] }];
      log.info('using cloud', { cloud: describeCloud(config.cloud) });
    } else {
      // Loaded only when used: a bot on a real cloud does not carry the demo cloud's code in memory.
      const { demoCloudConfig, startEmbeddedCloud } = await import('./embedded-cloud.js');
      // Two projects as two clouds, so that a newcomer sees several clouds at work (`--cloud demo-staging`).
      const started = await startEmbeddedCloud({ seed: 'two-projects' });
      demo = started.demo;
      opened.push(demo);
      entries = [
        { name: DEMO_CLOUDS.prod, config: { ...started.cloud, name: DEMO_CLOUDS.prod }, channels: [] },
        { name: DEMO_CLOUDS.staging, config: { ...demoCloudConfig(started.demo, 'staging'), name: DEMO_CLOUDS.staging }, channels: [] },
      ];
      log.warn(
        'No OpenStack cloud is configured: fipbot runs on its embedded demo cloud. To use yours, set OS_CLOUD or source your openrc.',
        {
          authUrl: demo.authUrl,
        },
      );
    }
    // Registered before the first request, so the start-up check is counted too.
    const metrics = new Metrics();
    const clouds: CloudRuntime[] = [];
    for (const entry of entries) {
      clouds.push(connectOneCloud(entry, settings, timing, metrics, shared));
      opened.push(clouds[clouds.length - 1]!.connection);
    }
    const several = clouds.length > 1;
    // The embedded demo: every channel (the console has one) acts on demo-prod unless `--cloud` says otherwise.
    const fallback = config.clouds ? config.clouds.default : demo ? DEMO_CLOUDS.prod : undefined;
    // The default cloud answers where nothing chose one (the single cloud's service, the tests' handle).
    const main = clouds.find((cloud) => cloud.name === fallback) ?? clouds[0]!;
    const { connection, service } = main;
    metrics.gauge('fipbot_openstack_limiter_queue', 'OpenStack requests waiting for the rate limiter (this replica).', () =>
      clouds.reduce((sum, cloud) => sum + cloud.connection.transport.queueLength(), 0),
    );
    const inFlight = new InFlight();
    metrics.gauge('fipbot_in_flight', 'Slack requests being worked on now (bounded by FIPBOT_MAX_IN_FLIGHT).', () => inFlight.size);
    const store = shared?.store ?? seams.store ?? new MemoryInteractionStore();

    const slackClient: { current?: WebClient } = {};
    const readiness = new Readiness(
      [
        {
          name: 'openstack',
          // A real request at every probe (nothing cached), so an outage is seen even when nobody uses the bot.
          // With several clouds the bot is ready while one serves (its channels work); the detail names each.
          run: async () => {
            const states = await Promise.all(clouds.map((cloud) => probeCloud(cloud, timing)));
            if (!several) {
              if (!states[0]!.ok) throw new Error(states[0]!.detail);
              return states[0]!.detail;
            }
            const detail = states.map((state, i) => `${clouds[i]!.name}: ${state.ok ? '' : 'NOT SERVING, '}${state.detail}`).join('; ');
            if (states.every((state) => !state.ok)) throw new Error(detail);
            return detail;
          },
        },
        {
          name: 'slack',
          run: async () => {
            const auth = await (slackClient.current ?? notStarted()).auth.test();
            return `team ${auth.team ?? auth.team_id ?? '?'}`;
          },
        },
      ],
      { cacheMs: timing.ops.readinessCacheMs, timeoutMs: timing.ops.readinessCheckTimeoutMs, now: () => Date.now() },
    );
    const routes = opsRoutes(readiness, metrics);

    const slackSettings: SlackSettings = settings.slack ?? {
      botToken: CONSOLE_BOT_TOKEN,
      signingSecret: undefined,
      appToken: undefined,
      apiUrl: loopback!.apiUrl,
    };
    const slack = createSlackApp({
      settings: slackSettings,
      timing: timing.slack,
      logger: log,
      ...(loopback ? { receiver: loopback.receiver, fetch: loopback.fetch } : { routes }),
    });
    const cloudName = namedCloud(config.cloud);
    const policy = config.policy
      ? createPolicy(
          config.policy,
          webApiUserGroups(slack.client, log.child({ component: 'policy' }), { ttlMs: timing.slack.userGroupsTtlMs }),
        )
      : allowAll();
    const deps: SlackDeps = {
      service,
      store,
      policy,
      audit: createAudit({
        logger: log.child({ component: 'audit' }),
        client: slack.client,
        ...(settings.auditChannel ? { channel: settings.auditChannel } : {}),
      }),
      logger: log,
      now: seams.now ?? (() => new Date()),
      fetch: loopback ? (url, init) => loopback.fetch(url, init) : (url, init) => fetch(url, init),
      metrics,
      timing,
      ...(settings.watch ? { ownChanges: ownChangesIn(store, ownChangeMemoryMs(timing)) } : {}),
      ...(cloudName ? { cloudName } : {}),
    };
    // Several clouds: each keeps its claims and its memory of fipbot's changes apart, and names itself in what it posts.
    const cloudStores = new Map(clouds.map((cloud) => [cloud.name, several ? storeForCloud(store, cloud.name) : store]));
    const ownChanges = new Map(
      clouds.map((cloud) => [
        cloud.name,
        settings.watch ? ownChangesIn(cloudStores.get(cloud.name)!, ownChangeMemoryMs(timing)) : undefined,
      ]),
    );
    if (several) {
      const bindings = new Map(clouds.flatMap((cloud) => cloud.channels.map((channel) => [channel, cloud.name] as const)));
      const byName = new Map(clouds.map((cloud) => [cloud.name, cloud]));
      deps.clouds = {
        names: clouds.map((cloud) => cloud.name),
        bound: (channelId) => (channelId !== undefined ? bindings.get(channelId) : undefined) ?? fallback,
        service: (name) => byName.get(name)?.service,
        ownChanges: (name) => ownChanges.get(name),
      };
    }
    const allJobs = clouds.map((cloud) => {
      const own = ownChanges.get(cloud.name);
      const cloudDeps: SlackDeps = {
        ...deps,
        service: cloud.service,
        ...(own ? { ownChanges: own } : {}),
        ...(several ? { audit: auditForCloud(deps.audit, cloud.name), cloud: cloud.name } : {}),
      };
      return periodicJobs(settings, timing, cloudDeps, {
        service: cloud.service,
        store: cloudStores.get(cloud.name)!,
        client: several ? chatForCloud(slack.client, cloud.name) : slack.client,
        logger: several ? log.child({ cloud: cloud.name }) : log,
        clock: seams.clock ?? systemClock,
        metrics,
      });
    });
    const jobs = allJobs[clouds.indexOf(main)]!;
    instrument(slack.app, {
      metrics,
      inFlight,
      maxInFlight: settings.maxInFlight,
      notify: tellPerson({ client: slack.client, fetch: deps.fetch, logger: log }),
    });
    registerListeners(slack.app, deps);

    const step = (what: string, work: () => Promise<unknown> | undefined) =>
      Promise.resolve()
        .then(work)
        .catch((error: unknown) => log.warn(`could not ${what}`, { error }));
    let port: number | undefined;
    let ops: Awaited<ReturnType<typeof startOpsServer>> | undefined;
    let listening = false;
    let stopping: Promise<void> | undefined;

    return {
      mode,
      service,
      connection,
      clouds,
      demo,
      store,
      policy,
      metrics,
      readiness,
      inFlight,
      slack,
      console: loopback,
      get port() {
        return port;
      },
      lost: slack.lost,
      jobs,
      jobsByCloud: new Map(clouds.map((cloud, i) => [cloud.name, allJobs[i]!])),
      async start() {
        // Every cloud at once; one that refuses fipbot's configuration stops the start, one that is down only its channels.
        const outages = await Promise.all(
          clouds.map(async (cloud) => {
            const found = await checkCloudAtStart(
              several ? log.child({ cloud: cloud.name }) : log,
              cloud.config,
              cloud.connection,
              several ? cloud.name : undefined,
            );
            if (found) cloud.health.failedAtStart(found.detail);
            return found ? { cloud: cloud.name, found } : undefined;
          }),
        );
        const down = outages.filter((outage) => outage !== undefined);
        const outage = down.length === clouds.length ? down[0]!.found : undefined;
        // A stop asked for meanwhile: nothing more is opened.
        if (stopping) return;
        // Socket Mode has no HTTP listener to share: the ops routes get their own, on HOST:PORT.
        if (mode === 'socket') ops = await startOpsServer(routes, settings.http.port, settings.http.host);
        try {
          port = (await slack.start(settings.http)) ?? ops?.port;
        } catch (error) {
          await ops?.close();
          ops = undefined;
          throw error;
        }
        listening = true;
        // Stopped while Slack was starting: stop() found nothing listening yet; close what start opened.
        if (stopping) {
          await Promise.allSettled([slack.stop(), ops?.close()]);
          return;
        }
        slackClient.current = slack.client;
        for (const cloudJobs of allJobs) {
          cloudJobs.digest?.start();
          cloudJobs.watch?.start();
          cloudJobs.leases.start();
        }
        // Not ready, said once, in every mode: users get explanations meanwhile, /readyz answers 503 until the cloud does.
        if (outage) log.warn(`fipbot is running, not ready until OpenStack answers: ${checkLine(outage)}`);
        else
          for (const { cloud, found } of down)
            log.warn(`fipbot is running; cloud ${cloud} does not answer, its channels get explanations meanwhile: ${checkLine(found)}`);
        if (mode === 'console') return;
        for (const warning of policyWarnings(policy, { cloud: cloudName })) log.warn(warning);
        if (!outage)
          log.info('fipbot is running', {
            mode,
            ...(mode === 'http' ? { url: `http://${settings.http.host}:${port}/slack/events` } : {}),
            policy: policy.describe(),
          });
      },
      stop() {
        stopping ??= (async () => {
          // /healthz and /readyz turn 503 so load balancers move away, the listener closes,
          // and work already acknowledged (changes in progress, results to post) finishes.
          readiness.shuttingDown = true;
          // No new digest or poll; one under way finishes while Slack and the cloud are still connected.
          await step('stop the periodic jobs', () =>
            Promise.all(
              allJobs.map((cloudJobs) => Promise.all([cloudJobs.digest?.stop(), cloudJobs.watch?.stop(), cloudJobs.leases.stop()])),
            ),
          );
          // A start that failed (already said) stops quietly.
          if (mode !== 'console' && listening)
            log.info('stopping: no new requests, finishing those in flight', { inFlight: inFlight.size });
          // Each step on its own: one that fails must not leave the others open.
          if (listening) await step('stop the Slack listener', () => slack.stop());
          await step('close the ops server', () => ops?.close());
          const left = await inFlight.drain(timing.ops.drainMs);
          if (left > 0) log.warn('stopped with work still running', { inFlight: left });
          await closeAll(log, [...clouds.map((cloud) => cloud.connection), demo, store, shared]);
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll(log, opened.reverse());
    throw error;
  }
}

/** One cloud's connection (its token, its limiter unless Redis shares one), service (its caches) and health. */
function connectOneCloud(
  entry: ConfiguredCloud,
  settings: AppConfig,
  timing: Timing,
  metrics: Metrics,
  shared: SharedState | undefined,
): CloudRuntime {
  const connection = connectCloud(entry.config, {
    transport: {
      maxConcurrent: settings.openstack.maxConcurrent,
      minTimeMs: settings.openstack.minTimeMs,
      connectTimeoutMs: timing.openstack.connectTimeoutMs,
      headersTimeoutMs: timing.openstack.timeoutMs,
      bodyTimeoutMs: timing.openstack.timeoutMs,
      retryBaseDelayMs: timing.openstack.retryBaseDelayMs,
      retryMaxDelayMs: timing.openstack.retryMaxDelayMs,
      userAgent: 'fipbot/0.1',
    },
    identity: { renewBeforeMs: timing.openstack.tokenRenewBeforeMs },
    ...(shared ? { limiter: shared.limiterOf(entry.name) } : {}),
  });
  const health = new CloudHealth({ graceMs: timing.ops.notReadyAfterMs, now: () => Date.now() });
  connection.transport.onExchange((exchange) => {
    metrics.openstackRequests.observe(
      { service: exchange.service, method: exchange.method, status: String(exchange.status ?? exchange.errorCode ?? 'error') },
      exchange.durationMs / 1000,
    );
    if (!isOutageStatus(exchange.status)) health.answered();
    else
      health.failed(
        `${SERVICE_NAMES[exchange.service]} ${exchange.status ? `answered HTTP ${exchange.status}` : `did not answer (${exchange.errorCode ?? 'no answer'})`}`,
      );
  });
  const service = new FloatingIpService(
    { neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() },
    {
      topologyTtlMs: timing.caches.topologyTtlMs,
      serverNamesTtlMs: timing.caches.serverNamesTtlMs,
      typeaheadTtlMs: timing.caches.typeaheadTtlMs,
      lateAllocationChecksMs: timing.openstack.lateAllocationChecksMs,
    },
  );
  return { name: entry.name, config: entry.config, channels: entry.channels, connection, service, health };
}

/**
 * The readiness probe of one cloud: a real request (its outcome, like the bot's own traffic, goes to the
 * cloud's health, which decides); a cloud that does not answer at all is failing long before the request's
 * own timeout says so.
 */
async function probeCloud(cloud: CloudRuntime, timing: Timing): Promise<{ ok: boolean; detail: string }> {
  const { connection, health } = cloud;
  const probe = Promise.all([connection.client.scope(), connection.neutron.listExternalNetworks()]).then(
    ([found]) => ({ found }),
    () => ({ found: undefined }),
  );
  const budgetMs = timing.ops.readinessCheckTimeoutMs / 2;
  const answered = await withinBudget(probe, budgetMs);
  if (!answered) health.failed(`OpenStack did not answer within ${budgetMs / 1000} s`);
  const scope = answered?.found;
  const report = health.report();
  return report.ok
    ? { ok: true, detail: `project ${scope?.projectName ?? '?'}, cloud ${report.detail}` }
    : { ok: false, detail: report.detail };
}

/** The digest and the watch, each when its channel is set; the lease keeper always (it acts only on IPs given `--for`). */
function periodicJobs(settings: AppConfig, timing: Timing, deps: SlackDeps, jobDeps: JobDeps): Fipbot['jobs'] {
  return {
    digest: settings.report ? new LeakDigest(jobDeps, settings.report, timing.jobs) : undefined,
    watch:
      settings.watch && deps.ownChanges
        ? new ChangeWatch(jobDeps, { channel: settings.watch.channel, intervalMs: timing.jobs.watchIntervalMs }, deps.ownChanges)
        : undefined,
    leases: new LeaseKeeper(
      jobDeps,
      { intervalMs: timing.jobs.leaseIntervalMs, claimMs: timing.jobs.leaseClaimMs },
      { audit: deps.audit, ...(deps.ownChanges ? { ownChanges: deps.ownChanges } : {}) },
    ),
  };
}

/** Closes each of `parts`, in order, logging a failure and going on. */
async function closeAll(log: Logger, parts: ReadonlyArray<{ close(): Promise<unknown> } | undefined>): Promise<void> {
  for (const part of parts) {
    if (part) await part.close().catch((error: unknown) => log.warn('could not close cleanly', { error }));
  }
}

function notStarted(): never {
  throw new Error('not started');
}

async function connectShared(settings: AppConfig, log: Logger, clouds: readonly string[] | undefined): Promise<SharedState> {
  // ioredis is loaded only for replicas that share state.
  const { connectSharedState } = await import('./shared-state/index.js');
  const shared = await connectSharedState(settings.redisUrl!, {
    maxConcurrent: settings.openstack.maxConcurrent,
    minTimeMs: settings.openstack.minTimeMs,
    logger: log.child({ component: 'shared-state' }),
    ...(clouds ? { clouds } : {}),
  });
  log.info(
    `shared state in Redis at ${describeRedisUrl(settings.redisUrl!)}: confirmations, double-tap protection and the OpenStack rate limit are shared by all replicas`,
  );
  return shared;
}

/**
 * The doctor's OpenStack checks, briefly, at start-up, one line each. Keystone refusing the configuration
 * (credentials, an auth_url that is not Keystone) stops fipbot with the doctor's next step: waiting will not
 * fix it. A cloud that does not answer is returned: fipbot starts, not ready, and says so (it may come back,
 * and users get explanations meanwhile). `npm run doctor` runs the full set.
 * Through the bot's own connection: the token the check obtains serves the first operations too.
 */
async function checkCloudAtStart(
  log: Logger,
  cloud: CloudConfig,
  connection: CloudConnection,
  /** Several clouds: the one checked, named in what stops the start. */
  name?: string,
): Promise<CheckResult | undefined> {
  const report = await checkOpenStack(cloud, connection);
  const keystone = report.checks.find((check) => check.id === 'keystone');
  if (keystone?.status === 'fail' && keystone.cause === 'configuration')
    throw new CloudRefusedError(`fipbot cannot start${name ? ` (cloud ${name})` : ''}: ${checkLine(keystone)}`);
  const outage = report.checks.find((check) => check.status === 'fail' && check.cause === 'outage');
  for (const check of report.checks) {
    if (check === outage) continue;
    if (check.status === 'fail') log.error(`start-up check failed: ${checkLine(check)}`);
    if (check.status === 'warn') log.warn(`start-up check: ${checkLine(check)}`);
  }
  if (report.ok) log.info(`OpenStack checks passed: ${report.checks.map((check) => check.name).join(', ')}`);
  log.debug('OpenStack checks', { checks: report.checks.map((check) => `${check.name}: ${check.detail}`) });
  return outage;
}
