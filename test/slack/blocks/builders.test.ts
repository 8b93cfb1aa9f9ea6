/**
 * Every Block Kit builder, fed realistic and extreme inputs, stays inside
 * Slack's limits (`assertWithinLimits`), keeps a meaningful top-level `text`
 * (phones show only that), and never lets a name from the cloud act as mrkdwn
 * markup: an instance called "<!channel>" is text, not an @channel.
 */
import { describe, expect, it } from 'vitest';
import { type Failure, failure, type Named } from '../../../src/floating-ips/failures.js';
import type { Diagnosis, FloatingIpList, FloatingIpView } from '../../../src/floating-ips/views.js';
import type { CommandName } from '../../../src/slack/commands/parse.js';
import { helpMessage, invalidCommandMessage } from '../../../src/slack/commands/help.js';
import { FORM_OPERATIONS, formOperation } from '../../../src/slack/flows/form.js';
import { homeErrorView, homeView } from '../../../src/slack/blocks/home.js';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { LIMITS } from '../../../src/slack/blocks/limits.js';
import { listMessage, PAGE_SIZE } from '../../../src/slack/blocks/list.js';
import {
  diagnosisMessage,
  expiredMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
} from '../../../src/slack/blocks/messages.js';
import { attachIpView, formView, loadingView, messageView } from '../../../src/slack/blocks/modals.js';
import { escape, escapeName } from '../../../src/slack/blocks/text.js';
import { formattedBySlack, MARKED_NAMES } from '../../support/slack/formatting.js';
import { renderText } from '../../support/slack/text.js';

import {
  ACTOR,
  expectListPages,
  alreadyAttachedMessage,
  bigList,
  addressesOf,
  buttonsOf,
  overflowsOf,
  cancelledMessage,
  confirmationMessage,
  confirmView,
  everyChange,
  everyFailure,
  failureBodies,
  expectHome,
  expectMessage,
  expectModal,
  IP,
  manyTargets,
  mrkdwnTexts,
  NAME_CASES,
  NAME_SETS,
  OTHER_IP,
  operationOf,
  NOW,
  refusalMessage,
  refusalView,
  resultMessage,
  wordsOf,
  workingMessage,
  world,
} from '../../support/slack/builder-fixtures.js';

