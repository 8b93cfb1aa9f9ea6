/**
 * `runDoctor`: can fipbot work, and what to do when not. Runs the checks in
 * order (configuration, OpenStack, Slack), skipping those that depend on a
 * failed one, and returns a plain report. Reads nothing global: the caller
 * passes the environment, the working and home directories (cli.ts passes
 * process.env, process.cwd() and the home directory).
 */
import type { AppConfig } from '../config/settings.js';
import { type CloudConnection, connectCloud } from '../openstack/cloud.js';
import type { CloudConfig } from '../openstack/cloud-config.js';
import { namedCloud } from '../openstack/clouds.js';
import type { TransportOptions } from '../openstack/http.js';
import { Redactor } from '../openstack/redact.js';
import { checkCatalog } from './checks/catalog.js';
import { checkCloudConfig, checkPolicy, checkSettings, type CloudConfigOutcome } from './checks/configuration.js';
import { checkKeystone } from './checks/keystone.js';
import { checkPools } from './checks/pools.js';
import { checkQuota } from './checks/quota.js';
import { checkService } from './checks/services.js';
import { checkSlackAuth, checkSlackScopes, checkSocketMode, type SlackCheckOptions } from './checks/slack.js';
import { DEFAULT_MANIFEST_PATH, readManifestScopes } from './manifest.js';
import { CHECK_NAMES, type CheckGroup, type CheckId, type CheckResult, type CheckStatus, type DoctorReport } from './types.js';

export interface DoctorOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  /** Check this cloud instead of loading one from clouds.yaml / OS_* (e.g. the embedded demo cloud at start-up). */
  cloud?: CloudConfig;
  /** Which groups to run, in their fixed order; default all. */
  groups?: readonly CheckGroup[];
  /** The Slack app manifest holding the bot scopes; default manifest.yml at the package root. */
  manifestPath?: string;
  /** Replaces fetch for Slack's Web API (tests). */
  slackFetch?: typeof fetch;
  /** Overrides for the OpenStack transport (tests shorten retry delays). */
  transport?: Partial<TransportOptions>;
}

const ALL_GROUPS: readonly CheckGroup[] = ['configuration', 'openstack', 'slack'];

function skipped(id: CheckId, reason: string): CheckResult {
  return { id, name: CHECK_NAMES[id], status: 'skip', detail: `not checked: ${reason}` };
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const groups = new Set(options.groups ?? ALL_GROUPS);
  const settings = checkSettings(options.env);
  const cloud = checkCloudConfig({
    env: options.env,
    cwd: options.cwd,
    homeDir: options.homeDir,
    ...(options.cloud ? { cloud: options.cloud } : {}),
  });
  const policy = checkPolicy(options.env, options.cwd, namedCloud(cloud.cloud));

  const checks: CheckResult[] = [];
  if (groups.has('configuration')) checks.push(settings.result, cloud.result, policy.result);
  if (groups.has('openstack')) checks.push(...(await openStackChecks(cloud, settings.config, options)));
  if (groups.has('slack')) checks.push(...(await slackChecks(settings.config, policy.usesUserGroups, options)));
  return report(checks, secretRedactor(options.env, cloud.cloud));
}

const OPENSTACK_CHECKS: readonly CheckId[] = ['keystone', 'catalog', 'neutron', 'nova', 'pools', 'quota'];

async function openStackChecks(outcome: CloudConfigOutcome, config: AppConfig | undefined, options: DoctorOptions): Promise<CheckResult[]> {
  const cloud = outcome.cloud;
  if (!cloud) {
    const reason = outcome.result.status === 'fail' ? 'the cloud configuration has problems (above)' : 'no cloud is configured';
    return OPENSTACK_CHECKS.map((id) => skipped(id, reason));
  }
  const limits = config?.openstack;
  const connection = connectCloud(cloud, {
    transport: {
      ...(limits
        ? {
            maxConcurrent: limits.maxConcurrent,
            minTimeMs: limits.minTimeMs,
            headersTimeoutMs: limits.timeoutMs,
            bodyTimeoutMs: limits.timeoutMs,
          }
        : {}),
      userAgent: 'fipbot-doctor/0.1',
      ...options.transport,
    },
  });
  try {
    return await checksThrough(connection, cloud);
  } finally {
    await connection.close();
  }
}

/**
 * The OpenStack checks through the bot's own connection, left open: what the
 * bot runs at start-up (its token then serves the first operations), without
 * reading the configuration again.
 */
