/**
 * Every Block Kit builder, fed realistic and extreme inputs, stays inside
 * Slack's limits (`assertWithinLimits`), keeps a meaningful top-level `text`
 * (phones show only that), and never lets a name from the cloud act as mrkdwn
 * markup: an instance called "<!channel>" is text, not an @channel.
 */
import { describe, expect, it } from 'vitest';
import { type Attachment, type Failure, type FailureBody, type FailureCode, failure, type Named, type Target, type TargetVerdict } from '../../../src/floating-ips/failures.js';
import type { AllocatePlan, AttachPlan, DetachPlan, Diagnosis, FloatingIpList, FloatingIpView, ReleasePlan } from '../../../src/floating-ips/views.js';
import { PRODUCTION_TIMING } from '../../../src/config/timing.js';
import { attach as attachOperation } from '../../../src/operations/attach/index.js';
import { changeNamed, operationNamed } from '../../../src/operations/registry.js';
import type { CommandName } from '../../../src/slack/commands/parse.js';
import { helpMessage, invalidCommandMessage } from '../../../src/slack/commands/help.js';
import { FORM_OPERATIONS } from '../../../src/slack/flows/form.js';
import { homeErrorView, homeView } from '../../../src/slack/blocks/home.js';
import { ACTIONS } from '../../../src/slack/blocks/ids.js';
import { assertWithinLimits, LIMITS } from '../../../src/slack/blocks/limits.js';
import { listMessage, PAGE_SIZE, pageCount } from '../../../src/slack/blocks/list.js';
import {
  cancelledMessage as cancelledText,
  confirmationMessage as confirmationOf,
  diagnosisMessage,
  expiredMessage,
  internalErrorMessage,
  type Message,
  notAllowedMessage,
  refusalMessage as refusalOf,
  workingMessage as workingOf,
} from '../../../src/slack/blocks/messages.js';
import { confirmView as confirmViewOf, formView, loadingView, messageView, refusalView as refusalViewOf } from '../../../src/slack/blocks/modals.js';
import { escape } from '../../../src/slack/blocks/text.js';
import type { PendingChange } from '../../../src/slack/pending.js';

// ---------------------------------------------------------------------------
// The builders as the Slack layer calls them, each change worded by its operation's registry entry

type Change = { operation: 'create'; plan: AllocatePlan } | { operation: 'attach'; plan: AttachPlan } | { operation: 'detach'; plan: DetachPlan } | { operation: 'release'; plan: ReleasePlan };
const PLAN_TTL_MS = PRODUCTION_TIMING.interactions.planTtlMs;
const operationOf = (change: PendingChange) => changeNamed(change.operation)!;
const confirmationMessage = (change: Change, token: string) => confirmationOf(operationOf(change), change.plan, token, PLAN_TTL_MS);
const confirmView = (change: Change, token: string) => confirmViewOf(operationOf(change), change.plan, token);
const workingMessage = (change: Change) => workingOf(operationOf(change), change.plan);
const cancelledMessage = (change: Change | undefined) => cancelledText(change && operationOf(change).summary(change.plan));
const alreadyAttachedMessage = (change: { plan: AttachPlan }) => attachOperation.alreadyDone!(change.plan)!;
/** A result as its operation words it (the result kinds of old: allocate is the create operation). */
const resultMessage = ({ kind, result }: { kind: 'allocate' | 'attach' | 'detach' | 'release'; result: unknown }, userId: string) =>
  changeNamed(kind === 'allocate' ? 'create' : kind)!.result(result as never, userId);
/** A failure shown by an operation: attach unless named. */
const wordsOf = (operation = 'attach') => operationNamed(operation)!.words;
const refusalMessage = (f: Failure, operation?: string) => refusalOf(f, wordsOf(operation));
const refusalView = (f: Failure, operation?: string) => refusalViewOf(f, wordsOf(operation));

// ---------------------------------------------------------------------------
// Inputs

/** `count` code points of `pattern`, repeated: a name as long as Nova or Neutron allow (255). */
function fill(pattern: string, count = 255): string {
  const points = Array.from(pattern);
  return Array.from({ length: count }, (_, i) => points[i % points.length]).join('');
}