describe.each(NAME_CASES)('builders with %s names', (_case, names) => {
  const w = world(names);

  it('keeps every confirmation message and view inside the limits, for every kind of change', () => {
    for (const [what, action] of everyChange(w)) {
      const message = confirmationMessage(action, 'tok-0123456789abcdef');
      expect(() => expectMessage(message), what).not.toThrow();
      expect(() => expectModal(confirmView(action, 'tok-0123456789abcdef')), what).not.toThrow();
      expectMessage(workingMessage(action));
      expectMessage(cancelledMessage(action));
    }
    expectMessage(alreadyAttachedMessage(w.plans.attach({ alreadyAttached: true })));
  });

  it('keeps every result message inside the limits, recovered ones with a request id included', () => {
    const attachPlan = w.plans.attach().plan;
    const movePlan = w.plans.attach({ moveFrom: w.onOther }).plan;
    const newPlan = w.plans.attach({ existing: false }).plan;
    const detachPlan = w.plans.detach(w.onInstance).plan;
    const detachRouterPlan = w.plans.detach(w.onRouter).plan;
    const releasePlan = w.plans.release(w.onInstance).plan;
    const requestId = 'req-b2ada7a5-d51d-441c-8270-47b9657db933';
    const results: Array<{ kind: 'allocate' | 'attach' | 'detach' | 'release'; result: unknown }> = [
      { kind: 'allocate', result: { floatingIp: w.fip(IP, null), poolChoice: 'requested', requestId, recovered: false } },
      { kind: 'allocate', result: { floatingIp: w.fip(IP, null), poolChoice: 'router_gateway', requestId: undefined, recovered: true } },
      { kind: 'attach', result: { plan: attachPlan, floatingIp: w.fip(IP, w.onInstance), requestId, recovered: false } },
      { kind: 'attach', result: { plan: movePlan, floatingIp: w.fip(IP, w.onInstance), requestId, recovered: true } },
      { kind: 'attach', result: { plan: newPlan, floatingIp: w.fip(IP, w.onInstance), requestId: undefined, recovered: false } },
      { kind: 'detach', result: { plan: detachPlan, floatingIp: w.fip(IP, null), requestId, recovered: false } },
      { kind: 'detach', result: { plan: detachRouterPlan, floatingIp: w.fip(IP, null), requestId, recovered: true } },
      { kind: 'release', result: { plan: releasePlan, requestId, recovered: false } },
      { kind: 'release', result: { plan: { ...releasePlan, attachedTo: null }, requestId: undefined, recovered: true } },
    ];
    for (const done of results) {
      const message = resultMessage(done, ACTOR);
      expect(() => expectMessage(message), `${done.kind}`).not.toThrow();
      expect(() => expectModal(messageView('Done', message)), `${done.kind}`).not.toThrow();
    }
  });

  it('keeps the refusal message and the refusal view of every failure code inside the limits', () => {
    for (const [what, failed, operation] of everyFailure(w, names)) {
      expect(() => expectMessage(refusalMessage(failed, operation)), what).not.toThrow();
      expect(() => expectModal(refusalView(failed, operation)), what).not.toThrow();
      expect(() => expectHome(homeErrorView(failed, wordsOf('list'))), what).not.toThrow();
    }
  });

  it('keeps refusals about an instance with 40 addresses, or 50 instances of one name, inside the limits', () => {
    const targets = manyTargets(w, 40);
    const addresses = targets.map((t) => t.address);
    const matches = Array.from({ length: 50 }, (_, i) => ({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: names.instance,
      status: i % 3 ? 'ACTIVE' : 'SHUTOFF',
      addresses: addresses.slice(0, 3),
    }));
    const pools = Array.from({ length: 100 }, (_, i) => ({ id: `pool-${i}`, name: `${names.pool}-${i}` }));
    const failures: Array<[Failure, string]> = [
      [failure({ code: 'not_reachable', instance: w.instance, pool: w.pool, targets }), 'attach'],
      [failure({ code: 'several_targets', instance: w.instance, pool: w.pool, targets }), 'attach'],
      [failure({ code: 'instance_ambiguous', query: names.instance, matches }), 'attach'],
      [failure({ code: 'instance_ambiguous', query: names.instance, matches }), 'explain'],
      [failure({ code: 'fixed_ip_not_on_instance', instance: w.instance, fixedIp: '10.9.9.9', addresses }), 'attach'],
      [
        failure({
          code: 'instance_on_external_network',
          instance: w.instance,
          pool: w.pool,
          addresses: addresses.map((address) => ({ address, network: w.network })),
        }),
        'attach',
      ],
      [failure({ code: 'only_ipv6', instance: w.instance, pool: w.pool, addresses }), 'attach'],
      [failure({ code: 'pool_not_found', query: names.pool, pools }), 'create'],
      [failure({ code: 'not_a_pool', network: w.network, pools }), 'create'],
      [failure({ code: 'pool_ambiguous', pools, instance: w.instance }), 'attach'],
    ];
    for (const [failed, operation] of failures) {
      expect(() => expectMessage(refusalMessage(failed, operation)), failed.code).not.toThrow();
      expect(() => expectModal(refusalView(failed, operation)), failed.code).not.toThrow();
    }
  });

  it('keeps a diagnosis with many pools, many addresses and many floating IPs inside the limits, and says how many pools it left out', () => {
    const targets = manyTargets(w, 40);
    const pools = Array.from({ length: 60 }, (_, i) => ({
      pool: { id: `pool-${i}`, name: `${names.pool}-${i}` },
      reachable: i % 4 === 0,
      targets,
    }));
    const diagnosis: Diagnosis = {
      instance: w.instance,
      pools,
      floatingIps: Array.from({ length: 40 }, (_, i) => w.fip(`100.64.0.${i + 1}`, w.onInstance, i)),
    };
    const message = diagnosisMessage(diagnosis);
    expectMessage(message);
    expectModal(messageView('Explanation', message));
    const shown = message.blocks.filter((block) => JSON.stringify(block).includes('Pool ')).length;
    expect(shown).toBeLessThan(60);
    expect(JSON.stringify(message.blocks)).toContain(`…and ${60 - shown} more pools`);
  });

  it('keeps a diagnosis of an instance on the external network, or with no pool at all, inside the limits', () => {
    const onPublic = manyTargets(w, 40).map((t) => ({ ...t, verdict: { kind: 'on_external_network' as const } }));
    expectMessage(
      diagnosisMessage({ instance: w.instance, pools: [{ pool: w.pool, reachable: false, targets: onPublic }], floatingIps: [] }),
    );
    expectMessage(diagnosisMessage({ instance: w.instance, pools: [], floatingIps: [] }));
    expectMessage(diagnosisMessage({ instance: w.instance, pools: [{ pool: w.pool, reachable: false, targets: [] }], floatingIps: [] }));
  });

  it('pages a list of 2,000 floating IPs, every IP on exactly one page, and keeps the first, a middle and the last page inside the limits, in the channel and on the Home tab', () => {
    // Every page's limits, for every name set: test/soak/block-kit.soak.test.ts.
    expectListPages(w, 2_000, names.other, [1, 2, 100, 2_000 / PAGE_SIZE]);
  });

  it('keeps short, empty, filtered and name-less lists inside the limits', () => {
    const lists: FloatingIpList[] = [
      { filter: 'all', floatingIps: [], namesUnavailable: false },
      { filter: 'attached', floatingIps: [], namesUnavailable: true },
      { filter: 'free', floatingIps: [w.fip(IP, null)], namesUnavailable: false },
      { filter: 'attached', floatingIps: bigList(w, 11).floatingIps, namesUnavailable: true },
      { ...bigList(w, PAGE_SIZE), filter: 'all' },
    ];
    for (const list of lists) {
      expectMessage(listMessage(list, 1, undefined, NOW));
      expectHome(homeView(list, 1, names.other, NOW));
    }
  });

  it('keeps the form of every operation, and the short attach form of a list row (with its fixed-IP choice), inside the limits', () => {
    for (const { name: operation } of FORM_OPERATIONS) {
      for (const via of ['command', 'button', 'home'] as const) {
        const form = {
          operation,
          via,
          channelId: 'C0OPS0001',
          responseUrl: `https://hooks.slack.com/commands/T0SIM0001/${'9'.repeat(13)}/${'a'.repeat(24)}`,
        };
        expectModal(formView(FORM_OPERATIONS, form));
        expectModal(attachIpView(formOperation('attach'), { ...form, ip: IP }));
        expectModal(
          attachIpView(
            formOperation('attach'),
            { ...form, ip: IP },
            { instance: { value: 'id', label: names.instance }, fixedIps: [IP, IP] },
          ),
        );
      }
    }
    expectModal(loadingView());
    expectModal(loadingView(`Working… ${names.instance}`));
  });
});

