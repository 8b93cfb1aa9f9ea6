/**
 * Inputs and checks for the Block Kit builder tests (test/slack/blocks/) and
 * the soak suite's full-volume run: a world of names (realistic, hostile,
 * 255 characters long), a plan of every kind, a failure of every code, long
 * lists, and the checks every payload must pass. The builders are called as
 * the Slack layer calls them, each change worded by its operation's entry.
 */
import { expect } from 'vitest';
import { homeView } from '../../../src/slack/blocks/home.js';
import { inListOrder, listMessage, PAGE_SIZE, pageCount } from '../../../src/slack/blocks/list.js';
import {
  type Attachment,
  type Failure,
  type FailureBody,
  type FailureCode,
  failure,
  type Named,
  type Target,
  type TargetVerdict,
} from '../../../src/floating-ips/failures.js';
import type { AllocatePlan, AttachPlan, DetachPlan, FloatingIpList, FloatingIpView, ReleasePlan } from '../../../src/floating-ips/views.js';
import { PRODUCTION_TIMING } from '../../../src/config/timing.js';
import { attach as attachOperation } from '../../../src/operations/attach/index.js';
import { changeNamed, operationNamed } from '../../../src/operations/registry.js';
import { assertWithinLimits } from './block-kit.js';
import { rowAddresses } from './rows.js';
import {
  cancelledMessage as cancelledText,
  confirmationMessage as confirmationOf,
  type Message,
  refusalMessage as refusalOf,
  workingMessage as workingOf,
} from '../../../src/slack/blocks/messages.js';
import { confirmView as confirmViewOf, refusalView as refusalViewOf } from '../../../src/slack/blocks/modals.js';
import type { PendingChange } from '../../../src/slack/pending.js';

// ---------------------------------------------------------------------------
// The builders as the Slack layer calls them, each change worded by its operation's registry entry

export type Change =
  | { operation: 'create'; plan: AllocatePlan }
  | { operation: 'attach'; plan: AttachPlan }
  | { operation: 'detach'; plan: DetachPlan }
  | { operation: 'release'; plan: ReleasePlan };
export const PLAN_TTL_MS = PRODUCTION_TIMING.interactions.planTtlMs;
export const operationOf = (change: PendingChange) => changeNamed(change.operation)!;
export const confirmationMessage = (change: Change, token: string) => confirmationOf(operationOf(change), change.plan, token, PLAN_TTL_MS);
export const confirmView = (change: Change, token: string) => confirmViewOf(operationOf(change), change.plan, token);
export const workingMessage = (change: Change) => workingOf(operationOf(change), change.plan);
export const cancelledMessage = (change: Change | undefined) => cancelledText(change && operationOf(change).summary(change.plan));
export const alreadyAttachedMessage = (change: { plan: AttachPlan }) => attachOperation.alreadyDone!(change.plan)!;
/** A result as its operation words it (the result kinds of old: allocate is the create operation). */
export const resultMessage = ({ kind, result }: { kind: 'allocate' | 'attach' | 'detach' | 'release'; result: unknown }, userId: string) =>
  changeNamed(kind === 'allocate' ? 'create' : kind)!.result(result as never, userId);
/** A failure shown by an operation: attach unless named. */
export const wordsOf = (operation = 'attach') => operationNamed(operation)!.words;
export const refusalMessage = (f: Failure, operation?: string) => refusalOf(f, wordsOf(operation));
export const refusalView = (f: Failure, operation?: string) => refusalViewOf(f, wordsOf(operation));

// ---------------------------------------------------------------------------
// Inputs

/** `count` code points of `pattern`, repeated: a name as long as Nova or Neutron allow (255). */
export function fill(pattern: string, count = 255): string {
  const points = Array.from(pattern);
  return Array.from({ length: count }, (_, i) => points[i % points.length]).join('');
}

/** Names as the cloud may hand them over: anyone with a project names servers, networks and routers. */
export const NAME_SETS = {
  realistic: {
    instance: 'web-1',
    network: 'private',
    subnet: 'private-subnet',
    router: 'router1',
    pool: 'public',
    other: 'db-1',
    description: 'fipbot: requested by @alice (U0789) in #ops (C0456) on 2026-11-28',
  },
  'markup of 255 characters': {
    instance: fill('<!channel> & <@U0BOB0001> *bold* `tick` _it_ <https://evil.example|click> '),
    network: fill('<!here> `net` & *n* '),
    subnet: fill('<#C0OPS0001> sub & '),
    router: fill('<!everyone> r*o*u`t`er & '),
    pool: fill('<!subteam^S0ONCALL01> pool & '),
    other: fill('<@U0ALICE01> other & '),
    description: fill('<!channel> description & *x* `y` '),
  },
  'angle brackets only': {
    instance: '<'.repeat(255),
    network: '>'.repeat(255),
    subnet: '&'.repeat(255),
    router: '<>'.repeat(127),
    pool: '&<'.repeat(127),
    other: '>'.repeat(255),
    description: '<'.repeat(255),
  },
  emoji: {
    instance: fill('🚀'),
    network: fill('🛰️'),
    subnet: fill('👩‍💻'),
    router: fill('🔥'),
    pool: fill('🌍'),
    other: fill('🐘'),
    description: fill('😀'),
  },
} as const;

