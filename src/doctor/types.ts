/**
 * What `npm run doctor` reports: one result per check, in the order they ran.
 * Plain data, so the same report prints as text, as JSON, or feeds a
 * start-up log.
 */

/**
 * ok: works. warn: works, but worth a look (does not fail the run).
 * fail: blocks the bot. skip: not checked, because something it depends on
 * failed or is not configured (the detail says which).
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export type CheckId =
  | 'settings'
  | 'cloud-config'
  | 'policy'
  | 'keystone'
  | 'catalog'
  | 'neutron'
  | 'nova'
  | 'pools'
  | 'quota'
  | 'slack-auth'
  | 'slack-scopes'
  | 'slack-socket-mode';

/** What each check is called in the report. */
export const CHECK_NAMES: Record<CheckId, string> = {
  settings: 'fipbot settings',
  'cloud-config': 'cloud configuration',
  policy: 'policy file',
  keystone: 'Keystone authentication',
  catalog: 'service catalog',
  neutron: 'Neutron API',
  nova: 'Nova API',
  pools: 'floating-IP pools',
  quota: 'floating-IP quota',
  'slack-auth': 'Slack bot token',
  'slack-scopes': 'Slack scopes',
  'slack-socket-mode': 'Slack Socket Mode',
};

/**
 * Why a check failed. configuration: the cloud answered and said no, or is
 * not that API at all (a wrong password, an auth_url that answers 404):
 * waiting will not fix it, the settings must change. outage: no usable
 * answer (unreachable, timed out, 5xx): the cloud may come back by itself.
 */
export type FailureCause = 'configuration' | 'outage';

export interface CheckResult {
  /** Stable key, for scripts reading the JSON. */
  id: CheckId;
  /** What was checked, in a few words. */
  name: string;
  status: CheckStatus;
  /** What was found, in one sentence. */
  detail: string;
  /** The problems or facts behind the detail, one per entry (configuration problems, missing scopes...). */
  items?: string[];
  /** For a problem: what to do next, in plain words. */
  next?: string;
  /** For a failed OpenStack exchange: whether the settings are wrong or the cloud is not answering. */
  cause?: FailureCause;
  /** How long the network exchange behind the check took (Keystone, Neutron, Nova, Slack). */
  durationMs?: number;
}

export interface DoctorReport {
  /** True when nothing blocks the bot (warnings allowed). */
  ok: boolean;
  /** 0 when ok, 1 otherwise: what the CLI exits with. */
  exitCode: 0 | 1;
  counts: Record<CheckStatus, number>;
  checks: CheckResult[];
}

/** Check groups, for callers that want a brief run (the app at start-up). */
export type CheckGroup = 'configuration' | 'openstack' | 'slack';
