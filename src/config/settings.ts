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
import { isTimeZone, parseSchedule, type Schedule } from '../jobs/schedule.js';

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
  /** FIPBOT_REPORT_*: the leak report posted in a channel on a schedule, in a time zone. Unset: no digest. */
  report: { channel: string; schedule: Schedule; timeZone: string } | undefined;
  /** FIPBOT_WATCH_*: changes made outside fipbot, posted in a channel. Unset: no watch. */
  watch: { channel: string; intervalMs: number } | undefined;
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
  const auditChannel = channelId('FIPBOT_AUDIT_CHANNEL', problems, env);
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

  const report = reportSettings(problems, env);
  const watchChannel = channelId('FIPBOT_WATCH_CHANNEL', problems, env);
  const watchIntervalMs = integer('FIPBOT_WATCH_INTERVAL_MS', 10_000, 86_400_000, PRODUCTION_TIMING.jobs.watchIntervalMs, problems, env);
  if (watchChannel === undefined && optional(env.FIPBOT_WATCH_INTERVAL_MS) !== undefined)
    problems.push({ where: 'FIPBOT_WATCH_INTERVAL_MS', message: 'is set, but FIPBOT_WATCH_CHANNEL (where to post) is not' });

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
      report,
      watch: watchChannel ? { channel: watchChannel, intervalMs: watchIntervalMs } : undefined,
    },
  };
}

/** A channel id (names change); undefined when unset. */
function channelId(name: string, problems: Problem[], env: Record<string, string | undefined>): string | undefined {
  const value = optional(env[name]);
  if (value !== undefined && !/^[CG][A-Z0-9]{2,}$/.test(value))
    problems.push({ where: name, message: `must be a channel id such as C0123456789 (names change), not "${value}"` });
  return value;
}

const DEFAULT_REPORT_SCHEDULE = 'mon 09:00';

/** The digest: a channel, a schedule (default Monday 09:00) and an IANA time zone (default UTC). */
function reportSettings(problems: Problem[], env: Record<string, string | undefined>): AppConfig['report'] {
  const channel = channelId('FIPBOT_REPORT_CHANNEL', problems, env);
  const scheduleText = optional(env.FIPBOT_REPORT_SCHEDULE);
  const timeZone = optional(env.FIPBOT_REPORT_TIMEZONE) ?? 'UTC';
  const schedule = parseSchedule(scheduleText ?? DEFAULT_REPORT_SCHEDULE);
  if (!schedule.ok) problems.push({ where: 'FIPBOT_REPORT_SCHEDULE', message: schedule.problem });
  if (!isTimeZone(timeZone))
    problems.push({
      where: 'FIPBOT_REPORT_TIMEZONE',
      message: `must be an IANA time zone such as Europe/Berlin or UTC, not "${timeZone}"`,
    });
  for (const name of ['FIPBOT_REPORT_SCHEDULE', 'FIPBOT_REPORT_TIMEZONE'])
    if (channel === undefined && optional(env[name]) !== undefined)
      problems.push({ where: name, message: 'is set, but FIPBOT_REPORT_CHANNEL (where to post the leak report) is not' });
  return channel && schedule.ok ? { channel, schedule: schedule.schedule, timeZone } : undefined;
}