/** Names as the cloud may hand them over: anyone with a project names servers, networks and routers. */
const NAME_SETS = {
  realistic: { instance: 'web-1', network: 'private', subnet: 'private-subnet', router: 'router1', pool: 'public', other: 'db-1', description: 'fipbot: requested by @alice (U0789) in #ops (C0456) on 2026-11-28' },
  'markup of 255 characters': {
    instance: fill('<!channel> & <@U0BOB0001> *bold* `tick` _it_ <https://evil.example|click> '),
    network: fill('<!here> `net` & *n* '),
    subnet: fill('<#C0OPS0001> sub & '),
    router: fill('<!everyone> r*o*u`t`er & '),
    pool: fill('<!subteam^S0ONCALL01> pool & '),
    other: fill('<@U0ALICE01> other & '),
    description: fill('<!channel> description & *x* `y` '),
  },
  'angle brackets only': { instance: '<'.repeat(255), network: '>'.repeat(255), subnet: '&'.repeat(255), router: '<>'.repeat(127), pool: '&<'.repeat(127), other: '>'.repeat(255), description: '<'.repeat(255) },
  emoji: { instance: fill('🚀'), network: fill('🛰️'), subnet: fill('👩‍💻'), router: fill('🔥'), pool: fill('🌍'), other: fill('🐘'), description: fill('😀') },
} as const;

type Names = (typeof NAME_SETS)[keyof typeof NAME_SETS];
const NAME_CASES = Object.entries(NAME_SETS) as Array<[string, Names]>;

/** The acting user: the one mention fipbot puts in messages on purpose. */
const ACTOR = 'U0ACTOR01';

const IP = '192.168.100.23';
const OTHER_IP = '192.168.100.24';
const FIXED = '10.0.0.210';

function world(n: Names) {
  const instance: Named = { id: 'b2dc15f6-4505-4cc6-806c-336033c03bbb', name: n.instance };
  const other: Named = { id: 'db1-id', name: n.other };
  const network: Named = { id: 'net-id', name: n.network };
  const subnet: Named = { id: 'subnet-id', name: n.subnet };
  const router: Named = { id: 'router-id', name: n.router };
  const pool: Named = { id: 'pool-id', name: n.pool };
  const onInstance: Attachment = { portId: 'port-web1', fixedIp: FIXED, instance, deviceOwner: 'compute:nova' };
  const onOther: Attachment = { portId: 'port-db1', fixedIp: '10.0.0.7', instance: other, deviceOwner: 'compute:nova' };
  const onRouter: Attachment = { portId: 'port-gw', fixedIp: null, instance: null, deviceOwner: 'network:router_gateway' };
  const onBarePort: Attachment = { portId: 'port-bare', fixedIp: null, instance: null, deviceOwner: '' };
  const target = (verdict: TargetVerdict, address = FIXED, ipVersion: 4 | 6 = 4): Target => ({ portId: 'port-web1', address, ipVersion, network, subnet, verdict });
  const fip = (address: string, attachment: Attachment | null, i = 0): FloatingIpView => ({
    id: `fip-${i}`,
    address,
    pool,
    status: attachment ? 'ACTIVE' : 'DOWN',
    description: n.description,
    attachment,
    revision: i,
  });
  const plans = {
    allocate: (poolChoice: 'requested' | 'only_pool' | 'router_gateway'): Change => ({ operation: 'create', plan: { pool, poolChoice, description: n.description } }),
    attach: (options: { existing?: boolean; moveFrom?: Attachment | null; router?: boolean; alreadyAttached?: boolean } = {}): Change & { operation: 'attach' } => ({
      operation: 'attach',
      plan: {
        floatingIp: options.existing === false ? null : { id: 'fip-0', address: IP, revision: 3 },
        pool,
        instance,
        target: { portId: 'port-web1', address: FIXED, network, subnet, router: options.router === false ? null : router },
        moveFrom: options.moveFrom ?? null,
        alreadyAttached: options.alreadyAttached ?? false,
        description: n.description,
      },
    }),
    detach: (from: Attachment): Change & { operation: 'detach' } => ({ operation: 'detach', plan: { floatingIp: { id: 'fip-0', address: IP, revision: 3, pool }, from } }),
    release: (attachedTo: Attachment | null): Change & { operation: 'release' } => ({ operation: 'release', plan: { floatingIp: { id: 'fip-0', address: IP, revision: 3, pool }, attachedTo } }),
  };
  return { instance, other, network, subnet, router, pool, onInstance, onOther, onRouter, onBarePort, target, fip, plans };
}

