/**
 * The approval messages (src/slack/blocks/approval.ts) for every kind of
 * change and every name case: inside Block Kit's limits, with a text for
 * phones, names from the cloud escaped, and the request's one primary button.
 */
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_REPLIES,
  approvalRequestMessage,
  clockTime,
  decidedRequest,
  OUTCOME,
  waitingMessage,
  withApproval,
} from '../../../src/slack/blocks/approval.js';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { section } from '../../../src/slack/blocks/text.js';
import {
  ACTOR,
  buttonsOf,
  everyChange,
  expectMessage,
  mrkdwnTexts,
  NAME_CASES,
  NAME_SETS,
  operationOf,
  OWNER,
  world,
} from '../../support/slack/builder-fixtures.js';

// The mentions the safe-text check allows are the fixtures' own people (ACTOR, OWNER): the requester and the approver here.
const BOB = OWNER;
const APPROVERS = `<@${OWNER}>`;
const EXPIRES = Date.parse('2026-12-03T10:30:00Z');
const VALUE = { t: 'tok-0123456789abcdefghij', e: EXPIRES };

describe.each(NAME_CASES)('approval messages with %s names', (_case, names) => {
  const w = world(names);

  it('keeps the request, the waiting line and every outcome inside the limits, for every kind of change', () => {
    for (const [what, change] of everyChange(w)) {
      const operation = operationOf(change);
      const request = approvalRequestMessage({
        operation,
        plan: change.plan,
        requester: ACTOR,
        approvers: APPROVERS,
        expiresAt: EXPIRES,
        value: VALUE,
      });
      expect(() => expectMessage(request), what).not.toThrow();
      expect(() => expectMessage(waitingMessage(operation.summary(change.plan), APPROVERS, EXPIRES, VALUE)), what).not.toThrow();
      for (const line of [OUTCOME.working(BOB), OUTCOME.done(BOB), OUTCOME.denied(BOB), OUTCOME.cancelled(ACTOR), OUTCOME.expired(EXPIRES)])
        expect(() => expectMessage(decidedRequest(request.blocks, request.text, [section(line)])), what).not.toThrow();
      expect(() => expectMessage(APPROVAL_REPLIES.done(BOB, operation.summary(change.plan))), what).not.toThrow();
      expect(() => expectMessage(APPROVAL_REPLIES.denied(BOB, operation.summary(change.plan))), what).not.toThrow();
    }
  });
});

describe('the approval request', () => {
  const w = world(NAME_SETS.realistic);
  const change = w.plans.release(w.onInstance);
  const operation = operationOf(change);
  const request = approvalRequestMessage({
    operation,
    plan: change.plan,
    requester: ACTOR,
    approvers: APPROVERS,
    expiresAt: EXPIRES,
    value: VALUE,
  });

  it('says who asked, exactly what the confirmation said would change, who may approve and until when', () => {
    expect(request.text).toBe(`<@${ACTOR}> asks for approval: ${operation.summary(change.plan)} (until 10:30 UTC)`);
    const texts = mrkdwnTexts(request).join('\n');
    for (const line of operation.changes(change.plan)) expect(texts).toContain(line);
    expect(texts).toContain(`Who may approve: ${APPROVERS}.`);
    expect(clockTime(EXPIRES)).toBe('10:30 UTC');
  });

  it('has Approve as its one primary button and Deny beside it, both carrying the token and the expiry', () => {
    const buttons = buttonsOf(request.blocks) as Array<{ action_id: string; value: string; style?: string }>;
    expect(buttons.map((b) => [b.action_id, b.style])).toEqual([
      [ACTIONS.approve, 'primary'],
      [ACTIONS.deny, undefined],
    ]);
    for (const b of buttons) expect(JSON.parse(b.value)).toEqual(VALUE);
  });

  it('loses its buttons and keeps what was asked once decided', () => {
    const decided = decidedRequest(request.blocks, 'Denied', [section(OUTCOME.denied(BOB))]);
    expect(buttonsOf(decided.blocks)).toEqual([]);
    expect(decided.blocks.slice(0, -1)).toEqual(request.blocks.filter((b) => (b as { type: string }).type !== 'actions'));
  });

  it('escapes a name "<!channel>" in the request and the waiting line', () => {
    const hostile = world({ ...NAME_SETS.realistic, instance: '<!channel>' });
    const attach = hostile.plans.attach();
    const op = operationOf(attach);
    for (const message of [
      approvalRequestMessage({
        operation: op,
        plan: attach.plan,
        requester: ACTOR,
        approvers: APPROVERS,
        expiresAt: EXPIRES,
        value: VALUE,
      }),
      waitingMessage(op.summary(attach.plan), APPROVERS, EXPIRES, VALUE),
      APPROVAL_REPLIES.done(BOB, op.summary(attach.plan)),
    ]) {
      for (const text of mrkdwnTexts(message)) expect(text).not.toContain('<!channel>');
      expect(message.text).not.toContain('<!channel>');
    }
  });

  it('names both people in the result', () => {
    const result = withApproval({ text: 'released 192.168.100.23 (by <@U0ACTOR01>)', blocks: [section('done')] }, ACTOR, BOB);
    expect(result.text).toBe(`released 192.168.100.23 (by <@${ACTOR}>) — asked by <@${ACTOR}>, approved by <@${BOB}>`);
    expect(mrkdwnTexts(result)).toContain(`Asked by <@${ACTOR}>, approved by <@${BOB}>.`);
  });
});