describe('what phones show: the top-level text', () => {
  const w = world(NAME_SETS.realistic);

  it('names the IP and the instance of every confirmation', () => {
    for (const [what, action] of everyChange(w)) {
      const text = confirmationMessage(action, 'tok').text;
      // A new IP has no address until it is allocated: its pool stands in for it.
      const existing = action.operation !== 'create' && !(action.operation === 'attach' && action.plan.floatingIp === null);
      expect(text, what).toContain(existing ? IP : 'public');
      if (action.operation === 'attach') expect(text, what).toContain('web-1');
      if (action.operation === 'detach' && action.plan.from.instance) expect(text, what).toContain('web-1');
    }
  });

  it('names the IP and the instance of every result, and says so when an IP was moved away from another instance', () => {
    const attach = resultMessage(
      {
        kind: 'attach',
        result: { plan: w.plans.attach().plan, floatingIp: w.fip(IP, w.onInstance), requestId: undefined, recovered: false },
      },
      ACTOR,
    );
    expect(attach.text).toBe(`attached ${IP} to web-1 (by <@${ACTOR}>)`);
    const moved = resultMessage(
      {
        kind: 'attach',
        result: {
          plan: w.plans.attach({ moveFrom: w.onOther }).plan,
          floatingIp: w.fip(IP, w.onInstance),
          requestId: undefined,
          recovered: false,
        },
      },
      ACTOR,
    );
    expect(moved.text).toBe(`moved ${IP} from db-1 to web-1 (by <@${ACTOR}>)`);
    const detachPlan = w.plans.detach(w.onInstance).plan;
    expect(
      resultMessage(
        { kind: 'detach', result: { plan: detachPlan, floatingIp: w.fip(IP, null), requestId: undefined, recovered: false } },
        ACTOR,
      ).text,
    ).toBe(`detached ${IP} from web-1 (by <@${ACTOR}>)`);
    const releasePlan = w.plans.release(null).plan;
    expect(resultMessage({ kind: 'release', result: { plan: releasePlan, requestId: undefined, recovered: false } }, ACTOR).text).toBe(
      `released ${IP} (by <@${ACTOR}>)`,
    );
    expect(
      resultMessage(
        { kind: 'allocate', result: { floatingIp: w.fip(IP, null), poolChoice: 'requested', requestId: undefined, recovered: false } },
        ACTOR,
      ).text,
    ).toBe(`allocated ${IP} from pool public (by <@${ACTOR}>)`);
  });

  it('names the IP, the instance or the word typed in every refusal', () => {
    for (const [what, failed, operation] of everyFailure(w, NAME_SETS.realistic)) {
      const { text } = refusalMessage(failed, operation);
      expect(text.trim(), what).not.toBe('');
      const subject = failed as Partial<{ address: string; instance: Named; query: string; input: string }>;
      if (subject.address) expect(text, what).toContain(subject.address);
      if (subject.instance) expect(text, what).toContain(subject.instance.name);
      if (subject.query) expect(text, what).toContain(subject.query);
      if (subject.input) expect(text, what).toContain(subject.input);
    }
  });

  it('names the instance of a diagnosis, and the IP of an attach that was already done', () => {
    expect(diagnosisMessage({ instance: w.instance, pools: [], floatingIps: [] }).text).toContain('web-1');
    const already = alreadyAttachedMessage(w.plans.attach({ alreadyAttached: true })).text;
    expect(already).toContain(IP);
    expect(already).toContain('web-1');
  });

  it('gives help, bad input, expiry, policy refusals and internal errors a text of their own', () => {
    const topics: Array<CommandName | undefined> = [undefined, 'help', 'list', 'create', 'attach', 'detach', 'release', 'explain'];
    for (const topic of topics) expectMessage(helpMessage(topic));
    expectMessage(invalidCommandMessage('"atach" is not a fipbot command.', undefined, 'attach'));
    expectMessage(invalidCommandMessage('attach needs a floating IP (or "new") and an instance.', 'attach'));
    expectMessage(invalidCommandMessage(`That is ${5_000} characters long; fipbot commands are short.`));
    expectMessage(expiredMessage());
    expectMessage(cancelledMessage(undefined));
    expectMessage(internalErrorMessage('1a2b3c4d'));
    expectMessage(notAllowedMessage('Releasing floating IPs is limited to members of the on-call group. Ask one of them.'));
  });
});

