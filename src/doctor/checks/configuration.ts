/**
 * Check 1: the configuration is found and valid. fipbot's own settings
 * (environment), the cloud (clouds.yaml / OS_*), and the policy file when
 * FIPBOT_POLICY_FILE names one. Every problem is listed; the loaders never
 * put a secret value into a problem.
 */
import { resolve } from 'node:path';
import { type AppConfig, loadAppConfig } from '../../config/settings.js';
import type { CloudConfig } from '../../openstack/cloud-config.js';
import { describeCloud, loadCloudConfig } from '../../openstack/clouds.js';
import { createPolicy, policyWarnings } from '../../slack/policy/engine.js';
import { loadPolicyFile } from '../../slack/policy/file.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';
import { problemLines } from '../../config/problem.js';

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

export function checkSettings(env: Record<string, string | undefined>): { result: CheckResult; config: AppConfig | undefined } {
  const loaded = loadAppConfig(env);
  if (!loaded.ok) {
    return {
      config: undefined,
      result: {
        id: 'settings',
        name: CHECK_NAMES.settings,
        status: 'fail',
        detail: `${count(loaded.problems.length, 'problem')} in fipbot's environment variables`,
        items: problemLines(loaded.problems),
        next: 'Fix each variable listed, then run npm run doctor again.',
      },
    };
  }
  const config = loaded.config;
  const slack = config.slack;
  const mode = !slack
    ? 'no Slack credentials (fipbot would run its local console only)'
    : slack.appToken
      ? 'Slack over Socket Mode'
      : `Slack over HTTP, listening on ${config.http.host}:${config.http.port}`;
  return {
    config,
    result: { id: 'settings', name: CHECK_NAMES.settings, status: 'ok', detail: `${mode}; log level ${config.logLevel}` },
  };
}

export interface CloudConfigOutcome {
  result: CheckResult;
  /** The cloud to check; undefined when there is none (invalid, or nothing configured). */
  cloud: CloudConfig | undefined;
}

export function checkCloudConfig(options: {
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  /** A cloud given by the caller (the embedded demo cloud at start-up): no loading. */
  cloud?: CloudConfig;
}): CloudConfigOutcome {
  const name = CHECK_NAMES['cloud-config'];
  if (options.cloud)
    return { cloud: options.cloud, result: { id: 'cloud-config', name, status: 'ok', detail: describeCloud(options.cloud) } };
  const loaded = loadCloudConfig({ env: options.env, cwd: options.cwd, homeDir: options.homeDir });
  if (!loaded.ok) {
    return {
      cloud: undefined,
      result: {
        id: 'cloud-config',
        name,
        status: 'fail',
        detail: `${count(loaded.problems.length, 'problem')} in the cloud configuration (clouds.yaml or OS_* variables)`,
        items: problemLines(loaded.problems),
        next: 'Fix each setting listed (README.md, "Configuring the cloud"), then run npm run doctor again.',
      },
    };
  }
  if (!loaded.cloud) {
    return {
      cloud: undefined,
      result: {
        id: 'cloud-config',
        name,
        status: 'warn',
        detail: 'none: no clouds.yaml and no OS_* variables, so fipbot would use its embedded demo cloud (nothing real to check)',
        next: 'To use your cloud, set OS_CLOUD (with a clouds.yaml) or source your openrc file, then run npm run doctor again.',
      },
    };
  }
  const cloud = loaded.cloud;
  // describeCloud says "from environment (OS_*)"; operators know them as the OS_* variables.
  const detail = cloud.source.startsWith('environment')
    ? describeCloud(cloud).replace(`from ${cloud.source}`, 'from the OS_* variables')
    : describeCloud(cloud);
  return { cloud, result: { id: 'cloud-config', name, status: 'ok', detail } };
}

export interface PolicyOutcome {
  result: CheckResult;
  /** A valid policy names a user group: Slack must grant usergroups:read. */
  usesUserGroups: boolean;
}

/** `cloud`: the configured cloud's name (an approval rule naming clouds matches it), undefined when it has none. */
export function checkPolicy(env: Record<string, string | undefined>, cwd: string, cloud?: string): PolicyOutcome {
  const name = CHECK_NAMES.policy;
  const file = env.FIPBOT_POLICY_FILE?.trim();
  if (!file) {
    return {
      usesUserGroups: false,
      result: {
        id: 'policy',
        name,
        status: 'ok',
        detail: 'not set (FIPBOT_POLICY_FILE): every member of the workspace may use every action',
      },
    };
  }
  const path = resolve(cwd, file);
  const parsed = loadPolicyFile(path);
  if (!parsed.ok && parsed.readError) {
    return {
      usesUserGroups: false,
      result: {
        id: 'policy',
        name,
        status: 'fail',
        detail: `cannot read ${path} (${parsed.readError}), named by FIPBOT_POLICY_FILE`,
        next: 'Point FIPBOT_POLICY_FILE at a readable file, or unset it to let everyone do everything.',
      },
    };
  }
  if (!parsed.ok) {
    return {
      usesUserGroups: false,
      result: {
        id: 'policy',
        name,
        status: 'fail',
        detail: `${count(parsed.problems.length, 'problem')} in the policy file ${path}`,
        items: problemLines(parsed.problems),
        next: 'Fix each entry listed (the comment at the top of src/slack/policy/engine.ts shows the format), then run npm run doctor again.',
      },
    };
  }
  // Only the rules matter here: the directory is never asked.
  const policy = createPolicy(parsed.rules, { membersOf: () => Promise.reject(new Error('not used by the doctor')) });
  const warnings = policyWarnings(policy, { cloud });
  return {
    usesUserGroups: policy.usesUserGroups(),
    result: {
      id: 'policy',
      name,
      status: warnings.length > 0 ? 'warn' : 'ok',
      detail: policy.describe(),
      ...(warnings.length > 0
        ? {
            items: warnings,
            next: 'This is what the policy allows; if it is more than you meant, narrow the actions listed in the policy file.',
          }
        : {}),
    },
  };
}
