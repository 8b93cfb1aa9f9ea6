/**
 * What `npm start` does, given the process around it as plain values (so the
 * tests run it in-process): load the configuration (environment,
 * clouds.yaml, the policy file), build the bot with createFipbot, run it
 * (Slack, or the local console without Slack credentials) until asked to
 * stop, and return the exit code.
 *
 *   no OpenStack configured -> the embedded demo cloud, said plainly
 *   Slack credentials       -> the Bolt app (HTTP, or Socket Mode with SLACK_APP_TOKEN)
 */
import { resolve } from 'node:path';
import type { Problem } from './config/problem.js';
import { redisUrlSecrets } from './config/redis-url.js';
import { loadAppConfig } from './config/settings.js';
import { PRODUCTION_TIMING, type Timing, timingFor } from './config/timing.js';
import { CloudRefusedError, createFipbot, type Fipbot } from './fipbot.js';
import { chooseLogFormat, createLogger, type Logger } from './log.js';
import type { CloudConfig } from './openstack/cloud-config.js';
import { loadCloudConfig } from './openstack/clouds.js';
import { type ConfiguredClouds, loadCloudsFile } from './clouds/config.js';
import { shapeRedactor } from './openstack/redact.js';
import { SlackStartError } from './slack/app.js';
import type { PolicyRules } from './slack/policy/engine.js';
import { loadPolicyFile } from './slack/policy/file.js';

export interface Host {
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  /** The console's person. */
  userName: string;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves with an exit code when the process is asked to stop (SIGINT, SIGTERM: 0). */
  stopRequested: Promise<number>;
  /** Where a promise rejection nobody handled is reported. */
  onUnhandledRejection(handler: (reason: unknown) => void): void;
  /** The profile the settings adjust; default production. Tests compress it. */
  timing?: Timing;
}