describe('names from the cloud are text, never markup', () => {
  const hostile = NAME_SETS['markup of 255 characters'];
  const w = world(hostile);

  it('escapes a name "<!channel>" everywhere it is shown, the top-level text included', () => {
    const channel = world({ ...NAME_SETS.realistic, instance: '<!channel>' });
    const messages: Message[] = [
      confirmationMessage(channel.plans.attach(), 'tok'),
      resultMessage(
        {
          kind: 'attach',
          result: {
            plan: channel.plans.attach().plan,
            floatingIp: channel.fip(IP, channel.onInstance),
            requestId: undefined,
            recovered: false,
          },
        },
        ACTOR,
      ),
      refusalMessage(failure({ code: 'instance_has_no_address', instance: channel.instance })),
      diagnosisMessage({ instance: channel.instance, pools: [], floatingIps: [] }),
      alreadyAttachedMessage(channel.plans.attach({ alreadyAttached: true })),
      workingMessage(channel.plans.attach()),
      cancelledMessage(channel.plans.attach()),
    ];
    for (const message of messages) {
      for (const text of mrkdwnTexts(message)) expect(text).not.toContain('<!channel>');
      expect(message.text).toContain(escape('<!channel>'));
    }
  });

  it('escapes what someone typed when the command is not understood', () => {
    const message = invalidCommandMessage('"<!channel>" is not a fipbot command.', undefined, 'attach');
    for (const text of mrkdwnTexts(message)) expect(text).not.toContain('<!channel>');
  });

  it('keeps the menus of list rows and the buttons of confirmations working with such names: short labels, short values, valid dialogs', () => {
    const list = bigList(w, PAGE_SIZE);
    const blocks = [
      ...listMessage(list, 1, hostile.other, NOW).blocks,
      ...confirmationMessage(w.plans.attach({ moveFrom: w.onOther }), 'tok').blocks,
      ...confirmationMessage(w.plans.release(w.onInstance), 'tok').blocks,
    ];
    const menus = overflowsOf(blocks);
    expect(menus).toHaveLength(PAGE_SIZE);
    for (const menu of menus) {
      for (const option of menu.options as Array<{ value: string }>) expect(option.value.length).toBeLessThanOrEqual(LIMITS.optionValue);
      const confirm = menu.confirm as { title: { text: string }; text: { text: string } };
      expect(confirm.text.text.length).toBeLessThanOrEqual(LIMITS.confirmText);
      expect(confirm.title.text.length).toBeLessThanOrEqual(LIMITS.confirmTitle);
    }
    for (const button of buttonsOf(blocks)) {
      expect(typeof button.value === 'string' ? button.value.length : 0).toBeLessThanOrEqual(LIMITS.buttonValue);
    }
  });
});

