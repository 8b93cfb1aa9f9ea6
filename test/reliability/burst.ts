/**
 * A burst of mixed operations through the Slack bot, from several people at
 * once: allocate, attach (an existing IP, or `new`), move, detach, release
 * and list, each confirmed by a click on Confirm, some of them double-clicked.
 * Each person works on floating IPs they allocated and instances of their
 * own, one operation after another, while the others do the same, so the
 * expected end state is exact: what each result said. At the end it is
 * compared with the cloud's own listing (Neutron, through a separate
 * connection), and so are the floating IPs nobody touched.
 *
 * With `faults`, a fault may be armed before each click. An answer that says
 * the outcome is unknown is then checked against the cloud: the IP must be
 * in one of the two valid states (as before, or as confirmed), and the
 * person's picture is corrected from the cloud; an answer that says nothing
 * changed must be true. An unknown allocation may land after its check (a
 * request slowed past the bot's timeout): its IP, found at the end naming
 * that person, is counted as landed late, one per unknown allocation.
 *
 * Runs against the demo cloud (test:soak) and a real one (test:cloud).
 */
import type { CloudConnection } from '../../src/openstack/cloud.js';
import { ACTIONS } from '../../src/slack/blocks/ids.js';
import type { SimMessage } from '../support/slack/messages.js';
import type { RecordedResponse } from '../support/slack/response-urls.js';
import { renderText } from '../support/slack/text.js';
import type { Harness } from '../slack/e2e/harness.js';
import { prng } from './abuse-support.js';
import { ackedAndCounted, ackMessage, eventually, INTERNALS, sleep } from './support.js';

/** What a second tap on a confirmation is told (slack/blocks/messages.ts, alreadyHandledMessage). */
const DUPLICATE_NOTICE = 'Already in progress or done';

export interface BurstUser {
  id: string;
  /** Instances only this person attaches to (disjoint from everybody else's). */
  instances: string[];
}

export type Operation = 'create' | 'attach' | 'attach new' | 'move' | 'detach' | 'release' | 'list';

export interface BurstOptions {
  /** Operations in all, across everyone. */
  operations: number;
  users: BurstUser[];
  seed: number;
  pool: string;
  /** Share of confirmations clicked twice at once. */
  doubleClickRate: number;
  /** Floating IPs one person holds at most (the project's quota is shared). */
  maxIpsPerUser: number;
  /** Arms a fault before a click, or not; returns a label for the report. */
  fault?: (random: () => number, operation: Operation) => string | undefined;
  /** Puts the cloud back to normal after the click's answer. */
  clearFault?: () => void;
}

export interface BurstReport {
  operations: Record<string, number>;
  doubleClicks: number;
  /** Answers that said "unknown", each checked against the cloud. */
  unknown: number;
  /** Of those, allocations whose IP appeared only after their check (the request landed late): found at the end. */
  landedLate: number;
  /** Refusals, each checked to have changed nothing. */
  refused: number;
  faults: Record<string, number>;
  /** Floating IPs the burst left, address -> instance (or null). */
  left: Map<string, string | null>;
  problems: string[];
}

/** address -> port id (null when free), as Neutron lists the project's floating IPs. */
export async function cloudState(side: CloudConnection, projectId: string): Promise<Map<string, string | null>> {
  const fips = await observe(() => side.neutron.listFloatingIps({ projectId }));
  return new Map(fips.map((fip) => [fip.address, fip.portId]));
}

/** The observer's own reads, retried: a fault armed for the bot (tokens revoked twice in a row) may hit them too. */
async function observe<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 5) throw error;
      await sleep(200);
    }
  }
}

