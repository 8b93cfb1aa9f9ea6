/**
 * Composition root: the one place that reads configuration (environment,
 * clouds.yaml, the policy file) and wires the layers. Everything below gets
 * plain values.
 *
 *   no OpenStack configured -> the embedded demo cloud, said plainly
 *   Slack credentials       -> the Bolt app (HTTP, or Socket Mode with SLACK_APP_TOKEN)
 */
import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import type { WebClient } from '@slack/web-api';
import { ConsoleSession, newLoopbackSlack } from './console/console.js';
import { terminalIO } from './console/terminal.js';
import { type AppConfig, loadAppConfig } from './config.js';
import type { DemoCloud } from './demo-cloud/index.js';
import { startEmbeddedCloud } from './embedded-cloud.js';
import { FloatingIpService } from './floating-ips/service.js';
import { createLogger, type Logger } from './log.js';
import { type CloudConnection, connectCloud } from './openstack/cloud.js';
import type { CloudConfig } from './openstack/cloud-config.js';
import { describeCloud, loadCloudConfig } from './openstack/clouds.js';
import { shapeRedactor } from './openstack/redact.js';
import { connectSharedState, describeRedisUrl, type SharedState } from './shared-state/index.js';
import { runDoctor } from './doctor/run.js';
import { Readiness } from './ops/health.js';
import { InFlight } from './ops/inflight.js';
import { Metrics } from './ops/metrics.js';
import { opsRoutes } from './ops/routes.js';
import { SlackStartError, startSlackApp } from './slack/app.js';
import { createAudit } from './slack/audit.js';
import { allowAll, createPolicy, parsePolicy, type Policy, policyWarnings, webApiUserGroups } from './slack/policy.js';
import type { SlackDeps } from './slack/deps.js';
import { MemoryInteractionStore } from './slack/state/interaction-store.js';

interface Problem {
  where: string;
  message: string;
}