describe("names with Slack's formatting marks", () => {
  /** The list, a result and a confirmation naming the instance and the pool `name`, as one payload. */
  function shown(name: string): Message[] {
    const w = world({ ...NAME_SETS.realistic, instance: name, pool: name });
    const list: FloatingIpList = {
      filter: 'all',
      floatingIps: [w.fip(IP, w.onInstance), w.fip('192.168.100.24', null, 1)],
      namesUnavailable: false,
    };
    const attach = w.plans.attach().plan;
    return [
      listMessage(list, 1, name, NOW),
      resultMessage(
        { kind: 'attach', result: { plan: attach, floatingIp: w.fip(IP, w.onInstance), requestId: undefined, recovered: false } },
        ACTOR,
      ),
      resultMessage(
        {
          kind: 'detach',
          result: { plan: w.plans.detach(w.onInstance).plan, floatingIp: w.fip(IP, null), requestId: undefined, recovered: false },
        },
        ACTOR,
      ),
      confirmationMessage(w.plans.attach(), 'tok'),
      confirmationMessage(w.plans.release(w.onInstance), 'tok'),
    ];
  }
  /** Refusals and a diagnosis naming the instance and the pool `name`, between the `commands` they quote. */
  function explained(name: string): Message[] {
    const w = world({ ...NAME_SETS.realistic, instance: name, pool: name });
    const bodies = failureBodies(w, { ...NAME_SETS.realistic, instance: name, pool: name });
    return [
      refusalMessage(failure(bodies.not_reachable), 'attach'),
      refusalMessage(failure(bodies.pool_ambiguous), 'attach'),
      refusalMessage(failure(bodies.instance_on_external_network), 'attach'),
      diagnosisMessage({ instance: w.instance, pools: [{ pool: w.pool, reachable: false, targets: [] }], floatingIps: [] }),
    ];
  }
  const formatted = (messages: Message[]) => new Set(messages.flatMap((message) => mrkdwnTexts(message).flatMap(formattedBySlack)));

  it.each(MARKED_NAMES)(
    'shows %s in the list, a result and a confirmation as text: it formats nothing and breaks no formatting around it',
    (name) => {
      const plainly = formatted(shown('web-1'));
      const messages = shown(name);
      for (const span of formatted(messages)) expect(plainly, `${JSON.stringify(span)} formatted`).toContain(span);
      for (const message of messages) {
        expect(mrkdwnTexts(message).join('\n'), message.text).toContain(escapeName(name));
        for (const text of mrkdwnTexts(message)) expect(text).not.toContain(name);
      }
    },
  );

  it.each(MARKED_NAMES)('shows %s in refusals and diagnoses as text; only the commands they quote are code', (name) => {
    // A code span shows a name as typed (copyable), and Slack formats nothing inside it: look outside code only.
    const outsideCode = (text: string) =>
      formattedBySlack(
        formattedBySlack(text)
          .filter((span) => span.startsWith('`'))
          .reduce((rest, span) => rest.replace(span, ' '), text),
      );
    const formattedText = (messages: Message[]) => new Set(messages.flatMap((message) => mrkdwnTexts(message).flatMap(outsideCode)));
    const plainly = formattedText(explained('web-1'));
    const messages = explained(name);
    for (const span of formattedText(messages)) expect(plainly, `${JSON.stringify(span)} formatted`).toContain(span);
    for (const message of messages) expect(mrkdwnTexts(message).join('\n'), message.text).toContain(escapeName(name));
  });
});