export async function runBurst(h: Harness, side: CloudConnection, options: BurstOptions): Promise<BurstReport> {
  const projectId = (await side.client.scope()).projectId;
  const baseline = await cloudState(side, projectId);
  const portOf = new Map<string, string>();
  for (const user of options.users) {
    for (const instance of user.instances) {
      const found = await side.nova.findServer(instance);
      if (found.kind !== 'found') throw new Error(`burst: no single instance "${instance}"`);
      const [port] = await side.neutron.listPorts({ deviceIds: [found.server.id] });
      portOf.set(instance, port!.id);
    }
  }
  const report: BurstReport = {
    operations: {},
    doubleClicks: 0,
    unknown: 0,
    landedLate: 0,
    refused: 0,
    faults: {},
    left: new Map(),
    problems: [],
  };
  // Unknown allocations with no IP seen yet: a request slowed past the timeout may still land after the check.
  const unresolved: Array<{ userId: string; port: string | null }> = [];
  let started = 0;

  async function person(user: BurstUser, random: () => number): Promise<void> {
    /** What this person holds: address -> instance, or null when free. */
    const mine = new Map<string, string | null>();
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

    while (started < options.operations) {
      started++;
      const free = [...mine].filter(([, on]) => on === null).map(([ip]) => ip);
      const attached = [...mine].filter(([, on]) => on !== null).map(([ip]) => ip);
      const bare = user.instances.filter((instance) => ![...mine.values()].includes(instance));
      const possible: Operation[] = ['list'];
      if (mine.size < options.maxIpsPerUser) possible.push('create', 'create');
      if (free.length > 0 && bare.length > 0) possible.push('attach', 'attach');
      if (mine.size < options.maxIpsPerUser && bare.length > 0) possible.push('attach new');
      if (attached.length > 0 && bare.length > 0) possible.push('move');
      if (attached.length > 0) possible.push('detach', 'detach');
      if (mine.size > 0) possible.push('release', 'release');
      const operation = pick(possible);
      report.operations[operation] = (report.operations[operation] ?? 0) + 1;

      if (operation === 'list') {
        const ack = await ackedAndCounted(h.sim.slashCommand('list', { user: user.id }));
        await eventually(() => h.sim.responses(ack.responseUrl!).length > 0, `${user.id}'s list`, 20_000);
        const text = renderText(h.sim.responses(ack.responseUrl!)[0]!.body);
        const refusal = options.fault !== undefined && /Nothing was changed/.test(text);
        if ((!/floating IPs/i.test(text) && !refusal) || INTERNALS.test(text))
          report.problems.push(`${user.id} list: ${text.slice(0, 200)}`);
        continue;
      }

      let text: string;
      let ip: string | undefined;
      let expected: (result: string) => { ip: string; on: string | null } | undefined;
      switch (operation) {
        case 'create':
          text = `create ${options.pool}`;
          expected = (result) => {
            const got = new RegExp(`^allocated (\\S+) from pool ${options.pool} `).exec(result);
            return got ? { ip: got[1]!, on: null } : undefined;
          };
          break;
        case 'attach': {
          ip = pick(free);
          const instance = pick(bare);
          text = `attach ${ip} ${instance}`;
          expected = (result) => (result.startsWith(`attached ${ip} to ${instance} `) ? { ip: ip!, on: instance } : undefined);
          break;
        }
        case 'attach new': {
          const instance = pick(bare);
          text = `attach new ${instance} --pool ${options.pool}`;
          expected = (result) => {
            const got = new RegExp(`^attached (\\S+) to ${instance} `).exec(result);
            return got ? { ip: got[1]!, on: instance } : undefined;
          };
          break;
        }
        case 'move': {
          ip = pick(attached);
          const from = mine.get(ip)!;
          const instance = pick(bare);
          text = `attach ${ip} ${instance}`;
          expected = (result) => (result.startsWith(`moved ${ip} from ${from} to ${instance} `) ? { ip: ip!, on: instance } : undefined);
          break;
        }
        case 'detach':
          ip = pick(attached);
          text = `detach ${ip}`;
          expected = (result) => (result.startsWith(`detached ${ip} from `) ? { ip: ip!, on: null } : undefined);
          break;
        case 'release':
          ip = pick([...mine.keys()]);
          text = `release ${ip}`;
          expected = (result) => (result.startsWith(`released ${ip} `) ? { ip: ip!, on: null } : undefined);
          break;
      }

      const ack = await ackedAndCounted(h.sim.slashCommand(text, { user: user.id }));
      const inAck = ackMessage(ack);
      if (!inAck) await eventually(() => h.sim.responses(ack.responseUrl!).length > 0, `an answer to ${user.id}'s "/fip ${text}"`, 20_000);
      const shown = inAck ?? h.sim.responses(ack.responseUrl!)[0]!.message!;
      if (!renderText(shown).includes('Nothing changes until you confirm')) {
        // With faults about, someone else's fault may hit this preparation: fine if it says so and changed nothing.
        const said = renderText(shown);
        if (options.fault && /Nothing was changed|No floating IP was allocated/.test(said) && !INTERNALS.test(said)) report.refused++;
        else report.problems.push(`${user.id} "/fip ${text}": no confirmation: ${said.slice(0, 300)}`);
        continue;
      }

      const fault = options.fault?.(random, operation);
      if (fault) report.faults[fault] = (report.faults[fault] ?? 0) + 1;
      const taps = random() < options.doubleClickRate ? 2 : 1;
      if (taps === 2) report.doubleClicks++;
      const clicks = await Promise.all(
        Array.from({ length: taps }, () =>
          ackedAndCounted(h.sim.clickButton(shown as SimMessage, { actionId: ACTIONS.confirm }, { user: user.id })),
        ),
      );
      // A second tap is answered with this notice, and only with it: it is not the answer to the change.
      const isDuplicateNotice = (r: RecordedResponse) => (r.text ?? '').startsWith(DUPLICATE_NOTICE);
      let answers: RecordedResponse[] = [];
      await eventually(
        () => {
          answers = clicks.flatMap((click) => {
            const responses = h.sim.responses(click.responseUrl!).filter((r) => !isDuplicateNotice(r));
            const done =
              responses.find((r) => r.responseType === 'in_channel') ??
              responses.filter((r) => !r.deleteOriginal && !(r.text ?? '').startsWith('Working…')).at(-1);
            return done ? [done] : [];
          });
          return answers.length > 0;
        },
        `the answer to ${user.id}'s confirmation of "/fip ${text}"`,
        20_000,
      );
      // A second tap must not produce a second answer.
      if (taps === 2) await sleep(150);
      options.clearFault?.();
      const notices = clicks.flatMap((click) => h.sim.responses(click.responseUrl!).filter(isDuplicateNotice));
      if (notices.length !== taps - 1)
        report.problems.push(`${user.id} "/fip ${text}" (${taps} taps): ${notices.length} duplicate notices`);
      const finals = clicks.flatMap((click) =>
        h.sim
          .responses(click.responseUrl!)
          .filter((r) => !isDuplicateNotice(r))
          .filter(
            (r) =>
              r.responseType === 'in_channel' ||
              r.text?.startsWith(':no_entry:') ||
              (!r.deleteOriginal && !(r.text ?? '').startsWith('Working…')),
          ),
      );
      if (finals.length !== 1) report.problems.push(`${user.id} "/fip ${text}" (${taps} taps): ${finals.length} answers`);
      const answer = answers[0]!;
      const result = answer.text ?? '';
      if (INTERNALS.test(renderText(answer.body))) report.problems.push(`${user.id} "/fip ${text}": internals shown: ${result}`);

      const done = answer.responseType === 'in_channel' ? expected(result) : undefined;
      if (done) {
        if (operation === 'release') mine.delete(done.ip);
        else mine.set(done.ip, done.on);
        continue;
      }
      if (answer.responseType === 'in_channel') {
        report.problems.push(`${user.id} "/fip ${text}": unexpected result "${result}"`);
        continue;
      }
      // Not done: a refusal must have changed nothing; an unknown outcome must be one of the two valid states.
      // A request slowed past the timeout (anyone's fault may hit anyone) may still be carried out: let it land first.
      await sleep(options.fault ? 1_200 : 0);
      const now = await cloudState(side, projectId);
      if (result.includes('fipbot could not confirm whether the change was made')) {
        report.unknown++;
        if (ip !== undefined) {
          const was = mine.get(ip) ?? null;
          const is = now.has(ip) ? now.get(ip)! : undefined;
          const before = was === null ? null : portOf.get(was)!;
          const target = operation === 'release' ? undefined : operation === 'detach' ? null : portOf.get(text.split(' ')[2]!)!;
          if (is !== before && is !== target)
            report.problems.push(`${user.id} "/fip ${text}": unknown outcome left ${ip} on ${String(is)}, neither before nor as confirmed`);
          if (is === undefined) mine.delete(ip);
          else mine.set(ip, [...portOf].find(([, port]) => port === is)?.[0] ?? null);
        } else {
          // An allocation whose answer was lost: at most one new IP, recognisable by the description naming its requester.
          const fips = await observe(() => side.neutron.listFloatingIps({ projectId }));
          const fresh = fips.filter(
            (fip) => fip.description.includes(`(${user.id})`) && !mine.has(fip.address) && !baseline.has(fip.address),
          );
          const target = operation === 'attach new' ? portOf.get(text.split(' ')[2]!)! : null;
          if (fresh.length > 1) report.problems.push(`${user.id} "/fip ${text}": ${fresh.length} new IPs after one lost allocation`);
          if (fresh.length === 0) unresolved.push({ userId: user.id, port: target });
          for (const fip of fresh) {
            if (fip.portId !== target)
              report.problems.push(`${user.id} "/fip ${text}": the IP of a lost allocation is on ${String(fip.portId)}, not as confirmed`);
            mine.set(fip.address, [...portOf].find(([, port]) => port === fip.portId)?.[0] ?? null);
          }
        }
      } else {
        report.refused++;
        if (!/Nothing was changed|No floating IP was allocated/.test(renderText(answer.body)))
          report.problems.push(`${user.id} "/fip ${text}": "${result}" says neither done, refused nor unknown`);
        if (ip !== undefined) {
          const was = mine.get(ip) ?? null;
          const is = now.get(ip);
          if (is !== (was === null ? null : portOf.get(was)))
            report.problems.push(`${user.id} "/fip ${text}" was refused ("${result}") but ${ip} changed`);
        } else {
          const fips = await observe(() => side.neutron.listFloatingIps({ projectId }));
          const leaked = fips.filter(
            (fip) => fip.description.includes(`(${user.id})`) && !mine.has(fip.address) && !baseline.has(fip.address),
          );
          if (leaked.length > 0)
            report.problems.push(
              `${user.id} "/fip ${text}" was refused ("${result}") but allocated ${leaked.map((fip) => fip.address).join(', ')}`,
            );
        }
      }
    }
    for (const [address, on] of mine) report.left.set(address, on);
  }

  await Promise.all(options.users.map((user, index) => person(user, prng(options.seed + index))));

  // The cloud's own listing: exactly the floating IPs nobody touched, plus what the results said.
  const after = await cloudState(side, projectId);
  const expectedState = new Map(baseline);
  for (const [address, on] of report.left) expectedState.set(address, on === null ? null : portOf.get(on)!);
  // An IP nobody's results account for is one unknown allocation landing late, if it names that person and sits
  // where that allocation would put it (each unknown allocation accounts for one IP at most); else a problem.
  const described = new Map(
    (await observe(() => side.neutron.listFloatingIps({ projectId }))).map((fip) => [fip.address, fip.description]),
  );
  for (const [address, port] of after) {
    if (expectedState.has(address)) continue;
    const late = unresolved.findIndex((u) => u.port === port && (described.get(address) ?? '').includes(`(${u.userId})`));
    if (late < 0) continue;
    unresolved.splice(late, 1);
    report.landedLate++;
    expectedState.set(address, port);
  }
  const differences = [...new Set([...after.keys(), ...expectedState.keys()])]
    .filter((address) => after.get(address) !== expectedState.get(address))
    .map((address) => `${address}: cloud ${String(after.get(address))}, expected ${String(expectedState.get(address))}`);
  report.problems.push(...differences);
  return report;
}
