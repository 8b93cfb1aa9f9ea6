import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { auditText, createAudit, type AuditEvent } from '../../src/slack/audit.js';

const ATTACHED: AuditEvent = {
  team: 'T0001',
  user: 'U0789ALICE',
  userName: 'alice',
  channel: 'C0456OPS',
  channelName: 'ops',
  action: 'attach',
  ip: '192.168.100.23',
  instance: 'web-1',
  fixedIp: '10.0.0.5',
  pool: 'public',
  outcome: 'done',
  requestId: 'req-5f1c',
  via: 'button',
};

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ write: (line) => lines.push(line), now: () => new Date('2026-11-28T10:00:00Z') });
  return { lines, logger };
}

function channelClient(
  post: (args: { channel: string; text: string; blocks?: unknown[] }) => Promise<unknown> = () => Promise.resolve({ ok: true }),
) {
  const posted: Array<{ channel: string; text: string; blocks?: unknown[] }> = [];
  return {
    posted,
    chat: {
      postMessage: (args: { channel: string; text: string; blocks?: unknown[] }) => {
        posted.push(args);
        return post(args);
      },
    },
  };
}

describe('the audit log line', () => {
  it('is one line with every field of the event, in a fixed order', async () => {
    const { lines, logger } = capture();
    await createAudit({ logger }).record(ATTACHED);
    expect(lines).toEqual([
      '{"time":"2026-11-28T10:00:00.000Z","level":"info","msg":"audit","team":"T0001","user":"U0789ALICE","userName":"alice",' +
        '"channel":"C0456OPS","channelName":"ops","action":"attach","ip":"192.168.100.23","instance":"web-1","fixedIp":"10.0.0.5",' +
        '"pool":"public","outcome":"done","failureCode":null,"requestId":"req-5f1c","via":"button",' +
        '"approver":null,"approverName":null}',
    ]);
  });

  it('keeps the same fields when the event lacks some, with null for the missing ones', async () => {
    const { lines, logger } = capture();
    await createAudit({ logger }).record({
      team: 'T0001',
      user: 'U0789ALICE',
      action: 'create',
      outcome: 'failed',
      failureCode: 'quota_exceeded',
      via: 'command',
    });
    expect(lines).toEqual([
      '{"time":"2026-11-28T10:00:00.000Z","level":"info","msg":"audit","team":"T0001","user":"U0789ALICE","userName":null,' +
        '"channel":null,"channelName":null,"action":"create","ip":null,"instance":null,"fixedIp":null,' +
        '"pool":null,"outcome":"failed","failureCode":"quota_exceeded","requestId":null,"via":"command",' +
        '"approver":null,"approverName":null}',
    ]);
  });

  it('carries only the audit fields, even when the caller passes a wider object', async () => {
    const { lines, logger } = capture();
    const wider = { ...ATTACHED, token: 'xoxb-not-for-logs' };
    await createAudit({ logger }).record(wider);
    expect(Object.keys(JSON.parse(lines[0]!) as object)).not.toContain('token');
  });
});