export async function run(host: Host): Promise<number> {
  const loadedSettings = loadAppConfig(host.env);
  // The console owns stdout: its logs go to stderr, and only warnings unless LOG_LEVEL asks for more.
  const consoleMode = loadedSettings.ok && !loadedSettings.config.slack;
  const level = loadedSettings.ok ? (consoleMode && !host.env.LOG_LEVEL ? 'warn' : loadedSettings.config.logLevel) : 'info';
  // Secrets known from the start never reach a log line, whatever prints them (the cloud's are added once it is loaded).
  for (const secret of [host.env.SLACK_BOT_TOKEN, host.env.SLACK_SIGNING_SECRET, host.env.SLACK_APP_TOKEN]) shapeRedactor.addSecret(secret);
  const out = consoleMode ? host.stderr : host.stdout;
  const format = chooseLogFormat(host.env.LOG_FORMAT, out);
  const log = createLogger({ level, format, write: (line: string) => out.write(`${line}\n`) });

  // The last resort for a rejected promise nobody handled (a library's timer, a forgotten catch). Node's default
  // prints the stack unredacted (it may hold a token) and exits at once, cutting off work in flight. Instead: one
  // redacted log line, then exit 1 all the same (the process is in a state nobody planned for, and an orchestrator
  // should see it), through the graceful stop once the bot runs.
  // The highest exit code asked for wins (a rejection during a stop still makes it 1).
  let exitCode = 0;
  let stop: (code: number) => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = (code) => {
      exitCode = Math.max(exitCode, code);
      resolve();
    };
  });
  void host.stopRequested.then((code) => stop(code));
  host.onUnhandledRejection((reason) => {
    log.error('unhandled promise rejection: stopping (a bug; please report it)', {
      error: reason,
      ...(reason instanceof Error && reason.stack ? { stack: reason.stack } : {}),
    });
    stop(1);
  });

  // FIPBOT_CONFIG: several clouds from clouds.yaml by name; without it OS_CLOUD / OS_* give the one cloud, as always.
  const cloudsFile = host.env.FIPBOT_CONFIG?.trim() || undefined;
  const loadOptions = { env: host.env, cwd: host.cwd, homeDir: host.homeDir };
  const several = cloudsFile ? loadCloudsFile(resolve(host.cwd, cloudsFile), loadOptions) : undefined;
  const cloud = several ? ({ ok: true, cloud: null } as const) : loadCloudConfig(loadOptions);
  // Read even when other settings have problems, so that every problem is reported at once.
  const policyFile = host.env.FIPBOT_POLICY_FILE?.trim() || undefined;
  const policy = policyFile ? loadPolicyFile(resolve(host.cwd, policyFile)) : undefined;
  const problems = [
    ...(loadedSettings.ok ? [] : loadedSettings.problems),
    ...(cloud.ok ? [] : cloud.problems),
    ...(several && !several.ok ? several.problems : []),
    ...(policy && !policy.ok ? policy.problems : []),
    ...(policy?.ok ? policyCloudProblems(policy.rules, several?.ok ? several.clouds : undefined) : []),
  ];
  if (problems.length > 0 || !loadedSettings.ok || !cloud.ok || (several && !several.ok)) return reportProblems(log, problems);
  const settings = loadedSettings.config;
  const configured = several?.ok ? several.clouds : undefined;
  const clouds = configured ? configured.clouds.map((entry) => entry.config) : [cloud.cloud ?? undefined];
  for (const secret of [...clouds.flatMap(cloudSecrets), ...(settings.redisUrl ? redisUrlSecrets(settings.redisUrl) : [])])
    shapeRedactor.addSecret(secret);
  const rules: PolicyRules | undefined = policy?.ok ? policy.rules : undefined;

  let fipbot: Fipbot;
  try {
    fipbot = await createFipbot(
      { settings, cloud: cloud.cloud ?? undefined, policy: rules, ...(configured ? { clouds: configured } : {}) },
      timingFor(settings, host.timing ?? PRODUCTION_TIMING),
      {
        logger: log,
        consoleUser: host.userName,
      },
    );
  } catch (error) {
    // REDIS_URL unreachable or refused: the message names it, never its password.
    log.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
  // A stop asked for while starting (a long cloud check, Slack unreachable) is not kept waiting for the start.
  const started = await Promise.race([
    fipbot.start().then(
      () => 'started' as const,
      (error: unknown) => error,
    ),
    stopped.then(() => 'stopped' as const),
  ]);
  if (started !== 'started') {
    await fipbot.stop();
    if (started === 'stopped') return exitCode;
    // Slack or Keystone refusing the bot says what to check; anything else (a port in use...) is said as plainly, redacted.
    log.error(
      started instanceof SlackStartError || started instanceof CloudRefusedError
        ? started.message
        : `fipbot could not start: ${started instanceof Error ? started.message : String(started)}`,
    );
    return 1;
  }

  if (fipbot.console) {
    log.info(
      'no Slack credentials: running the local console (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN, to connect to Slack)',
    );
    const [{ ConsoleSession }, { terminalIO }] = await Promise.all([import('./console/console.js'), import('./console/terminal.js')]);
    const io = terminalIO(host.stdin, host.stdout);
    await Promise.race([new ConsoleSession(fipbot.console, io).run(), stopped]);
    io.close();
    await fipbot.stop();
    return exitCode;
  }

  // Runs until asked to stop (exit 0), or until it cannot go on (exit 1): Slack refused the app-level token when
  // reconnecting (Socket Mode, logged where it happened), or a promise rejection nobody handled (see above).
  void fipbot.lost?.then(() => stop(1));
  await stopped;
  await fipbot.stop();
  return exitCode;
}

/**
 * The password or application-credential secret a cloud authenticates with. As the doctor does, values
 * under 8 characters are left to the shape rules: the demo cloud's password is "demo", its project's name too.
 */
function cloudSecrets(cloud: CloudConfig | undefined): string[] {
  if (!cloud) return [];
  const secret = cloud.auth.type === 'password' ? cloud.auth.password : cloud.auth.secret;
  return secret && secret.length >= 8 ? [secret] : [];
}

/** The policy's per-cloud sections name clouds FIPBOT_CONFIG defines (none without it). */
function policyCloudProblems(rules: PolicyRules, clouds: ConfiguredClouds | undefined): Problem[] {
  const known = clouds?.clouds.map((entry) => entry.name) ?? [];
  return Object.keys(rules.clouds ?? {})
    .filter((name) => !known.includes(name))
    .map((name) => ({
      where: `${rules.source}: clouds.${name}`,
      message: known.length
        ? `no cloud "${name}" in FIPBOT_CONFIG (its clouds: ${known.join(', ')})`
        : `names cloud "${name}", but FIPBOT_CONFIG (several clouds) is not set`,
    }));
}

function reportProblems(log: Logger, problems: Problem[]): number {
  for (const problem of problems) log.error('configuration problem', { where: problem.where, problem: problem.message });
  log.error(`fipbot cannot start: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'} (listed above)`);
  return 1;
}
