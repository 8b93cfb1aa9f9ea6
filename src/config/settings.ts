/**
 * fipbot's own settings, from the environment. The cloud comes from
 * clouds.yaml / OS_* (openstack/clouds.ts); this is everything else. Every
 * problem is reported at once, naming the variable; secret values are never
 * repeated back.
 */
import { z } from 'zod';
import { type Level, LOG_FORMATS, type LogFormat, parseLevel } from '../log.js';
import type { Problem } from './problem.js';
import { PRODUCTION_TIMING } from './timing.js';
import { checkRedisUrl } from './redis-url.js';

export interface SlackSettings {
  botToken: string;
  /** HTTP mode: Slack signs every request with it. */
  signingSecret: string | undefined;
  /** Socket Mode when set (xapp-...). */
  appToken: string | undefined;
  /** Web API base URL (GovSlack, tests); default Slack's. */
  apiUrl: string | undefined;
}

export interface AppConfig {
  /** Undefined when no Slack credentials are set: fipbot then runs its local console. */
  slack: SlackSettings | undefined;
  http: { port: number; host: string };
  auditChannel: string | undefined;
  logLevel: Level;
  /** Limits toward OpenStack. */
  openstack: { maxConcurrent: number; minTimeMs: number; timeoutMs: number; typeaheadCacheMs: number };
  /** FIPBOT_MAX_IN_FLIGHT: Slack requests worked on at once; beyond, a request is answered "busy" and not started. */
  maxInFlight: number;
  /** FIPBOT_NOT_READY_AFTER_MS: how long the cloud may fail before /readyz says not ready. */
  notReadyAfterMs: number;
  /** REDIS_URL: replicas share confirmations, double-tap claims and the OpenStack limit there. Unset: all in-process (one replica). */
  redisUrl: string | undefined;
}

const optional = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

const integer = (
  name: string,
  min: number,
  max: number,
  fallback: number,
  problems: Problem[],
  env: Record<string, string | undefined>,
): number => {
  const raw = optional(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push({ where: name, message: `must be a whole number from ${min} to ${max}, not "${raw}"` });
    return fallback;
  }
  return value;
};

const httpUrl = z.url({ protocol: /^https?$/ });

export function loadAppConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: AppConfig } | { ok: false; problems: Problem[] } {
  const problems: Problem[] = [];
  const botToken = optional(env.SLACK_BOT_TOKEN);
  const signingSecret = optional(env.SLACK_SIGNING_SECRET);
  const appToken = optional(env.SLACK_APP_TOKEN);
  let apiUrl = optional(env.SLACK_API_URL);

  if (botToken !== undefined && !botToken.startsWith('xoxb-'))
    problems.push({ where: 'SLACK_BOT_TOKEN', message: 'must be a bot token (it starts with xoxb-)' });
  if (appToken !== undefined && !appToken.startsWith('xapp-'))
    problems.push({ where: 'SLACK_APP_TOKEN', message: 'must be an app-level token (it starts with xapp-) with connections:write' });
  if (botToken === undefined && (signingSecret !== undefined || appToken !== undefined)) {
    problems.push({
      where: 'SLACK_BOT_TOKEN',
      message: 'missing: SLACK_SIGNING_SECRET or SLACK_APP_TOKEN is set, but the bot token is not',
    });
  }
  if (botToken !== undefined && signingSecret === undefined && appToken === undefined) {
    problems.push({
      where: 'SLACK_SIGNING_SECRET',
      message: 'missing: HTTP mode needs the signing secret (or set SLACK_APP_TOKEN for Socket Mode)',
    });
  }
  if (apiUrl !== undefined) {
    if (!httpUrl.safeParse(apiUrl).success)
      problems.push({ where: 'SLACK_API_URL', message: `must be an http(s) URL such as https://slack.com/api/, not "${apiUrl}"` });
    else if (!apiUrl.endsWith('/')) apiUrl = `${apiUrl}/`;
  }

  const port = integer('PORT', 1, 65_535, 3000, problems, env);
  const host = optional(env.HOST) ?? '127.0.0.1';
  const auditChannel = optional(env.FIPBOT_AUDIT_CHANNEL);
  if (auditChannel !== undefined && !/^[CG][A-Z0-9]{2,}$/.test(auditChannel)) {
    problems.push({
      where: 'FIPBOT_AUDIT_CHANNEL',
      message: `must be a channel id such as C0123456789 (names change), not "${auditChannel}"`,
    });
  }
  const level = optional(env.LOG_LEVEL);
  if (level !== undefined && !['debug', 'info', 'warn', 'error'].includes(level)) {
    problems.push({ where: 'LOG_LEVEL', message: `must be debug, info, warn or error, not "${level}"` });
  }
  // Read by run.ts before the settings are (its lines report their problems); checked here with the others.
  const format = optional(env.LOG_FORMAT);
  if (format !== undefined && !LOG_FORMATS.includes(format.toLowerCase() as LogFormat)) {
    problems.push({ where: 'LOG_FORMAT', message: `must be ${LOG_FORMATS.join(' or ')}, not "${format}"` });
  }
  const openstack = {
    maxConcurrent: integer('FIPBOT_OPENSTACK_MAX_CONCURRENT', 1, 100, 8, problems, env),
    minTimeMs: integer('FIPBOT_OPENSTACK_MIN_TIME_MS', 0, 10_000, 0, problems, env),
    timeoutMs: integer('FIPBOT_OPENSTACK_TIMEOUT_MS', 1_000, 300_000, PRODUCTION_TIMING.openstack.timeoutMs, problems, env),
    // How long one listing of the project's floating IPs answers typeahead keystrokes (0: every keystroke lists).
    typeaheadCacheMs: integer('FIPBOT_TYPEAHEAD_CACHE_MS', 0, 60_000, PRODUCTION_TIMING.caches.typeaheadTtlMs, problems, env),
  };

  const maxInFlight = integer('FIPBOT_MAX_IN_FLIGHT', 1, 100_000, 100, problems, env);
  const notReadyAfterMs = integer('FIPBOT_NOT_READY_AFTER_MS', 0, 3_600_000, PRODUCTION_TIMING.ops.notReadyAfterMs, problems, env);

  const redisUrl = optional(env.REDIS_URL);
  const redisProblem = redisUrl === undefined ? undefined : checkRedisUrl(redisUrl);
  if (redisProblem !== undefined) problems.push({ where: 'REDIS_URL', message: redisProblem });

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      slack: botToken ? { botToken, signingSecret, appToken, apiUrl } : undefined,
      http: { port, host },
      auditChannel,
      logLevel: parseLevel(level),
      openstack,
      maxInFlight,
      notReadyAfterMs,
      redisUrl,
    },
  };
}
