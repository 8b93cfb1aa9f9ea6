/**
 * Every sentence fipbot says about a failure lives here, so the wording can be
 * reviewed in one place. Each coded failure becomes:
 *   title     one line, fit for a phone notification
 *   cause     what is going on, with names (instance, network, router, pool)
 *   remedy    what to do next
 *   unchanged what was NOT changed (or that the outcome is unknown)
 * Plain text; `backticks` mark commands and addresses (Slack and the console
 * both show them as code).
 */
import type { Attachment, Failure, FailureCode, Named, Target, TargetVerdict } from './failures.js';
import { type NextStep, stepsForDiagnosis, stepsForFailure } from './next-steps.js';
import type { Diagnosis } from './views.js';

export interface Explanation {
  title: string;
  cause: string;
  remedy: string;
  unchanged: string;
  /** For operators: quote it to find the request in the cloud's logs. */
  requestId?: string;
  /** fipbot needs a choice from the person (which pool, which address): a question, not an error. */
  question: boolean;
  /** What the person can do next with one tap. */
  steps: NextStep[];
}

/** Failures that only ask the person to choose. */
const QUESTIONS: ReadonlySet<FailureCode> = new Set(['pool_ambiguous', 'several_targets', 'instance_ambiguous']);

/** Addresses listed in one explanation before "…and N more". */
const MAX_LINES = 8;

/** What the operation that failed says of itself (its registry entry, src/operations/). */
export interface OperationWords {
  /** What OpenStack could not do: "attach the floating IP". */
  verb: string;
  /** What did not happen: "Nothing was changed: no floating IP was attached or allocated." */
  nothingChanged: string;
}

export function explain(failure: Failure, operation: OperationWords): Explanation {
  const parts = describe(failure, operation);
  return {
    ...parts,
    unchanged: parts.unchanged ?? unchangedText(failure, operation),
    ...(failure.requestId ? { requestId: failure.requestId } : {}),
    question: QUESTIONS.has(failure.code),
    steps: stepsForFailure(failure),
  };
}

/** The whole explanation as one block of text (console, logs, notification fallbacks). */
export function explainAsText(failure: Failure, operation: OperationWords): string {
  const e = explain(failure, operation);
  return [e.title, e.cause, e.remedy, e.unchanged, e.requestId ? `OpenStack request: ${e.requestId}` : ''].filter(Boolean).join('\n');
}

function unchangedText(failure: Failure, operation: OperationWords): string {
  if (failure.changed === 'unknown') {
    return 'fipbot could not confirm whether the change was made. Check with `/fip list` before trying again.';
  }
  return operation.nothingChanged;
}

type Parts = Omit<Explanation, 'unchanged' | 'requestId' | 'question' | 'steps'> & { unchanged?: string };

function q(resource: Named): string {
  return `"${resource.name}"`;
}