export type Names = (typeof NAME_SETS)[keyof typeof NAME_SETS];
export const NAME_CASES = Object.entries(NAME_SETS) as Array<[string, Names]>;

/** The acting user: a mention fipbot puts in messages on purpose. */
export const ACTOR = 'U0ACTOR01';
/** Who asked for the IPs of the realistic set (their description says so): a list row mentions them on purpose. */
export const OWNER = 'U0789';
/** The bot's clock: the same year as the realistic description's date. */
export const NOW = new Date('2026-12-03T10:00:00Z');

export const IP = '192.168.100.23';
export const OTHER_IP = '192.168.100.24';
export const FIXED = '10.0.0.210';

export function world(n: Names) {
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
  const target = (verdict: TargetVerdict, address = FIXED, ipVersion: 4 | 6 = 4): Target => ({
    portId: 'port-web1',
    address,
    ipVersion,
    network,
    subnet,
    verdict,
  });
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
    allocate: (poolChoice: 'requested' | 'only_pool' | 'router_gateway'): Change => ({
      operation: 'create',
      plan: { pool, poolChoice, description: n.description },
    }),
    attach: (
      options: { existing?: boolean; moveFrom?: Attachment | null; router?: boolean; alreadyAttached?: boolean } = {},
    ): Change & { operation: 'attach' } => ({
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
    detach: (from: Attachment): Change & { operation: 'detach' } => ({
      operation: 'detach',
      plan: { floatingIp: { id: 'fip-0', address: IP, revision: 3, pool }, from },
    }),
    release: (attachedTo: Attachment | null): Change & { operation: 'release' } => ({
      operation: 'release',
      plan: { floatingIp: { id: 'fip-0', address: IP, revision: 3, pool }, attachedTo },
    }),
  };
  return { instance, other, network, subnet, router, pool, onInstance, onOther, onRouter, onBarePort, target, fip, plans };
}

export type World = ReturnType<typeof world>;

/** Every kind of change a confirmation can show, a move included. */
export function everyChange(w: World): Array<[string, Change]> {
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
export function failureBodies(w: World, n: Names): { [C in FailureCode]: Extract<FailureBody, { code: C }> } {
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
    instance_on_external_network: {
      code: 'instance_on_external_network',
      instance: w.instance,
      pool: w.pool,
      addresses: [{ address: '192.168.100.178', network: w.pool }],
    },
    only_ipv6: { code: 'only_ipv6', instance: w.instance, pool: w.pool, addresses: ['2001:db8::5'] },
    not_reachable: {
      code: 'not_reachable',
      instance: w.instance,
      pool: w.pool,
      targets: [w.target({ kind: 'no_router' }), w.target({ kind: 'router_without_gateway', routers: [w.router] }, '10.1.0.5')],
    },
    several_targets: {
      code: 'several_targets',
      instance: w.instance,
      pool: w.pool,
      targets: [w.target({ kind: 'reachable', router: w.router }), w.target({ kind: 'reachable', router: w.router }, '10.1.0.5')],
    },
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
    neutron_bad_request: {
      code: 'neutron_bad_request',
      message: `Bad floatingip request: Port ${n.other} has multiple fixed IPv4 addresses.`,
    },
    forbidden: { code: 'forbidden', service: 'Neutron', message: 'rule:create_floatingip is disallowed by policy' },
    auth_failed: { code: 'auth_failed', message: 'The request you have made requires authentication.' },
    endpoint_not_found: {
      code: 'endpoint_not_found',
      service: 'Nova',
      message: 'the Keystone catalog has no public compute endpoint in region RegionTwo',
    },
    openstack_unreachable: { code: 'openstack_unreachable', service: 'Neutron', detail: 'ECONNREFUSED' },
    openstack_timeout: { code: 'openstack_timeout', service: 'Neutron', detail: 'no answer within 30000 ms' },
    openstack_unexpected_response: {
      code: 'openstack_unexpected_response',
      service: 'Neutron',
      detail: 'unexpected response from Neutron: floatingip.floating_ip_address: missing',
    },
    answer_lost: { code: 'answer_lost', address: '192.168.100.23' },
    service_unavailable: { code: 'service_unavailable', service: 'Keystone', status: 503 },
    openstack_error: {
      code: 'openstack_error',
      service: 'Neutron',
      status: 500,
      type: 'InternalServerError',
      message: `Request Failed: internal server error while processing ${n.other}`,
    },
  };
}

/** Every failure code, as a failed attach, plus a detach whose outcome is unknown and carries a request id. */
export function everyFailure(w: World, n: Names): Array<[string, Failure, string]> {
  return Object.values(failureBodies(w, n)).flatMap((body): Array<[string, Failure, string]> => [
    [body.code, failure(body), 'attach'],
    [
      `${body.code} (outcome unknown)`,
      failure(body, { changed: 'unknown', requestId: 'req-b2ada7a5-d51d-441c-8270-47b9657db933' }),
      'detach',
    ],
  ]);
}

/** The variety of targets an instance with many addresses has: every verdict, IPv6 too. */
export function manyTargets(w: World, count: number): Target[] {
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
    return w.target(
      verdict,
      verdict.kind === 'ipv6' ? `2001:db8::${i.toString(16)}` : `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      verdict.kind === 'ipv6' ? 6 : 4,
    );
  });
}

export function bigList(w: World, count: number): FloatingIpList {
  const attachments = [w.onInstance, null, w.onRouter, w.onBarePort, w.onOther];
  const floatingIps = Array.from({ length: count }, (_, i) =>
    w.fip(`100.64.${Math.floor(i / 250)}.${(i % 250) + 1}`, attachments[i % attachments.length]!, i),
  );
  return { filter: 'all', floatingIps, namesUnavailable: false };
}

// ---------------------------------------------------------------------------
// Checks

export type Json = Record<string, unknown>;

export function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

/** Every string anywhere in a payload. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(strings);
  return [];
}

/** The texts Slack parses as mrkdwn: mrkdwn text objects, and a message's top-level `text`. */
export function mrkdwnTexts(payload: unknown): string[] {
  const texts: string[] = [];
  walk(payload, (node) => {
    if (node.type === 'mrkdwn' && typeof node.text === 'string') texts.push(node.text);
  });
  const top = (payload as { text?: unknown }).text;
  if (typeof top === 'string') texts.push(top);
  return texts;
}

export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * No control sequence except the ones fipbot writes on purpose (the acting
 * user's mention): a `<` or `>` left in mrkdwn came from a name, and Slack
 * would turn `<!channel>` into an @channel. And no string clipped in the
 * middle of an emoji: half a surrogate pair is not valid text.
 */
export function expectSafeText(payload: unknown): void {
  for (const text of mrkdwnTexts(payload)) {
    const rest = text.replaceAll(`<@${ACTOR}>`, '').replaceAll(`<@${OWNER}>`, '');
    expect(rest, `unescaped markup in ${JSON.stringify(text.slice(0, 200))}`).not.toMatch(/[<>]/);
  }
  for (const text of strings(payload)) expect(LONE_SURROGATE.test(text), `half an emoji in ${JSON.stringify(text.slice(-40))}`).toBe(false);
}

export function expectMessage(message: Message): void {
  assertWithinLimits('message', message);
  expect(message.text.trim()).not.toBe('');
  expectSafeText(message);
}

export function expectModal(view: unknown): void {
  assertWithinLimits('modal', view);
  expectSafeText(view);
}

export function expectHome(view: unknown): void {
  assertWithinLimits('home', view);
  expectSafeText(view);
}

/** The rows' addresses, in order, as the list shows them. */
export const addressesOf = (blocks: unknown[]): string[] => rowAddresses(blocks);

export function overflowsOf(blocks: unknown[]): Json[] {
  const found: Json[] = [];
  walk(blocks, (node) => {
    if (node.type === 'overflow') found.push(node);
  });
  return found;
}

export function buttonsOf(blocks: unknown[]): Json[] {
  const found: Json[] = [];
  walk(blocks, (node) => {
    if (node.type === 'button') found.push(node);
  });
  return found;
}

// ---------------------------------------------------------------------------

/**
 * A list of `count` floating IPs, paged: every IP on exactly one page, in
 * order, a page past the end showing the last one; and the pages in `check`
 * (all of them when omitted) inside the limits, as a message and on Home.
 */
export function expectListPages(w: World, count: number, projectName: string, check?: readonly number[]): void {
  const list = bigList(w, count);
  const pages = pageCount(count);
  expect(pages).toBe(Math.ceil(count / PAGE_SIZE));
  const checked = new Set(check ?? Array.from({ length: pages }, (_, i) => i + 1));
  const seen: string[] = [];
  for (let page = 1; page <= pages; page++) {
    const message = listMessage(list, page, projectName, NOW);
    if (checked.has(page)) {
      expect(() => expectMessage(message), `page ${page}`).not.toThrow();
      expect(() => expectHome(homeView(list, page, projectName, NOW)), `Home page ${page}`).not.toThrow();
    }
    seen.push(...addressesOf(message.blocks));
  }
  // Every IP on exactly one page, in the list's order (attached first).
  const ordered = inListOrder(list.floatingIps).map((fip) => fip.address);
  expect(seen).toEqual(ordered);
  // A page past the end shows the last one.
  expect(addressesOf(listMessage(list, pages + 5, undefined, NOW).blocks)).toEqual(ordered.slice(-PAGE_SIZE));
}