type World = ReturnType<typeof world>;

/** Every kind of change a confirmation can show, a move included. */
function everyChange(w: World): Array<[string, Change]> {
  return [
    ['allocate from a requested pool', w.plans.allocate('requested')],
    ['allocate from the only pool', w.plans.allocate('only_pool')],
    ["allocate from the routers' pool", w.plans.allocate('router_gateway')],
    ['attach an existing IP through a router', w.plans.attach()],
    ['attach an existing IP without a router', w.plans.attach({ router: false })],
    ['attach a new IP', w.plans.attach({ existing: false })],
    ['move an IP from another instance', w.plans.attach({ moveFrom: w.onOther })],
    ['move an IP from a router port', w.plans.attach({ moveFrom: w.onRouter })],
    ['detach from an instance', w.plans.detach(w.onInstance)],
    ['detach from a router port', w.plans.detach(w.onRouter)],
    ['detach from a bare port', w.plans.detach(w.onBarePort)],
    ['release a free IP', w.plans.release(null)],
    ['release an attached IP', w.plans.release(w.onInstance)],
  ];
}

/** One realistic failure body of every code (the mapped type makes the compiler insist on completeness). */
function failureBodies(w: World, n: Names): { [C in FailureCode]: Extract<FailureBody, { code: C }> } {
  return {
    invalid_address: { code: 'invalid_address', input: n.other },
    invalid_input: { code: 'invalid_input', field: 'fixed IP', problem: `"${n.other}" is not an IP address` },
    instance_not_found: { code: 'instance_not_found', query: n.instance },
    instance_ambiguous: {
      code: 'instance_ambiguous',
      query: n.instance,
      matches: [
        { id: 'id-1', name: n.instance, status: 'ACTIVE', addresses: ['10.0.0.4'] },
        { id: 'id-2', name: n.instance, status: 'SHUTOFF', addresses: [] },
      ],
    },
    floating_ip_not_found: { code: 'floating_ip_not_found', address: IP, project: 'demo' },
    floating_ip_other_project: { code: 'floating_ip_other_project', address: IP, projectId: 'other-project-id' },
    pool_not_found: { code: 'pool_not_found', query: n.other, pools: [w.pool] },
    not_a_pool: { code: 'not_a_pool', network: w.network, pools: [w.pool] },
    no_pools: { code: 'no_pools' },
    pool_ambiguous: { code: 'pool_ambiguous', pools: [w.pool, { id: 'pool-b', name: n.other }], instance: w.instance },
    instance_has_no_address: { code: 'instance_has_no_address', instance: w.instance },
    instance_on_external_network: { code: 'instance_on_external_network', instance: w.instance, pool: w.pool, addresses: [{ address: '192.168.100.178', network: w.pool }] },
    only_ipv6: { code: 'only_ipv6', instance: w.instance, pool: w.pool, addresses: ['2001:db8::5'] },
    not_reachable: {
      code: 'not_reachable',
      instance: w.instance,
      pool: w.pool,
      targets: [w.target({ kind: 'no_router' }), w.target({ kind: 'router_without_gateway', routers: [w.router] }, '10.1.0.5')],
    },
    several_targets: { code: 'several_targets', instance: w.instance, pool: w.pool, targets: [w.target({ kind: 'reachable', router: w.router }), w.target({ kind: 'reachable', router: w.router }, '10.1.0.5')] },
    fixed_ip_not_on_instance: { code: 'fixed_ip_not_on_instance', instance: w.instance, fixedIp: '10.0.0.99', addresses: [FIXED] },
    fixed_ip_has_floating_ip: { code: 'fixed_ip_has_floating_ip', instance: w.instance, fixedIp: FIXED, existing: OTHER_IP },
    would_move: { code: 'would_move', address: IP, from: w.onOther, to: { instance: w.instance, fixedIp: FIXED } },
    not_attached: { code: 'not_attached', address: IP },
    attached_elsewhere: { code: 'attached_elsewhere', address: IP, expected: w.instance, actual: w.onOther },
    quota_exceeded: { code: 'quota_exceeded', used: 50, limit: 50 },
    pool_exhausted: { code: 'pool_exhausted', pool: w.pool },
    address_in_use: { code: 'address_in_use', address: IP },
    changed_concurrently: { code: 'changed_concurrently', address: IP },
    port_forwarding_in_use: { code: 'port_forwarding_in_use', address: IP },
    neutron_bad_request: { code: 'neutron_bad_request', message: `Bad floatingip request: Port ${n.other} has multiple fixed IPv4 addresses.` },
    forbidden: { code: 'forbidden', service: 'Neutron', message: 'rule:create_floatingip is disallowed by policy' },
    auth_failed: { code: 'auth_failed', message: 'The request you have made requires authentication.' },
    endpoint_not_found: { code: 'endpoint_not_found', service: 'Nova', message: 'the Keystone catalog has no public compute endpoint in region RegionTwo' },
    openstack_unreachable: { code: 'openstack_unreachable', service: 'Neutron', detail: 'ECONNREFUSED' },
    openstack_timeout: { code: 'openstack_timeout', service: 'Neutron', detail: 'no answer within 30000 ms' },
    openstack_unexpected_response: { code: 'openstack_unexpected_response', service: 'Neutron', detail: 'unexpected response from Neutron: floatingip.floating_ip_address: missing' },
    openstack_error: { code: 'openstack_error', service: 'Neutron', status: 500, type: 'InternalServerError', message: `Request Failed: internal server error while processing ${n.other}` },
  };
}