/** The first MAX_LINES items, and a last one saying how many were left out. */
function capped(items: string[]): string[] {
  return items.length <= MAX_LINES ? items : [...items.slice(0, MAX_LINES), `${items.length - MAX_LINES} more`];
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function describe(f: Failure, operation: OperationWords): Parts {
  switch (f.code) {
    case 'invalid_address':
      return {
        title: `"${f.input}" is not a floating IP address`,
        cause: `A floating IP is given as an IPv4 address such as \`192.168.100.23\` (or its ID); "${f.input}" is neither.`,
        remedy: 'Check the address with `/fip list` and try again.',
      };
    case 'invalid_input':
      return {
        title: `The ${f.field} is not valid`,
        cause: `The ${f.field} given is ${f.problem}.`,
        remedy: 'Correct it and try again; `/fip help` shows the expected form.',
      };
    case 'instance_not_found':
      return {
        title: `No instance called "${f.query}"`,
        cause: `There is no instance named or with the ID "${f.query}" in this project.`,
        remedy: 'Check the spelling (names are matched exactly), or pick the instance from the list in the `/fip` dialog.',
      };
    case 'instance_ambiguous':
      return {
        title: `Which "${f.query}"? ${f.matches.length} instances have that name`,
        cause: `Several instances share that name: ${list(capped(f.matches.map((m) => `${m.id} (${m.status || 'unknown status'}${m.addresses.length ? `, ${m.addresses.slice(0, 3).join(', ')}` : ''})`)))}.`,
        remedy: 'Use the instance ID instead of its name.',
      };
    case 'floating_ip_not_found':
      return {
        title: `${f.address || 'That floating IP'} is not one of this project's floating IPs`,
        cause: `No floating IP ${f.address ? `\`${f.address}\` ` : ''}exists in project ${f.project ? `"${f.project}"` : 'this project'}; it may have been released already.`,
        remedy: 'See `/fip list` for the current floating IPs, or `/fip create` to allocate a new one.',
      };
    case 'floating_ip_other_project':
      return {
        title: `${f.address} belongs to another project`,
        cause: `Floating IP \`${f.address}\` is allocated to project ${f.projectId}, not to the project fipbot works in.`,
        remedy: "Ask that project's owners, or use one of this project's floating IPs (`/fip list`).",
      };
    case 'pool_not_found':
      return {
        title: `No pool called "${f.query}"`,
        cause: `There is no floating-IP pool (external network) called "${f.query}".`,
        remedy: f.pools.length ? `Available pools: ${list(f.pools.map(q))}.` : 'This cloud offers no floating-IP pool to this project.',
      };
    case 'not_a_pool':
      return {
        title: `Network ${q(f.network)} is not a floating-IP pool`,
        cause: `${q(f.network)} is an ordinary network; floating IPs come only from external networks.`,
        remedy: f.pools.length
          ? `Use one of the pools: ${list(f.pools.map(q))}.`
          : 'This cloud offers no floating-IP pool to this project.',
      };
    case 'no_pools':
      return {
        title: 'This cloud has no floating-IP pool',
        cause: 'No external network is visible to this project, so there is nowhere to take a floating IP from.',
        remedy: 'Ask the cloud operators for access to an external network.',
      };
    case 'pool_ambiguous':
      return {
        title: f.instance ? `Which pool for ${q(f.instance)}?` : 'Which pool?',
        cause: f.instance
          ? `Instance ${q(f.instance)} can take a floating IP from several pools: ${list(f.pools.map(q))}.`
          : `Several floating-IP pools are available (${list(f.pools.map(q))}) and none is the obvious default.`,
        remedy: f.instance
          ? `Choose the pool of its new floating IP (or add \`--pool ${commandWord(f.pools[0]!)}\`).`
          : `Choose the pool to allocate from (or type \`/fip create ${commandWord(f.pools[0]!)}\`).`,
      };
    case 'instance_has_no_address':
      return {
        title: `${q(f.instance)} has no network address`,
        cause: `Instance ${q(f.instance)} has no port with a fixed IP address, so there is nothing to attach a floating IP to.`,
        remedy: 'Attach the instance to a private network first (`openstack server add network`).',
      };
    case 'instance_on_external_network':
      return instanceOnExternalNetwork(f);
    case 'only_ipv6':
      return {
        title: `${q(f.instance)} has only IPv6 addresses`,
        cause: `Floating IPs are IPv4 only, and ${q(f.instance)} has only IPv6 addresses (${f.addresses.join(', ')}), which are globally routable already.`,
        remedy: 'Reach the instance on its IPv6 address, or give it an IPv4 address on a private network routed to the pool.',
      };
    case 'not_reachable':
      return notReachable(f.instance, f.pool, f.targets);
    case 'several_targets':
      return {
        title: `Which address of ${q(f.instance)} should get the floating IP?`,
        cause: `Each of these addresses of ${q(f.instance)} is routed to pool ${q(f.pool)}: ${list(capped(f.targets.map((t) => `\`${t.address}\` on ${q(t.network)}`)))}.`,
        remedy: `Choose one (or add \`--fixed-ip ${f.targets[0]?.address ?? 'ADDRESS'}\`).`,
      };
    case 'fixed_ip_not_on_instance':
      return {
        title: `\`${f.fixedIp}\` is not an address of ${q(f.instance)}`,
        cause: `Instance ${q(f.instance)} has ${f.addresses.length ? list(f.addresses.map((a) => `\`${a}\``)) : 'no addresses'}; \`${f.fixedIp}\` is not one of them.`,
        remedy: 'Use one of its addresses with `--fixed-ip`, or leave `--fixed-ip` out and fipbot will choose.',
      };
    case 'fixed_ip_has_floating_ip':
      return {
        title: `\`${f.fixedIp}\` of ${q(f.instance)} already has a floating IP`,
        cause: `Address \`${f.fixedIp}\` of ${q(f.instance)} already has floating IP ${f.existing ? `\`${f.existing}\`` : 'from this pool'}; one address can carry only one floating IP per pool.`,
        remedy: f.existing
          ? `Use \`${f.existing}\`, or detach it first with \`/fip detach ${f.existing}\`.`
          : 'Detach the existing floating IP first (`/fip list attached`).',
      };
    case 'would_move':
      return {
        title: `${f.address} is attached to ${attachmentName(f.from)}`,
        cause: `Floating IP \`${f.address}\` is in use by ${attachmentName(f.from)}${f.from.fixedIp ? ` (\`${f.from.fixedIp}\`)` : ''}. Attaching it to ${q(f.to.instance)} would take it away from there.`,
        remedy: `Confirm the move if ${attachmentName(f.from)} no longer needs it, or use another floating IP (\`/fip attach new ${f.to.instance.name}\`).`,
      };
    case 'not_attached':
      return {
        title: `${f.address} is not attached to anything`,
        cause: `Floating IP \`${f.address}\` is free already.`,
        remedy: `Nothing to detach. To give it back to the pool, use \`/fip release ${f.address}\`.`,
      };
    case 'attached_elsewhere':
      return {
        title: `${f.address} is not attached to ${q(f.expected)}`,
        cause: `Floating IP \`${f.address}\` is attached to ${attachmentName(f.actual)}, not to ${q(f.expected)}.`,
        remedy: `Check the address. To detach it from ${attachmentName(f.actual)}, run \`/fip detach ${f.address}\`.`,
      };
    case 'quota_exceeded':
      return {
        title: 'The floating-IP quota is used up',
        cause:
          f.used !== null && f.limit !== null
            ? `This project already has ${f.used} of its ${f.limit} floating IPs.`
            : 'This project already has as many floating IPs as its quota allows.',
        remedy: 'Reclaim a floating IP nobody uses (`/fip leaks`), or ask the cloud operators to raise the quota.',
      };
    case 'pool_exhausted':
      return {
        title: `Pool ${q(f.pool)} has no addresses left`,
        cause: `Every address of pool ${q(f.pool)} is allocated.`,
        remedy: 'Try another pool, reclaim unused floating IPs (`/fip leaks`), or ask the cloud operators to enlarge the pool.',
      };
    case 'address_in_use':
      return {
        title: `${f.address || 'That address'} is taken`,
        cause: 'The requested address is already allocated.',
        remedy: 'Ask for any free address instead of a specific one.',
      };
    case 'changed_concurrently':
      return {
        title: `${f.address || 'The floating IP'} changed in the meantime`,
        cause: `Someone (or something) changed floating IP ${f.address ? `\`${f.address}\` ` : ''}after fipbot looked at it, so the change you confirmed no longer matches.`,
        remedy: 'Look at it again (`/fip list`) and repeat the command if it still makes sense.',
      };
    case 'port_forwarding_in_use':
      return {
        title: `${f.address || 'The floating IP'} has port forwardings`,
        cause: 'Port forwarding rules use this floating IP or port, and Neutron will not associate it while they exist.',
        remedy: 'Remove the port forwardings first (`openstack floating ip port forwarding list`).',
      };
    case 'neutron_bad_request':
      return {
        title: 'Neutron refused the request',
        cause: `Neutron rejected the request as invalid: ${f.message}`,
        remedy: "Check the instance's addresses with `/fip explain INSTANCE`; if it looks right, show this to the cloud operators.",
      };
    case 'forbidden':
      return {
        title: `${f.service} does not allow this`,
        cause: `The OpenStack account fipbot uses lacks the permission for this (${f.service} said: ${f.message}).`,
        remedy: "Ask the cloud operators to grant the bot's account the member role on the project.",
      };
    case 'auth_failed':
      return {
        title: 'fipbot could not log in to OpenStack',
        cause: "Keystone refused fipbot's credentials (wrong password or application credential, expired or revoked).",
        remedy: 'An administrator of fipbot should check its clouds.yaml / OS_* settings (`npm run doctor`).',
      };
    case 'endpoint_not_found':
      return {
        title: `OpenStack has no ${f.service} endpoint for fipbot`,
        cause: f.message || `The cloud's catalog lists no ${f.service} endpoint fipbot can use.`,
        remedy: 'An administrator of fipbot should check the region and interface settings (`npm run doctor`).',
      };
    case 'openstack_unreachable':
      return {
        title: `${f.service} is unreachable`,
        cause: `fipbot could not reach ${f.service}: the service is down or the network is in the way.`,
        remedy: outageRemedy(f.service),
      };
    case 'openstack_timeout':
      return {
        title: `${f.service} is not answering`,
        cause: `${f.service} did not answer in time; it is probably overloaded.`,
        remedy: outageRemedy(f.service),
      };
    case 'openstack_unexpected_response':
      return {
        title: `${f.service} gave an answer fipbot does not understand`,
        cause: f.detail || `${f.service} answered with something that is not what its API documents.`,
        remedy: 'Tell the fipbot administrators: the cloud may run a version fipbot does not support.',
      };
    case 'answer_lost':
      return {
        title: `Neutron's answer about ${f.address} was lost`,
        cause: `Neutron received the change to \`${f.address}\`, but its answer did not arrive, and fipbot could not read the floating IP back to see what happened.`,
        remedy: 'Look at it with `/fip list`: if the change is not there, run the command again.',
      };
    case 'service_unavailable':
      return {
        title: `${f.service} is unavailable`,
        cause:
          f.service === 'Keystone'
            ? `Keystone, the cloud's identity service, answered HTTP ${f.status}: fipbot could not get the token it needs to ${operation.verb}. This is an outage of the cloud, not a refusal.`
            : `${f.service} answered HTTP ${f.status}: it is overloaded or down, so fipbot could not ${operation.verb}.`,
        remedy:
          f.status === 429
            ? 'The cloud is limiting how fast fipbot may ask: try again in a minute.'
            : 'Try again in a few minutes; if it lasts, tell the cloud operators.',
      };
    case 'openstack_error':
      return {
        title: `${f.service} refused: ${f.type ?? `HTTP ${f.status}`}`,
        cause: `${f.service} could not ${operation.verb}: ${f.message}`,
        remedy: `Try again; if it persists, ${f.service === 'Keystone' ? CHECK_AUTH_URL : 'show this message to the cloud operators'}.`,
      };
  }
}