describe('list rows', () => {
  const w = world(NAME_SETS.realistic);
  const at = (address: string, attached: boolean, i: number) => w.fip(address, attached ? w.onInstance : null, i);
  const rowText = (message: Message, address: string) => mrkdwnTexts(message).find((text) => text.startsWith(`\`${address}\``)) ?? '';

  it('come attached first, then free, each in address order (.9 before .10), on every page', () => {
    const floatingIps = [
      at('10.0.0.10', false, 0),
      at('10.0.0.9', true, 1),
      at('10.0.0.100', true, 2),
      at('10.0.0.2', false, 3),
      at('10.0.0.11', true, 4),
    ];
    const list: FloatingIpList = { filter: 'all', floatingIps, namesUnavailable: false };
    expect(addressesOf(listMessage(list, 1, 'demo', NOW).blocks)).toEqual(['10.0.0.9', '10.0.0.11', '10.0.0.100', '10.0.0.2', '10.0.0.10']);
    expect(addressesOf(homeView(list, 1, 'demo', NOW).blocks)).toEqual(['10.0.0.9', '10.0.0.11', '10.0.0.100', '10.0.0.2', '10.0.0.10']);
  });

  it('say who asked for an IP fipbot allocated and when, the year only when it is not this one; another IP shows its description as text', () => {
    const list = (description: string): FloatingIpList => ({
      filter: 'all',
      floatingIps: [{ ...at(IP, false, 0), description }],
      namesUnavailable: false,
    });
    const ours = 'fipbot: requested by @alice (U0789) in #ops (C0456) on 2026-11-28 (fipbot op 1a2b3c4d)';
    expect(rowText(listMessage(list(ours), 1, 'demo', NOW), IP)).toBe(`\`${IP}\` free\npool public · by <@U0789> · 28 Nov`);
    expect(rowText(listMessage(list(ours), 1, 'demo', new Date('2027-01-02T00:00:00Z')), IP)).toBe(
      `\`${IP}\` free\npool public · by <@U0789> · 28 Nov 2026`,
    );
    expect(rowText(listMessage(list('web frontend <!here> *x*'), 1, 'demo', NOW), IP)).toBe(
      `\`${IP}\` free\npool public · ${escapeName('web frontend <!here> *x*')}`,
    );
    expect(rowText(listMessage(list(''), 1, 'demo', NOW), IP)).toBe(`\`${IP}\` free\npool public`);
  });

  it('count in the singular and the plural', () => {
    const one: FloatingIpList = { filter: 'free', floatingIps: [at(IP, false, 0)], namesUnavailable: false };
    expect(listMessage(one, 1, 'demo', NOW).text).toBe('1 free floating IP');
    expect(renderText(listMessage(one, 1, 'demo', NOW))).toContain('1 free floating IP\n');
    const two: FloatingIpList = { filter: 'attached', floatingIps: [at(IP, true, 0), at(OTHER_IP, true, 1)], namesUnavailable: false };
    expect(listMessage(two, 1, 'demo', NOW).text).toBe('2 attached floating IPs');
    const all: FloatingIpList = { filter: 'all', floatingIps: [at(IP, true, 0)], namesUnavailable: false };
    expect(listMessage(all, 1, 'demo', NOW).text).toBe('1 floating IP (1 attached)');
  });

  it('offer their actions in one menu, Release and Detach behind a dialog that names the IP, the instance and the pool', () => {
    const list: FloatingIpList = { filter: 'all', floatingIps: [at(IP, true, 0), at(OTHER_IP, false, 1)], namesUnavailable: false };
    const [attached, free] = overflowsOf(listMessage(list, 1, 'demo', NOW).blocks) as Array<{
      action_id: string;
      options: Array<{ text: { text: string } }>;
      confirm: { title: { text: string }; text: { text: string }; style: string };
    }>;
    expect(attached!.action_id).toBe(ACTIONS.rowMenu);
    expect(attached!.options.map((o) => o.text.text)).toEqual(['Detach', 'Release']);
    expect(attached!.confirm.title.text).toBe(`Detach or release ${IP}?`);
    expect(attached!.confirm.text.text).toBe(
      `Detach: web-1 is no longer reachable at ${IP}; the IP stays in the project. Release gives ${IP} back to pool public; the project may not get this address again.`,
    );
    expect(free!.options.map((o) => o.text.text)).toEqual(['Attach…', 'Release']);
    expect(free!.confirm.title.text).toBe(`Attach or release ${OTHER_IP}?`);
    expect(free!.confirm.style).toBe('danger');
    expect(buttonsOf(listMessage(list, 1, 'demo', NOW).blocks)).toEqual([]);
  });

  it("fit each option's value in Slack's 150 characters, with 36-character ids, an IPv6 address and the last page", () => {
    const id = 'b2dc15f6-4505-4cc6-806c-336033c03bbb';
    const six = '2001:0db8:85a3:0000:0000:8a2e:0370:7334';
    const row = (revision: number | undefined, attached: boolean): FloatingIpView => ({
      ...w.fip(six, attached ? { ...w.onInstance, portId: id } : null),
      id,
      revision,
    });
    const list: FloatingIpList = {
      filter: 'attached',
      floatingIps: [row(undefined, true), row(2_147_483_647, true), row(undefined, false)].map((fip, i) => ({
        ...fip,
        id: `${id.slice(0, -1)}${i}`,
      })),
      namesUnavailable: false,
    };
    for (const menu of overflowsOf(listMessage(list, 10_000, 'demo', NOW).blocks))
      for (const option of menu.options as Array<{ value: string }>) expect(option.value.length).toBeLessThanOrEqual(LIMITS.optionValue);
  });
});