/** Every failure code, as a failed attach, plus a detach whose outcome is unknown and carries a request id. */
function everyFailure(w: World, n: Names): Array<[string, Failure, string]> {
  return Object.values(failureBodies(w, n)).flatMap((body): Array<[string, Failure, string]> => [
    [body.code, failure(body), 'attach'],
    [`${body.code} (outcome unknown)`, failure(body, { changed: 'unknown', requestId: 'req-b2ada7a5-d51d-441c-8270-47b9657db933' }), 'detach'],
  ]);
}

/** The variety of targets an instance with many addresses has: every verdict, IPv6 too. */
function manyTargets(w: World, count: number): Target[] {
  const verdicts: TargetVerdict[] = [
    { kind: 'reachable', router: w.router },
    { kind: 'unknown' },
    { kind: 'ipv6' },
    { kind: 'on_external_network' },
    { kind: 'no_router' },
    { kind: 'router_without_gateway', routers: [w.router, w.router] },
    { kind: 'gateway_to_other_pool', routes: [{ router: w.router, pool: w.pool }] },
  ];
  return Array.from({ length: count }, (_, i) => {
    const verdict = verdicts[i % verdicts.length]!;
    return w.target(verdict, verdict.kind === 'ipv6' ? `2001:db8::${i.toString(16)}` : `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, verdict.kind === 'ipv6' ? 6 : 4);
  });
}

function bigList(w: World, count: number): FloatingIpList {
  const attachments = [w.onInstance, null, w.onRouter, w.onBarePort, w.onOther];
  const floatingIps = Array.from({ length: count }, (_, i) => w.fip(`100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`, attachments[i % attachments.length]!, i));
  return { filter: 'all', floatingIps, namesUnavailable: false };
}

// ---------------------------------------------------------------------------
// Checks

type Json = Record<string, unknown>;

function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

/** Every string anywhere in a payload. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** The texts Slack parses as mrkdwn: mrkdwn text objects, and a message's top-level `text`. */
function mrkdwnTexts(payload: unknown): string[] {
  const texts: string[] = [];
  walk(payload, (node) => {
    if (node.type === 'mrkdwn' && typeof node.text === 'string') texts.push(node.text);
  });
  const top = (payload as { text?: unknown }).text;
  if (typeof top === 'string') texts.push(top);
  return texts;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * No control sequence except the ones fipbot writes on purpose (the acting
 * user's mention): a `<` or `>` left in mrkdwn came from a name, and Slack
 * would turn `<!channel>` into an @channel. And no string clipped in the
 * middle of an emoji: half a surrogate pair is not valid text.
 */
function expectSafeText(payload: unknown): void {
  for (const text of mrkdwnTexts(payload)) {
    const rest = text.replaceAll(`<@${ACTOR}>`, '');
    expect(rest, `unescaped markup in ${JSON.stringify(text.slice(0, 200))}`).not.toMatch(/[<>]/);
  }
  for (const text of strings(payload)) expect(LONE_SURROGATE.test(text), `half an emoji in ${JSON.stringify(text.slice(-40))}`).toBe(false);
}

function expectMessage(message: Message): void {
  assertWithinLimits('message', message);
  expect(message.text.trim()).not.toBe('');
  expectSafeText(message);
}

function expectModal(view: unknown): void {
  assertWithinLimits('modal', view);
  expectSafeText(view);
}

function expectHome(view: unknown): void {
  assertWithinLimits('home', view);
  expectSafeText(view);
}

/** The rows' addresses, in order, as the list shows them. */
function addressesOf(blocks: unknown[]): string[] {
  const values: string[] = [];
  walk(blocks, (node) => {
    if (node.type === 'button' && typeof node.value === 'string' && node.action_id === ACTIONS.rowRelease) values.push((JSON.parse(node.value) as { address: string }).address);
  });
  return values;
}

function buttonsOf(blocks: unknown[]): Json[] {
  const found: Json[] = [];
  walk(blocks, (node) => {
    if (node.type === 'button') found.push(node);
  });
  return found;
}

// ---------------------------------------------------------------------------

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
    const matches = Array.from({ length: 50 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, name: names.instance, status: i % 3 ? 'ACTIVE' : 'SHUTOFF', addresses: addresses.slice(0, 3) }));
    const pools = Array.from({ length: 100 }, (_, i) => ({ id: `pool-${i}`, name: `${names.pool}-${i}` }));
    const failures: Array<[Failure, string]> = [
      [failure({ code: 'not_reachable', instance: w.instance, pool: w.pool, targets }), 'attach'],
      [failure({ code: 'several_targets', instance: w.instance, pool: w.pool, targets }), 'attach'],
      [failure({ code: 'instance_ambiguous', query: names.instance, matches }), 'attach'],
      [failure({ code: 'instance_ambiguous', query: names.instance, matches }), 'explain'],
      [failure({ code: 'fixed_ip_not_on_instance', instance: w.instance, fixedIp: '10.9.9.9', addresses }), 'attach'],
      [failure({ code: 'instance_on_external_network', instance: w.instance, pool: w.pool, addresses: addresses.map((address) => ({ address, network: w.network })) }), 'attach'],
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
    const pools = Array.from({ length: 60 }, (_, i) => ({ pool: { id: `pool-${i}`, name: `${names.pool}-${i}` }, reachable: i % 4 === 0, targets }));
    const diagnosis: Diagnosis = { instance: w.instance, pools, floatingIps: Array.from({ length: 40 }, (_, i) => w.fip(`100.64.0.${i + 1}`, w.onInstance, i)) };
    const message = diagnosisMessage(diagnosis);
    expectMessage(message);
    expectModal(messageView('Explanation', message));
    const shown = message.blocks.filter((block) => JSON.stringify(block).includes('Pool ')).length;
    expect(shown).toBeLessThan(60);
    expect(JSON.stringify(message.blocks)).toContain(`…and ${60 - shown} more pools`);
  });

  it('keeps a diagnosis of an instance on the external network, or with no pool at all, inside the limits', () => {
    const onPublic = manyTargets(w, 40).map((t) => ({ ...t, verdict: { kind: 'on_external_network' as const } }));
    expectMessage(diagnosisMessage({ instance: w.instance, pools: [{ pool: w.pool, reachable: false, targets: onPublic }], floatingIps: [] }));
    expectMessage(diagnosisMessage({ instance: w.instance, pools: [], floatingIps: [] }));
    expectMessage(diagnosisMessage({ instance: w.instance, pools: [{ pool: w.pool, reachable: false, targets: [] }], floatingIps: [] }));
  });

  it('keeps every page of a list of 2,000 floating IPs inside the limits, the last one included, in the channel and on the Home tab', () => {
    const list = bigList(w, 2_000);
    const pages = pageCount(2_000);
    expect(pages).toBe(2_000 / PAGE_SIZE);
    const seen: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const message = listMessage(list, page, names.other);
      expect(() => expectMessage(message), `page ${page}`).not.toThrow();
      expect(() => expectHome(homeView(list, page, names.other)), `Home page ${page}`).not.toThrow();
      seen.push(...addressesOf(message.blocks));
    }
    // Every IP on exactly one page, in order.
    expect(seen).toEqual(list.floatingIps.map((fip) => fip.address));
    // A page past the end shows the last one.
    expect(addressesOf(listMessage(list, pages + 5, undefined).blocks)).toEqual(list.floatingIps.slice(-PAGE_SIZE).map((fip) => fip.address));
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
      expectMessage(listMessage(list, 1, undefined));
      expectHome(homeView(list, 1, names.other));
    }
  });

  it('keeps the form of every operation, with and without a preset IP, inside the limits', () => {
    for (const { name: operation } of FORM_OPERATIONS) {
      for (const via of ['command', 'button', 'home'] as const) {
        const form = { operation, via, channelId: 'C0OPS0001', responseUrl: `https://hooks.slack.com/commands/T0SIM0001/${'9'.repeat(13)}/${'a'.repeat(24)}` };
        expectModal(formView(FORM_OPERATIONS, form));
        expectModal(formView(FORM_OPERATIONS, form, { ip: { value: IP, label: `${IP} (free, ${names.pool})` } }));
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
    const attach = resultMessage({ kind: 'attach', result: { plan: w.plans.attach().plan, floatingIp: w.fip(IP, w.onInstance), requestId: undefined, recovered: false } }, ACTOR);
    expect(attach.text).toBe(`attached ${IP} to web-1 (by <@${ACTOR}>)`);
    const moved = resultMessage({ kind: 'attach', result: { plan: w.plans.attach({ moveFrom: w.onOther }).plan, floatingIp: w.fip(IP, w.onInstance), requestId: undefined, recovered: false } }, ACTOR);
    expect(moved.text).toBe(`moved ${IP} from db-1 to web-1 (by <@${ACTOR}>)`);
    const detachPlan = w.plans.detach(w.onInstance).plan;
    expect(resultMessage({ kind: 'detach', result: { plan: detachPlan, floatingIp: w.fip(IP, null), requestId: undefined, recovered: false } }, ACTOR).text).toBe(`detached ${IP} from web-1 (by <@${ACTOR}>)`);
    const releasePlan = w.plans.release(null).plan;
    expect(resultMessage({ kind: 'release', result: { plan: releasePlan, requestId: undefined, recovered: false } }, ACTOR).text).toBe(`released ${IP} (by <@${ACTOR}>)`);
    expect(resultMessage({ kind: 'allocate', result: { floatingIp: w.fip(IP, null), poolChoice: 'requested', requestId: undefined, recovered: false } }, ACTOR).text).toBe(`allocated ${IP} from pool public (by <@${ACTOR}>)`);
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
      resultMessage({ kind: 'attach', result: { plan: channel.plans.attach().plan, floatingIp: channel.fip(IP, channel.onInstance), requestId: undefined, recovered: false } }, ACTOR),
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

  it('keeps the buttons of list rows and confirmations working with such names: short labels, short values, valid dialogs', () => {
    const list = bigList(w, PAGE_SIZE);
    const blocks = [...listMessage(list, 1, hostile.other).blocks, ...confirmationMessage(w.plans.attach({ moveFrom: w.onOther }), 'tok').blocks, ...confirmationMessage(w.plans.release(w.onInstance), 'tok').blocks];
    const buttons = buttonsOf(blocks);
    expect(buttons.length).toBeGreaterThan(PAGE_SIZE * 2);
    for (const button of buttons) {
      expect(typeof button.value === 'string' ? button.value.length : 0).toBeLessThanOrEqual(LIMITS.buttonValue);
      const confirm = button.confirm as { title: { text: string }; text: { text: string } } | undefined;
      if (confirm) expect(confirm.text.text.length).toBeLessThanOrEqual(LIMITS.confirmText);
    }
  });
});

describe('list paging', () => {
  const w = world(NAME_SETS.realistic);

  it('offers Previous and Next on a middle page as two buttons Slack can tell apart', () => {
    const message = listMessage(bigList(w, 35), 2, 'demo');
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