/** Keystone is reached at fipbot's own auth_url: a typo there looks like an outage, and only fipbot's administrators can fix it. */
const CHECK_AUTH_URL = 'an administrator of fipbot should check its auth_url (`npm run doctor`)';

function outageRemedy(service: string): string {
  return `Try again in a few minutes; if it persists, ${service === 'Keystone' ? CHECK_AUTH_URL : 'tell the cloud operators'}.`;
}

function attachmentName(attachment: Attachment): string {
  if (attachment.instance) return `instance ${q(attachment.instance)}`;
  return attachment.deviceOwner ? `a ${attachment.deviceOwner} port` : `port ${attachment.portId}`;
}

/** The seed's case, said the way a colleague would say it: the answer first, the networking behind "Why?". */
function instanceOnExternalNetwork(f: Extract<Failure, { code: 'instance_on_external_network' }>): Parts {
  const first = f.addresses[0]!;
  return {
    title: needsNoFloatingIp(
      f.instance,
      f.addresses.map((a) => a.address),
    ),
    cause: `Floating IPs are for instances on a private network routed to ${q(f.pool)}; to give it one, connect it to such a network first.`,
    remedy: `It is directly on the public network ${q(first.network)}: reach it at that address.`,
  };
}

/** The one-line answer for an instance that sits on an external network. */
function needsNoFloatingIp(instance: Named, addresses: string[]): string {
  return `${q(instance)} needs no floating IP: use ${list(addresses)}`;
}