export async function checkOpenStack(cloud: CloudConfig, connection: CloudConnection): Promise<DoctorReport> {
  return report(await checksThrough(connection, cloud), secretRedactor({}, cloud));
}

async function checksThrough(connection: CloudConnection, cloud: CloudConfig): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const keystone = await checkKeystone(connection);
  results.push(keystone.result);
  const token = keystone.token;
  if (!token) return [...results, ...OPENSTACK_CHECKS.slice(1).map((id) => skipped(id, 'Keystone authentication failed'))];

  const catalog = checkCatalog(token, cloud);
  results.push(catalog.result);
  const { network, compute } = catalog.endpoints;
  results.push(
    network
      ? await checkService(connection, 'network', network, token.projectId)
      : skipped('neutron', 'no network endpoint in the catalog'),
  );
  results.push(
    compute ? await checkService(connection, 'compute', compute, token.projectId) : skipped('nova', 'no compute endpoint in the catalog'),
  );

  const neutronAnswers = results.some((result) => result.id === 'neutron' && result.status === 'ok');
  if (!network || !neutronAnswers) {
    const reason = network ? 'Neutron does not answer' : 'no network endpoint in the catalog';
    return [...results, skipped('pools', reason), skipped('quota', reason)];
  }
  const project = { id: token.projectId, name: token.projectName ?? token.projectId };
  results.push(await checkPools(connection, network, project.name));
  results.push(await checkQuota(connection, network, project));
  return results;
}

async function slackChecks(config: AppConfig | undefined, usesUserGroups: boolean, options: DoctorOptions): Promise<CheckResult[]> {
  const botTokenSet = Boolean(options.env.SLACK_BOT_TOKEN?.trim());
  if (!botTokenSet) return [skipped('slack-auth', 'SLACK_BOT_TOKEN is not set, so fipbot would run its local console, not the Slack bot')];
  if (!config?.slack)
    return (['slack-auth', 'slack-scopes', 'slack-socket-mode'] as const).map((id) =>
      skipped(id, "fipbot's settings have problems (above)"),
    );

  const slackOptions: SlackCheckOptions = {
    settings: config.slack,
    usesUserGroups,
    manifest: readManifestScopes(options.manifestPath ?? DEFAULT_MANIFEST_PATH),
    ...(options.slackFetch ? { fetch: options.slackFetch } : {}),
  };
  const [auth, socketMode] = await Promise.all([checkSlackAuth(slackOptions), checkSocketMode(slackOptions)]);
  const scopes = auth.accepted ? checkSlackScopes(auth.scopes, slackOptions) : skipped('slack-scopes', 'Slack refused the bot token');
  return [auth.result, scopes, socketMode];
}

/**
 * The last line of defence: every secret the configuration holds is scrubbed
 * from the report, with the shapes of tokens and passwords. The checks never
 * put one there; this makes sure a message from a library cannot either.
 * Values shorter than 8 characters are left alone: the demo cloud's password
 * is "demo", also its user and project name.
 */
export function secretRedactor(env: Record<string, string | undefined>, cloud?: CloudConfig): Redactor {
  const redactor = new Redactor();
  const secrets = [
    env.OS_PASSWORD,
    env.OS_APPLICATION_CREDENTIAL_SECRET,
    env.SLACK_BOT_TOKEN,
    env.SLACK_SIGNING_SECRET,
    env.SLACK_APP_TOKEN,
    urlPassword(env.OS_AUTH_URL),
    urlPassword(env.REDIS_URL),
    cloud ? (cloud.auth.type === 'password' ? cloud.auth.password : cloud.auth.secret) : undefined,
    cloud ? urlPassword(cloud.auth.authUrl) : undefined,
  ];
  for (const secret of secrets) {
    const value = secret?.trim();
    if (value && value.length >= 8) redactor.addSecret(value);
  }
  return redactor;
}

function urlPassword(url: string | undefined): string | undefined {
  if (!url || !URL.canParse(url)) return undefined;
  const password = new URL(url).password;
  if (!password) return undefined;
  try {
    return decodeURIComponent(password);
  } catch {
    return password;
  }
}

function report(checks: CheckResult[], redactor: Redactor): DoctorReport {
  const scrub = (text: string) => redactor.redact(text);
  const clean = checks.map((check) => ({
    ...check,
    detail: scrub(check.detail),
    ...(check.items ? { items: check.items.map(scrub) } : {}),
    ...(check.next ? { next: scrub(check.next) } : {}),
  }));
  const counts: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of clean) counts[check.status]++;
  const ok = counts.fail === 0;
  return { ok, exitCode: ok ? 0 : 1, counts, checks: clean };
}