describe('the copy in the audit channel', () => {
  it('is posted with a readable top-level text when a channel is configured', async () => {
    const client = channelClient();
    await createAudit({ logger: capture().logger, client, channel: 'C0999AUDIT' }).record(ATTACHED);
    expect(client.posted).toHaveLength(1);
    expect(client.posted[0]).toMatchObject({
      channel: 'C0999AUDIT',
      text: 'alice attached 192.168.100.23 to web-1 (fixed IP 10.0.0.5) (request req-5f1c)',
    });
    expect(client.posted[0]!.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'alice attached 192.168.100.23 to web-1 (fixed IP 10.0.0.5) (request req-5f1c)' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'user U0789ALICE · in <#C0456OPS> · via button · team T0001' }] },
    ]);
  });

  it('is not posted when no channel is configured, even with a client', async () => {
    const client = channelClient();
    await createAudit({ logger: capture().logger, client }).record(ATTACHED);
    expect(client.posted).toEqual([]);
  });

  it('says what went wrong when the change did not happen, with the failure code', async () => {
    const client = channelClient();
    const audit = createAudit({ logger: capture().logger, client, channel: 'C0999AUDIT' });
    await audit.record({
      team: 'T0001',
      user: 'U0789ALICE',
      action: 'release',
      ip: '192.168.100.23',
      outcome: 'refused',
      failureCode: 'not_allowed',
      via: 'command',
    });
    await audit.record({
      team: 'T0001',
      user: 'U0789ALICE',
      action: 'create',
      pool: 'public',
      outcome: 'unknown',
      failureCode: 'openstack_timeout',
      via: 'modal',
    });
    expect(client.posted.map((post) => post.text)).toEqual([
      'U0789ALICE tried to release 192.168.100.23: refused (not_allowed)',
      'U0789ALICE tried to create a floating IP from pool public: outcome unknown, check the cloud (openstack_timeout)',
    ]);
  });

  it('escapes names from the cloud so an instance called <!channel> notifies nobody', async () => {
    const client = channelClient();
    await createAudit({ logger: capture().logger, client, channel: 'C0999AUDIT' }).record({
      ...ATTACHED,
      instance: '<!channel> & co',
      fixedIp: undefined,
      requestId: undefined,
    });
    expect(client.posted[0]!.text).toBe('alice attached 192.168.100.23 to &lt;!channel&gt; &amp; co');
  });

  it('logs a failing post with the Slack error and a hint, and record() still resolves', async () => {
    const { lines, logger } = capture();
    const failure = Object.assign(new Error('An API error occurred: not_in_channel'), {
      code: 'slack_webapi_platform_error',
      data: { ok: false, error: 'not_in_channel' },
    });
    const client = channelClient(() => Promise.reject(failure));
    await expect(createAudit({ logger, client, channel: 'C0999AUDIT' }).record(ATTACHED)).resolves.toBeUndefined();
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: 'audit', outcome: 'done' });
    expect(JSON.parse(lines[1]!)).toMatchObject({
      level: 'warn',
      msg: 'audit channel copy failed; the audit log line stands',
      auditChannel: 'C0999AUDIT',
      slackError: 'not_in_channel',
      hint: 'invite the bot to the audit channel',
      requestId: 'req-5f1c',
    });
  });
});

describe('the audit trail of a two-person approval', () => {
  const RELEASE: AuditEvent = {
    team: 'T0001',
    user: 'U0789ALICE',
    userName: 'alice',
    channel: 'C0456OPS',
    action: 'release',
    ip: '192.168.100.23',
    pool: 'public',
    outcome: 'requested',
    via: 'command',
  };
  const BOB = { approver: 'U0790BOB00', approverName: 'bob' };

  it('words every step for the audit channel, naming both people and never mentioning them', () => {
    expect(auditText(RELEASE)).toBe('alice asked for approval to release 192.168.100.23');
    expect(auditText({ ...RELEASE, ...BOB, outcome: 'approved' })).toBe("bob approved alice's request to release 192.168.100.23");
    expect(auditText({ ...RELEASE, ...BOB, outcome: 'denied' })).toBe(
      "bob denied alice's request to release 192.168.100.23: nothing changed",
    );
    expect(auditText({ ...RELEASE, outcome: 'expired' })).toBe(
      "alice's request to release 192.168.100.23 expired unapproved: nothing changed",
    );
    expect(auditText({ ...RELEASE, outcome: 'cancelled' })).toBe(
      'alice cancelled their request to release 192.168.100.23: nothing changed',
    );
    expect(auditText({ ...RELEASE, ...BOB, outcome: 'done', requestId: 'req-1' })).toBe(
      'alice released 192.168.100.23, approved by bob (request req-1)',
    );
    expect(auditText({ ...RELEASE, ...BOB, outcome: 'refused', failureCode: 'changed_concurrently' })).toBe(
      'alice tried to release 192.168.100.23, approved by bob: refused (changed_concurrently)',
    );
  });

  it('logs the approver in the line of the change it approved', async () => {
    const { lines, logger } = capture();
    await createAudit({ logger }).record({ ...RELEASE, ...BOB, outcome: 'done' });
    expect(JSON.parse(lines[0]!)).toMatchObject({ outcome: 'done', user: 'U0789ALICE', approver: 'U0790BOB00', approverName: 'bob' });
  });
});