/** A name as a word of a typed command: quoted when it has spaces. */
function commandWord(resource: Named): string {
  return /^[^\s"']+$/.test(resource.name) ? resource.name : `"${resource.name.replace(/"/g, '')}"`;
}

function notReachable(instance: Named, pool: Named, targets: Target[]): Parts {
  // A phone screen, not a report: the first addresses, then how many more.
  const shown = targets.slice(0, MAX_LINES);
  const lines = shown.map((t) => `\`${t.address}\` on ${q(t.network)}: ${verdictText(t.verdict, t, pool)}`);
  if (targets.length > shown.length) lines.push(`…and ${targets.length - shown.length} more addresses`);
  const ipv4 = targets.filter((t) => t.ipVersion === 4 && t.verdict.kind !== 'on_external_network');
  const first = ipv4[0];
  return {
    title: `${q(instance)} cannot reach pool ${q(pool)}`,
    cause: `A floating IP from ${q(pool)} needs a router with an interface on the instance's subnet and its gateway on ${q(pool)}. For ${q(instance)}:\n${lines.map((l) => `• ${l}`).join('\n')}`,
    remedy: first ? remedyFor(first, pool, instance) : 'Attach the instance to a private network routed to the pool.',
  };
}

function verdictText(verdict: TargetVerdict, target: Target, pool: Named): string {
  switch (verdict.kind) {
    case 'reachable':
      return `reachable through router ${q(verdict.router)}`;
    case 'unknown':
      return 'its router belongs to another project, so fipbot cannot check it';
    case 'ipv6':
      return 'an IPv6 address (floating IPs are IPv4 only)';
    case 'on_external_network':
      return 'directly on an external network (already routable)';
    case 'no_router':
      return `no router is connected to subnet ${q(target.subnet)}`;
    case 'router_without_gateway':
      return `router ${list(verdict.routers.map(q))} serves subnet ${q(target.subnet)} but has no external gateway`;
    case 'gateway_to_other_pool':
      return `router ${list(verdict.routes.map((r) => `${q(r.router)} has its gateway on ${q(r.pool)}`))}, not on ${q(pool)}`;
  }
}

function remedyFor(target: Target, pool: Named, instance: Named): string {
  switch (target.verdict.kind) {
    case 'no_router':
      return `Connect subnet ${q(target.subnet)} to a router whose gateway is on ${q(pool)} (\`openstack router add subnet ROUTER ${target.subnet.name}\`).`;
    case 'router_without_gateway':
      return `Give router ${q(target.verdict.routers[0]!)} a gateway on ${q(pool)} (\`openstack router set --external-gateway ${pool.name} ${target.verdict.routers[0]!.name}\`).`;
    case 'gateway_to_other_pool':
      return `Take the floating IP from ${list(target.verdict.routes.map((r) => q(r.pool)))} instead (\`/fip attach new ${commandWord(instance)} --pool ${commandWord(target.verdict.routes[0]!.pool)}\`), or connect the subnet to a router whose gateway is on ${q(pool)}.`;
    default:
      return 'Attach the instance to a private network routed to the pool.';
  }
}

export interface DiagnosisWords {
  title: string;
  /** One line per pool, those that work first: through what, or why not and what to do. */
  pools: string[];
  /** The floating IPs on the instance now, if any. */
  attached?: string;
  steps: NextStep[];
}

/** `/fip explain INSTANCE`: the answer first (which pool works, or that none is needed), then per pool why. */
export function explainDiagnosis(diagnosis: Diagnosis): DiagnosisWords {
  const instance = q(diagnosis.instance);
  const reachable = diagnosis.pools.filter((pool) => pool.reachable).map((pool) => q(pool.pool));
  // Sitting on an external network is the answer for every pool alike: say it once, with the why.
  const v4 = diagnosis.pools[0]?.targets.filter((t) => t.ipVersion === 4) ?? [];
  if (reachable.length === 0 && v4.length > 0 && v4.every((t) => t.verdict.kind === 'on_external_network')) {
    const addresses = v4.map((t) => t.address);
    return {
      title: needsNoFloatingIp(diagnosis.instance, addresses),
      pools: [
        `It sits directly on the external network ${q(v4[0]!.network)}, so ${list(addresses.map((a) => `\`${a}\``))} already reaches it. ` +
          'Floating IPs only work for instances on a private network that a router connects to the pool; routers join external networks ' +
          'through their gateway, never through an interface, so Neutron cannot associate one here.',
      ],
      ...attachedLine(diagnosis),
      steps: stepsForDiagnosis(diagnosis, addresses[0]),
    };
  }
  const title =
    diagnosis.pools.length === 0
      ? `${instance}: this cloud offers no floating-IP pool`
      : reachable.length
        ? `${instance} can take a floating IP from ${list(reachable)}`
        : `${instance} cannot take a floating IP from any pool`;
  const ordered = [...diagnosis.pools.filter((entry) => entry.reachable), ...diagnosis.pools.filter((entry) => !entry.reachable)];
  const pools = ordered.map((entry) => {
    const pool = q(entry.pool);
    const via = entry.targets.filter((t) => t.verdict.kind === 'reachable');
    if (via.length) {
      return `Pool ${pool}: yes, for ${list(via.map((t) => `\`${t.address}\` on ${q(t.network)}${t.verdict.kind === 'reachable' ? ` (router ${q(t.verdict.router)})` : ''}`))}.`;
    }
    if (entry.targets.length === 0) return `Pool ${pool}: no, the instance has no network address.`;
    const ipv4 = entry.targets.filter((t) => t.ipVersion === 4);
    if (ipv4.length > 0 && ipv4.every((t) => t.verdict.kind === 'on_external_network')) {
      const addresses = list(ipv4.map((t) => `\`${t.address}\``));
      return `Pool ${pool}: not needed. ${instance} sits directly on the external network ${q(ipv4[0]!.network)} and already has the routable address ${addresses}; floating IPs only work for instances on a private network routed to the pool.`;
    }
    const reasons = entry.targets.map((t) => `\`${t.address}\` on ${q(t.network)}: ${verdictText(t.verdict, t, entry.pool)}`);
    const fixable = ipv4.find((t) => t.verdict.kind !== 'on_external_network' && t.verdict.kind !== 'unknown');
    return `Pool ${pool}: no. ${reasons.join('; ')}.${fixable ? ` ${remedyFor(fixable, entry.pool, diagnosis.instance)}` : ''}`;
  });
  return { title, pools, ...attachedLine(diagnosis), steps: stepsForDiagnosis(diagnosis, undefined) };
}

function attachedLine(diagnosis: Diagnosis): { attached?: string } {
  if (diagnosis.floatingIps.length === 0) return {};
  return {
    attached: `Floating IPs on it now: ${list(diagnosis.floatingIps.map((fip) => `\`${fip.address}\`${fip.attachment?.fixedIp ? ` (on \`${fip.attachment.fixedIp}\`)` : ''}`))}.`,
  };
}