describe('confirmations and results', () => {
  const w = world(NAME_SETS.realistic);

  it('confirm with the message itself: no dialog on any Confirm button, red when something is lost, else the one primary', () => {
    for (const [what, change] of everyChange(w)) {
      const [confirm, cancel] = buttonsOf(confirmationMessage(change, 'tok').blocks);
      expect(confirm!.confirm, what).toBeUndefined();
      expect(confirm!.style, what).toBe(operationOf(change).destructive(change.plan) ? 'danger' : 'primary');
      expect(cancel!.style, what).toBeUndefined();
    }
  });

  it('word Detach the same everywhere, and never red: it can be undone', () => {
    const [confirm] = buttonsOf(confirmationMessage(w.plans.detach(w.onInstance), 'tok').blocks);
    expect(confirm).toMatchObject({ text: { text: 'Detach' }, style: 'primary' });
    const list: FloatingIpList = { filter: 'attached', floatingIps: [w.fip(IP, w.onInstance)], namesUnavailable: false };
    const [menu] = overflowsOf(listMessage(list, 1, 'demo', NOW).blocks) as Array<{ options: Array<{ text: { text: string } }> }>;
    expect(menu!.options[0]!.text.text).toBe('Detach');
  });

  it('name the pool once: in the sentence when it says where a new IP came from, else in the small print', () => {
    const contextOf = (message: Message) => renderText(message).split('\n').slice(1).join('\n');
    const allocated = resultMessage(
      { kind: 'allocate', result: { floatingIp: w.fip(IP, null), poolChoice: 'requested', requestId: 'req-1', recovered: false } },
      ACTOR,
    );
    expect(renderText(allocated)).toContain('from pool *public*.');
    expect(contextOf(allocated)).not.toContain('pool');
    const attachedNew = resultMessage(
      {
        kind: 'attach',
        result: {
          plan: w.plans.attach({ existing: false }).plan,
          floatingIp: w.fip(IP, w.onInstance),
          requestId: undefined,
          recovered: false,
        },
      },
      ACTOR,
    );
    expect(renderText(attachedNew)).toContain('from pool *public* and attached it');
    expect(attachedNew.blocks).toHaveLength(1);
    const detached = resultMessage(
      {
        kind: 'detach',
        result: { plan: w.plans.detach(w.onInstance).plan, floatingIp: w.fip(IP, null), requestId: undefined, recovered: false },
      },
      ACTOR,
    );
    expect(contextOf(detached)).toBe('pool public');
  });
});

describe('list paging', () => {
  const w = world(NAME_SETS.realistic);

  it('offers Previous and Next on a middle page as two buttons Slack can tell apart', () => {
    const message = listMessage(bigList(w, 35), 2, 'demo', NOW);
    const nav = buttonsOf(message.blocks).filter((b) => String(b.action_id).startsWith(ACTIONS.listPage));
    expect(nav.map((b) => (b.text as { text: string }).text)).toEqual(['◀ Previous', 'Next ▶']);
    expect(new Set(nav.map((b) => b.action_id)).size).toBe(2);
    expect(nav.map((b) => JSON.parse(String(b.value)) as unknown)).toEqual([
      { filter: 'all', page: 1 },
      { filter: 'all', page: 3 },
    ]);
    expectMessage(message);
  });
});