async function main(): Promise<number> {
  const appConfig = loadAppConfig(process.env);
  const cloudConfig = loadCloudConfig({ env: process.env, cwd: process.cwd(), homeDir: homedir() });
  // The console owns stdout: its logs go to stderr, and only warnings unless LOG_LEVEL asks for more.
  const consoleMode = appConfig.ok && !appConfig.config.slack;
  const level = appConfig.ok ? (consoleMode && !process.env.LOG_LEVEL ? 'warn' : appConfig.config.logLevel) : 'info';
  // Secrets known from the start never reach a log line, whatever prints them.
  for (const secret of [process.env.SLACK_BOT_TOKEN, process.env.SLACK_SIGNING_SECRET, process.env.SLACK_APP_TOKEN]) shapeRedactor.addSecret(secret);
  const log = createLogger({ level, ...(consoleMode ? { write: (line: string) => process.stderr.write(`${line}\n`) } : {}) });
  // The last resort for a rejected promise nobody handled (a library's timer, a forgotten catch). Node's default
  // prints the stack unredacted (it may hold a token) and exits at once, cutting off work in flight. Instead: one
  // redacted log line, then exit 1 all the same (the process is in a state nobody planned for, and an orchestrator
  // should see it): once the bot runs, through the graceful stop below; before that there is nothing to finish.
  process.on('unhandledRejection', (reason) => {
    log.error('unhandled promise rejection: stopping (a bug; please report it)', { error: reason, ...(reason instanceof Error && reason.stack ? { stack: reason.stack } : {}) });
    if (stopRunning) stopRunning(1);
    else process.exit(1);
  });

  const problems: Problem[] = [...(appConfig.ok ? [] : appConfig.problems), ...(cloudConfig.ok ? [] : cloudConfig.problems)];
  if (!appConfig.ok || !cloudConfig.ok) return reportProblems(log, problems);
  const config = appConfig.config;

  // Several replicas behave as one only when they share state in Redis; connect first, so a bad REDIS_URL stops us at once.
  let shared: SharedState | undefined;
  if (config.redisUrl) {
    try {
      shared = await connectSharedState(config.redisUrl, { maxConcurrent: config.openstack.maxConcurrent, minTimeMs: config.openstack.minTimeMs, logger: log.child({ component: 'shared-state' }) });
    } catch (error) {
      log.error(error instanceof Error ? error.message : String(error));
      return 1;
    }
    log.info(`shared state in Redis at ${describeRedisUrl(config.redisUrl)}: confirmations, double-tap protection and the OpenStack rate limit are shared by all replicas`);
  } else {
    log.info('in-process state: run one replica, or set REDIS_URL');
  }

  let demo: DemoCloud | undefined;
  let cloud: CloudConfig;
  if (cloudConfig.cloud) {
    cloud = cloudConfig.cloud;
    log.info('using cloud', { cloud: describeCloud(cloud) });
  } else {
    ({ demo, cloud } = await startEmbeddedCloud());
    log.warn(
      `No OpenStack cloud is configured, so fipbot runs on its embedded demo cloud (${demo.authUrl}, user demo). ` +
        'Nothing here touches a real cloud. To use yours, set OS_CLOUD (clouds.yaml) or source your openrc file.',
    );
  }
  const connection = connectCloud(cloud, {
    transport: {
      maxConcurrent: config.openstack.maxConcurrent,
      minTimeMs: config.openstack.minTimeMs,
      headersTimeoutMs: config.openstack.timeoutMs,
      bodyTimeoutMs: config.openstack.timeoutMs,
      userAgent: 'fipbot/0.1',
    },
    ...(shared ? { limiter: shared.limiter } : {}),
  });
  // Registered before the first request, so the start-up check is counted too.
  const metrics = new Metrics();
  connection.transport.onExchange((exchange) => {
    metrics.openstackRequests.observe({ service: exchange.service, method: exchange.method, status: String(exchange.status ?? exchange.errorCode ?? 'error') }, exchange.durationMs / 1000);
  });
  metrics.gauge('fipbot_openstack_limiter_queue', 'OpenStack requests waiting for the rate limiter (this replica).', () => connection.transport.queueLength());
  const inFlight = new InFlight();
  const service = new FloatingIpService(
    { neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() },
    { typeaheadTtlMs: config.openstack.typeaheadCacheMs },
  );
  await checkCloudAtStart(log, cloud, connection);


  const store = shared?.store ?? new MemoryInteractionStore();
  let policy: Policy = allowAll();
  const makeDeps = (client: WebClient): SlackDeps => {
    if (config.slack) {
      const loaded = loadPolicy(config, client, log);
      if (!loaded.ok) throw new PolicyFileError(loaded.problems);
      policy = loaded.policy;
    }
    return {
      service,
      store,
      policy,
      audit: createAudit({ logger: log.child({ component: 'audit' }), client, ...(config.auditChannel ? { channel: config.auditChannel } : {}) }),
      logger: log,
      now: () => new Date(),
      fetch: (url, init) => fetch(url, init),
      metrics,
      submissionBudgetMs: 2_200,
    };
  };

  if (!config.slack) {
    // No Slack: the same Slack layer, played locally in the terminal.
    const slack = newLoopbackSlack(userInfo().username || 'you');
    const local = await startSlackApp(
      {
        settings: { botToken: 'xoxb-local-console', signingSecret: undefined, appToken: undefined, apiUrl: slack.apiUrl },
        http: config.http,
        deps: (client) => ({ ...makeDeps(client), fetch: (url, init) => slack.fetch(url, init) }),
        fetch: slack.fetch,
        receiver: slack.receiver,
      },
      log,
    );
    log.info('no Slack credentials: running the local console (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN, to connect to Slack)');
    const io = terminalIO();
    await new ConsoleSession(slack, io).run();
    io.close();
    await local.stop();
    await shutdown(connection, demo);
    await store.close();
    await shared?.close();
    return 0;
  }

  let slackClient: WebClient | undefined;
  const readiness = new Readiness([
    { name: 'openstack', run: async () => `project ${(await connection.client.scope()).projectName ?? '?'}, ${(await service.listPools()).ok ? 'pools readable' : 'pools unreadable'}` },
    {
      name: 'slack',
      run: async () => {
        if (!slackClient) throw new Error('not started');
        const auth = await slackClient.auth.test();
        return `team ${auth.team ?? auth.team_id ?? '?'}`;
      },
    },
  ]);
  const running = await startSlackApp(
    {
      settings: config.slack,
      http: config.http,
      deps: (client) => {
        slackClient = client;
        return makeDeps(client);
      },
      ops: { routes: opsRoutes(readiness, metrics), metrics, inFlight },
    },
    log,
  ).catch((error: unknown) => {
    if (error instanceof PolicyFileError || error instanceof SlackStartError) return error;
    throw error;
  });
  if (running instanceof PolicyFileError || running instanceof SlackStartError) {
    await shutdown(connection, demo);
    await shared?.close();
    if (running instanceof SlackStartError) {
      log.error(running.message);
      return 1;
    }
    return reportProblems(log, running.problems);
  }
  for (const warning of policyWarnings(policy)) log.warn(warning);
  log.info('fipbot is running', {
    mode: config.slack.appToken ? 'socket' : 'http',
    ...(running.port ? { url: `http://${config.http.host}:${running.port}/slack/events` } : {}),
    policy: policy.describe(),
  });

  // Runs until SIGINT or SIGTERM (exit 0), or until it cannot go on (exit 1): Slack refused the app-level token
  // when reconnecting (Socket Mode, logged where it happened), or a promise rejection nobody handled (see above).
  let exitCode = 0;
  await new Promise<void>((resolve) => {
    stopRunning = (code) => {
      exitCode = Math.max(exitCode, code);
      resolve();
    };
    process.once('SIGINT', () => stopRunning?.(0));
    process.once('SIGTERM', () => stopRunning?.(0));
    void running.lost?.then(() => stopRunning?.(1));
  });
  // Graceful stop: /healthz and /readyz turn 503 so load balancers move away, the listener closes,
  // and work already acknowledged (changes in progress, results to post) finishes.
  readiness.shuttingDown = true;
  log.info('stopping: no new requests, finishing those in flight', { inFlight: inFlight.size });
  await running.stop();
  const left = await inFlight.drain(25_000);
  if (left > 0) log.warn('stopped with work still running', { inFlight: left });
  await shutdown(connection, demo);
  await store.close();
  await shared?.close();
  return exitCode;
}

