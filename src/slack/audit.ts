/**
 * The audit trail: every change (create, attach, detach, release), whatever its outcome, becomes ONE log line
 * `{"msg":"audit",...}` with the same fields every time (null when unknown), so a log query never guesses which keys exist.
 * With FIPBOT_AUDIT_CHANNEL set, a copy goes to that channel for people who watch Slack rather than logs. The log line is
 * the record: a failing channel (bot not invited, scope missing, Slack down) is logged, never making a done change an error.
 * Also here: the description a floating IP the bot allocates carries, so someone looking at the cloud alone (Horizon,
 * `openstack floating ip list --long`) can see who asked for it and where.
 */

import type { Logger } from '../log.js';
import { escape as escapeText } from './blocks/text.js';
import { type ChangeName, changeNamed } from '../operations/registry.js';
import { slackErrorCode } from './deliver.js';

export interface AuditEvent {
  team: string;
  user: string;
  userName?: string;
  channel?: string;
  channelName?: string;
  /** The change operation (its registry name). */
  action: ChangeName;
  ip?: string;
  instance?: string;
  fixedIp?: string;
  pool?: string;
  /** The change's outcome; or a step of a two-person approval (requested, approved, denied, expired, cancelled). */
  outcome: 'done' | 'refused' | 'failed' | 'unknown' | ApprovalStep;
  failureCode?: string;
  /** X-Openstack-Request-Id of the request that made (or refused) the change. */
  requestId?: string;
  /** `lease`: fipbot itself, when a lease (`--for`) ended; `user` is the lease's owner. */
  via: 'command' | 'modal' | 'button' | 'home' | 'lease';
  /** The cloud acted on, when the bot serves several (FIPBOT_CONFIG). */
  cloud?: string;
  /** The second person, when the policy required approval: who approved (or denied) what `user` asked for. */
  approver?: string;
  approverName?: string;
}

export type ApprovalStep = 'requested' | 'approved' | 'denied' | 'expired' | 'cancelled';

export interface Audit {
  /** Never rejects. */
  record(event: AuditEvent): Promise<void>;
}

export interface AuditChannelClient {
  chat: { postMessage(args: { channel: string; text: string; blocks?: unknown[] }): Promise<unknown> };
}

/** What an operator should do about a failing audit channel, when we know. */
const POST_HINTS: Record<string, string> = {
  not_in_channel: 'invite the bot to the audit channel',
  channel_not_found: 'FIPBOT_AUDIT_CHANNEL must be the id (C…) of a channel the bot can see; for a private channel, invite the bot',
  is_archived: 'the audit channel is archived; unarchive it or set FIPBOT_AUDIT_CHANNEL to another channel',
  missing_scope: 'add the chat:write bot scope to the Slack app and reinstall it',
};

export function createAudit(options: { logger: Logger; client?: AuditChannelClient; channel?: string }): Audit {
  const { logger, client, channel } = options;
  if (channel && !client)
    logger.warn('audit channel set but no Slack client given: audit events go to the log only', { auditChannel: channel });
  return {
    async record(event) {
      try {
        logger.info('audit', auditFields(event));
      } catch {
        // A logger that throws has nowhere to report it; the channel copy may still work.
      }
      if (!client || !channel) return;
      try {
        const text = auditText(event);
        await client.chat.postMessage({ channel, text, blocks: auditBlocks(event, text) });
      } catch (error) {
        const slackError = slackErrorCode(error);
        const hint = POST_HINTS[slackError];
        try {
          logger.warn('audit channel copy failed; the audit log line stands', {
            auditChannel: channel,
            action: event.action,
            ip: event.ip ?? null,
            requestId: event.requestId ?? null,
            slackError,
            ...(hint ? { hint } : {}),
            error,
          });
        } catch {
          // As above: record() never rejects.
        }
      }
    },
  };
}

/** Every field, always, in this order: absent ones are null. */
function auditFields(event: AuditEvent): Record<string, unknown> {
  return {
    team: event.team,
    user: event.user,
    userName: event.userName ?? null,
    channel: event.channel ?? null,
    channelName: event.channelName ?? null,
    action: event.action,
    ip: event.ip ?? null,
    instance: event.instance ?? null,
    fixedIp: event.fixedIp ?? null,
    pool: event.pool ?? null,
    outcome: event.outcome,
    failureCode: event.failureCode ?? null,
    requestId: event.requestId ?? null,
    via: event.via,
    // Only with several clouds: a one-cloud bot's audit lines stay as they were.
    ...(event.cloud !== undefined ? { cloud: event.cloud } : {}),
    approver: event.approver ?? null,
    approverName: event.approverName ?? null,
  };
}

/**
 * The top-level `text` (what notifications show), e.g.
 * "alice attached 192.168.100.23 to web-1 (request req-1)". People appear by
 * name or id, never as <@U…>: a mention would notify them of their own action.
 */
export function auditText(event: AuditEvent): string {
  const who = escapeText(event.userName ?? event.user);
  const ip = event.ip === undefined ? undefined : escapeText(event.ip);
  const instance = event.instance === undefined ? undefined : escapeText(event.instance);
  const operation = changeNamed(event.action);
  const what = operation?.auditWhat({
    ...(ip !== undefined ? { ip } : {}),
    ...(instance !== undefined ? { instance } : {}),
    ...(event.fixedIp !== undefined ? { fixedIp: escapeText(event.fixedIp) } : {}),
    ...(event.pool !== undefined ? { pool: escapeText(event.pool) } : {}),
  });
  const code = event.failureCode ? ` (${escapeText(event.failureCode)})` : '';
  const request = `${event.cloud !== undefined ? ` on cloud ${escapeText(event.cloud)}` : ''}${event.requestId ? ` (request ${escapeText(event.requestId)})` : ''}`;
  const approver = event.approver === undefined ? undefined : escapeText(event.approverName ?? event.approver);
  const approved = approver === undefined ? '' : `, approved by ${approver}`;
  switch (event.outcome) {
    case 'done':
      return `${who} ${operation?.past ?? event.action} ${what}${approved}${request}`;
    case 'requested':
      return `${who} asked for approval to ${event.action} ${what}`;
    case 'approved':
      return `${approver ?? 'someone'} approved ${who}'s request to ${event.action} ${what}`;
    case 'denied':
      return `${approver ?? 'someone'} denied ${who}'s request to ${event.action} ${what}: nothing changed`;
    case 'expired':
      return `${who}'s request to ${event.action} ${what} expired unapproved: nothing changed`;
    case 'cancelled':
      return `${who} cancelled their request to ${event.action} ${what}: nothing changed`;
    case 'refused':
      return `${who} tried to ${event.action} ${what}${approved}: refused${code}${request}`;
    case 'failed':
      return `${who} tried to ${event.action} ${what}: failed${code}${request}`;
    case 'unknown':
      return `${who} tried to ${event.action} ${what}: outcome unknown, check the cloud${code}${request}`;
  }
}

function auditBlocks(event: AuditEvent, text: string): unknown[] {
  const details = [
    `user ${escapeText(event.user)}`,
    ...(event.approver ? [`approver ${escapeText(event.approver)}`] : []),
    // A channel mention renders the name and notifies nobody.
    ...(event.channel ? [`in <#${escapeText(event.channel)}>`] : []),
    `via ${event.via}`,
    `team ${escapeText(event.team)}`,
  ];
  return [
    { type: 'section', text: { type: 'mrkdwn', text } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: details.join(' · ') }] },
  ];
}