/** Ends the running bot through its graceful stop, with this exit code (the highest asked for wins); set once it runs. */
let stopRunning: ((exitCode: number) => void) | undefined;

class PolicyFileError extends Error {
  constructor(readonly problems: Problem[]) {
    super('policy file problems');
  }
}

function loadPolicy(config: AppConfig, client: Parameters<typeof webApiUserGroups>[0], log: Logger): { ok: true; policy: Policy } | { ok: false; problems: Problem[] } {
  if (!config.policyFile) return { ok: true, policy: allowAll() };
  let text: string;
  try {
    text = readFileSync(config.policyFile, 'utf8');
  } catch (error) {
    return { ok: false, problems: [{ where: 'FIPBOT_POLICY_FILE', message: `cannot read ${config.policyFile}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
  const parsed = parsePolicy(text, config.policyFile);
  if (!parsed.ok) return parsed;
  return { ok: true, policy: createPolicy(parsed.rules, webApiUserGroups(client, log.child({ component: 'policy' }))) };
}

/**
 * The doctor's OpenStack checks, briefly, at start-up: problems are logged
 * with their next step but do not stop fipbot (the cloud may come back, and
 * users get explanations meanwhile). `npm run doctor` runs the full set.
 */
async function checkCloudAtStart(log: Logger, cloud: CloudConfig, connection: CloudConnection): Promise<void> {
  // Through the bot's own connection: the token the check obtains serves the first operations too.
  const report = await runDoctor({ env: process.env, cwd: process.cwd(), homeDir: homedir(), cloud, connection, groups: ['openstack'] });
  for (const check of report.checks) {
    if (check.status === 'fail') log.error(`start-up check failed: ${check.name}: ${check.detail}`, check.next ? { next: check.next } : {});
    if (check.status === 'warn') log.warn(`start-up check: ${check.name}: ${check.detail}`, check.next ? { next: check.next } : {});
  }
  if (report.ok) log.info('OpenStack checks passed', { checks: report.checks.map((check) => `${check.name}: ${check.detail}`) });
}

function reportProblems(log: Logger, problems: Problem[]): number {
  for (const problem of problems) log.error('configuration problem', { where: problem.where, problem: problem.message });
  log.error(`fipbot cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'} (listed above)`);
  return 1;
}

async function shutdown(connection: CloudConnection, demo: DemoCloud | undefined): Promise<void> {
  await connection.close();
  await demo?.close();
}

process.exitCode = await main();
