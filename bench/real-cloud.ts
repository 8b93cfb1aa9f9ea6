/**
 * 3. Against a real cloud (the one OS_CLOUD / OS_CLIENT_CONFIG_FILE names,
 * as for `npm run test:cloud`): create, attach, list, detach and release,
 * each from the signed slash command to the result posted (confirmation
 * click included), side by side with
 *  - the floor: the one Neutron call that makes the change (POST, PUT, PUT,
 *    DELETE; the one GET for list), sent directly with undici over a warm
 *    keep-alive connection with a token obtained beforehand;
 *  - the `openstack` CLI doing the same (`floating ip create POOL`,
 *    `server add floating ip SERVER IP`, `floating ip list`,
 *    `server remove floating ip SERVER IP`, `floating ip delete IP`), its
 *    requests counted from `--debug` (one urllib3 line per request).
 * fipbot's requests are counted in its own process (undici's diagnostics
 * channels, see processes/probe.ts), so any cloud works, not only this
 * machine's. Every IP created here is deleted before the end.
 *
 * BENCH_SERVER (web-1) and BENCH_POOL (public) name the instance and pool;
 * the instance must be reachable from the pool through a router.
 */
import { spawn } from 'node:child_process';
import { homedir } from 'node:os';
import { Pool } from 'undici';
import { apiRoot } from '../src/openstack/client.js';
import { connectCloud } from '../src/openstack/cloud.js';
import { loadCloudConfig } from '../src/openstack/clouds.js';
import type { ProbeRecord } from './processes/probe.js';
import { startBot } from './lib/processes.js';
import { describeRequest, isKeystoneAuth, openstackRequests } from './lib/requests.js';
import { type BenchContext, type BenchOutcome, isMain, markdownTable, runAlone } from './lib/report.js';
import { BenchSlack, change, command } from './lib/slack.js';
import { median, ms, ratio, summarize } from './lib/stats.js';

const OPERATIONS = ['create', 'attach', 'list', 'detach', 'release'] as const;
type Operation = (typeof OPERATIONS)[number];

const ITERATIONS = Number(process.env.BENCH_REAL_ITERATIONS ?? 8);
const CLI_ITERATIONS = Number(process.env.BENCH_CLI_ITERATIONS ?? 3);
/**
 * A pause before every timed operation, for all three: after a floating IP
 * changes, Neutron tells Nova (batched every 2 s) and Nova refreshes the
 * instance's network cache by reading Neutron, which would slow down
 * whichever operation comes next on a small machine.
 */
const SETTLE_MS = Number(process.env.BENCH_REAL_SETTLE_MS ?? 2_500);
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

interface Timed {
  ms: number;
  requests: number;
  auths: number;
  log: string[];
  /** fipbot only: command -> confirmation and click -> result. */
  toConfirmationMs?: number;
  clickToResultMs?: number;
}

type Results = Record<'fipbot' | 'floor' | 'cli', Record<Operation, Timed[]>>;

function emptyResults(): Results {
  const one = () => Object.fromEntries(OPERATIONS.map((op) => [op, [] as Timed[]])) as Record<Operation, Timed[]>;
  return { fipbot: one(), floor: one(), cli: one() };
}

/** Whether this run has a real cloud to use. */
export function realCloudConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OS_CLOUD || env.OS_AUTH_URL);
}

export async function realCloud({ build, log }: BenchContext): Promise<BenchOutcome> {
  const started = performance.now();
  const base = { id: 'real', title: '3. Against the real cloud', rerun: 'OS_CLIENT_CONFIG_FILE=... OS_CLOUD=... npm run bench:real' };
  if (!realCloudConfigured()) {
    return {
      ...base,
      summary: [],
      targets: [],
      markdown: '',
      seconds: 0,
      skipped: 'OS_CLOUD (or OS_AUTH_URL) is not set; run it with OS_CLIENT_CONFIG_FILE and OS_CLOUD, as for npm run test:cloud',
    };
  }
  const loaded = loadCloudConfig({ env: process.env, cwd: process.cwd(), homeDir: homedir() });
  if (!loaded.ok || !loaded.cloud)
    throw new Error(
      `cannot read the cloud configuration: ${loaded.ok ? 'nothing configured' : loaded.problems.map((p) => `${p.where}: ${p.message}`).join('; ')}`,
    );
  const serverName = process.env.BENCH_SERVER ?? 'web-1';
  const poolName = process.env.BENCH_POOL ?? 'public';
  const cliAvailable = await hasCli();

  // The floor's side: a token and the ids its single calls need, all obtained before anything is timed.
  const setup = connectCloud(loaded.cloud);
  const token = await setup.identity.token();
  const neutronRoot = apiRoot(setup.identity.endpoint(token, 'network'), 'network');
  const [pool] = await setup.neutron.listNetworks({ name: poolName, external: true });
  if (!pool) throw new Error(`no external network named ${poolName} (set BENCH_POOL)`);
  const found = await setup.nova.findServer(serverName);
  if (found.kind !== 'found') throw new Error(`no single server named ${serverName} (set BENCH_SERVER)`);
  const [port] = await setup.neutron.listPorts({ deviceIds: [found.server.id] });
  const fixedIp = port?.fixedIps.find((ip) => !ip.ipAddress.includes(':'))?.ipAddress;
  if (!port || !fixedIp) throw new Error(`${serverName} has no port with an IPv4 address`);
  const neutron = new Pool(new URL(neutronRoot).origin, { keepAliveTimeout: 60_000, connections: 1 });
  const neutronPath = new URL(neutronRoot).pathname.replace(/\/$/, '');
  const created = new Set<string>();

  const floorCall = async (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    options: { settle?: boolean } = {},
  ): Promise<{ ms: number; json: unknown }> => {
    if (options.settle !== false) await settle();
    const t0 = performance.now();
    const response = await neutron.request({
      method,
      path: neutronPath + path,
      headers: { 'x-auth-token': token.value, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.body.text();
    const elapsed = performance.now() - t0;
    if (response.statusCode >= 300) throw new Error(`floor ${method} ${path}: ${response.statusCode} ${text.slice(0, 200)}`);
    return { ms: elapsed, json: text ? (JSON.parse(text) as unknown) : undefined };
  };

  const slack = await BenchSlack.start();
  const cloudEnv = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[0].startsWith('OS_') && entry[1] !== undefined),
  );
  const bot = await startBot({ build, kind: 'fipbot', slackApiUrl: slack.apiUrl, cloudEnv });
  slack.botUrl = bot.url;
  const results = emptyResults();
  let cliStartup = Number.NaN;

  const fipbotOp = async (op: Operation, text: string): Promise<{ timed: Timed; resultText: string }> => {
    await settle();
    await bot.record(true);
    let timed: Timed;
    let resultText: string;
    if (op === 'list') {
      const listed = await command(slack, text);
      resultText = listed.message.text ?? '';
      timed = { ms: listed.firstResponseMs, requests: 0, auths: 0, log: [] };
    } else {
      const done = await change(slack, text);
      resultText = done.result.text ?? '';
      timed = {
        ms: done.totalMs,
        toConfirmationMs: done.toConfirmationMs,
        clickToResultMs: done.clickToResultMs,
        requests: 0,
        auths: 0,
        log: [],
      };
    }
    const records: ProbeRecord[] = openstackRequests(await bot.requests(), slack.sim.api.url);
    await bot.record(false);
    timed.requests = records.length;
    timed.auths = records.filter(isKeystoneAuth).length;
    timed.log = records.map((record) => describeRequest(record, { timed: true }));
    return { timed, resultText };
  };

  const fipbotIteration = async (record: boolean): Promise<void> => {
    const create = await fipbotOp('create', `create ${poolName}`);
    const ip = /(\d+\.\d+\.\d+\.\d+)/.exec(create.resultText)?.[1];
    if (!ip || !create.resultText.startsWith('allocated')) throw new Error(`fipbot create: ${create.resultText}`);
    const id = (await setup.neutron.listFloatingIps({ address: ip }))[0]?.id;
    if (id) created.add(id);
    const steps: Array<[Operation, string, RegExp]> = [
      ['attach', `attach ${ip} ${serverName}`, new RegExp(`^attached ${ip.replace(/\./g, '\\.')} to `)],
      ['list', 'list', /floating IP/],
      ['detach', `detach ${ip} ${serverName}`, new RegExp(`^detached ${ip.replace(/\./g, '\\.')}`)],
      ['release', `release ${ip}`, new RegExp(`^released ${ip.replace(/\./g, '\\.')}`)],
    ];
    const timings: Array<[Operation, Timed]> = [['create', create.timed]];
    for (const [op, text, expected] of steps) {
      const done = await fipbotOp(op, text);
      if (!expected.test(done.resultText)) throw new Error(`fipbot ${op}: ${done.resultText}`);
      timings.push([op, done.timed]);
    }
    if (id) created.delete(id);
    if (record) for (const [op, timed] of timings) results.fipbot[op].push(timed);
  };

  const floorIteration = async (record: boolean): Promise<void> => {
    const create = await floorCall('POST', '/floatingips', {
      floatingip: { floating_network_id: pool.id, description: 'fipbot bench floor' },
    });
    const fip = (create.json as { floatingip: { id: string } }).floatingip;
    created.add(fip.id);
    const attach = await floorCall('PUT', `/floatingips/${fip.id}`, { floatingip: { port_id: port.id, fixed_ip_address: fixedIp } });
    const list = await floorCall('GET', '/floatingips');
    const detach = await floorCall('PUT', `/floatingips/${fip.id}`, { floatingip: { port_id: null } });
    const release = await floorCall('DELETE', `/floatingips/${fip.id}`);
    created.delete(fip.id);
    const timings: Array<[Operation, number]> = [
      ['create', create.ms],
      ['attach', attach.ms],
      ['list', list.ms],
      ['detach', detach.ms],
      ['release', release.ms],
    ];
    if (record) for (const [op, value] of timings) results.floor[op].push({ ms: value, requests: 1, auths: 0, log: [] });
  };

  const cliIteration = async (): Promise<void> => {
    const create = await cli(['floating', 'ip', 'create', poolName, '-f', 'value', '-c', 'floating_ip_address', '-c', 'id']);
    const [address, id] = create.stdout
      .trim()
      .split(/\s+/)
      .sort((a) => (/^\d+\.\d+\.\d+\.\d+$/.test(a) ? -1 : 1));
    if (!address || !id) throw new Error(`openstack floating ip create: ${create.stdout} ${create.stderr.slice(-300)}`);
    created.add(id);
    const runs: Array<[Operation, CliRun]> = [['create', create]];
    runs.push(['attach', await cli(['server', 'add', 'floating', 'ip', serverName, address])]);
    runs.push(['list', await cli(['floating', 'ip', 'list'])]);
    runs.push(['detach', await cli(['server', 'remove', 'floating', 'ip', serverName, address])]);
    runs.push(['release', await cli(['floating', 'ip', 'delete', address])]);
    created.delete(id);
    for (const [op, run] of runs) {
      if (run.code !== 0) throw new Error(`openstack ${op} failed: ${run.stderr.slice(-300)}`);
      results.cli[op].push({
        ms: run.ms,
        requests: run.requests.length,
        auths: run.requests.filter((r) => r.includes('/auth/tokens')).length,
        log: run.requests,
      });
    }
  };

  try {
    log(`real cloud: ${loaded.cloud.name}, server ${serverName}, pool ${poolName}; warming up`);
    await floorIteration(false);
    await fipbotIteration(false);
    for (let i = 0; i < ITERATIONS; i++) {
      // Alternating who goes first, so that neither always follows the other's changes.
      if (i % 2 === 0) {
        await floorIteration(true);
        await fipbotIteration(true);
      } else {
        await fipbotIteration(true);
        await floorIteration(true);
      }
      log(
        `real cloud: iteration ${i + 1}/${ITERATIONS}: fipbot attach ${ms(results.fipbot.attach.at(-1)!.ms)} ms, floor PUT ${ms(results.floor.attach.at(-1)!.ms)} ms`,
      );
    }
    if (cliAvailable) {
      const version = await cli(['--version']);
      cliStartup = version.ms;
      for (let i = 0; i < CLI_ITERATIONS; i++) {
        await cliIteration();
        log(`real cloud: CLI iteration ${i + 1}/${CLI_ITERATIONS}: attach ${ms(results.cli.attach.at(-1)!.ms)} ms`);
      }
    }
  } finally {
    // Leave the project as we found it.
    for (const id of created) await floorCall('DELETE', `/floatingips/${id}`, undefined, { settle: false }).catch(() => undefined);
    await bot.stop();
    await slack.close();
    await neutron.close();
    await setup.close();
  }

  const rows = OPERATIONS.map((op) => {
    const f = summarize(results.fipbot[op].map((t) => t.ms));
    const floor = summarize(results.floor[op].map((t) => t.ms));
    const c = summarize(results.cli[op].map((t) => t.ms));
    const clickToResult = op === 'list' ? Number.NaN : median(results.fipbot[op].map((t) => t.clickToResultMs!));
    const split = op === 'list' ? '–' : `${ms(median(results.fipbot[op].map((t) => t.toConfirmationMs!)))} + ${ms(clickToResult)}`;
    const counts = results.fipbot[op].map((t) => t.requests);
    return [
      op,
      `${ms(f.p50)} (p99 ${ms(f.p99)})`,
      split,
      ms(floor.p50),
      ratio(f.p50, floor.p50),
      op === 'list' ? '–' : ratio(clickToResult, floor.p50),
      cliAvailable ? ms(c.p50) : 'n/a',
      `${median(counts)}${Math.max(...counts) > median(counts) ? ` (max ${Math.max(...counts)})` : ''}`,
      '1',
      cliAvailable ? String(median(results.cli[op].map((t) => t.requests))) : 'n/a',
    ];
  });
  const logs = OPERATIONS.map((op) => {
    const last = results.fipbot[op].at(-1);
    const cliLog = results.cli[op].at(-1);
    return [
      `**${op}**: fipbot (a repeated one, warm token and caches)`,
      '',
      '```',
      ...(last?.log ?? []),
      '```',
      ...(cliLog ? ['', '`openstack` CLI:', '', '```', ...cliLog.log, '```'] : []),
      '',
    ].join('\n');
  });

  const targets = OPERATIONS.flatMap((op) => {
    const f = median(results.fipbot[op].map((t) => t.ms));
    const floor = median(results.floor[op].map((t) => t.ms));
    const fipbotRequests = Math.max(...results.fipbot[op].map((t) => t.requests));
    const cliRequests = Math.min(...results.cli[op].map((t) => t.requests));
    return [
      {
        name: `${op}: within 1.2x of the floor`,
        met: f <= 1.2 * floor,
        detail: `p50 ${ms(f)} ms vs ${ms(floor)} ms (${ratio(f, floor)}).`,
      },
      ...(cliAvailable
        ? [
            {
              name: `${op}: no more requests than the CLI`,
              met: fipbotRequests <= cliRequests,
              detail: `fipbot at most ${fipbotRequests}, the CLI ${cliRequests} (2 of them Keystone).`,
            },
          ]
        : []),
    ];
  });

  const markdown = [
    `Cloud \`${loaded.cloud.name}\` (${loaded.cloud.auth.authUrl}), server \`${serverName}\`, pool \`${poolName}\`. ` +
      `${ITERATIONS} rounds of create, attach, list, detach, release for fipbot and the floor (alternating which goes first, after one warm-up round each)` +
      (cliAvailable ? `, ${CLI_ITERATIONS} for the CLI.` : '; the `openstack` CLI was not found.'),
    'fipbot: from the signed slash command to the result posted in the channel (to the list for list), the Confirm click made as soon as the confirmation shows. ' +
      'Floor: the one Neutron call, with a warm token over a warm connection. ' +
      `CLI: the whole command, Python start-up included${cliAvailable ? ` (\`openstack --version\` alone takes ${ms(cliStartup)} ms)` : ''}. ` +
      `A ${SETTLE_MS / 1000} s pause before every operation, for all three, lets Neutron and Nova settle after the previous change.`,
    '',
    markdownTable(
      [
        'operation',
        'fipbot ms p50',
        'to confirmation + click->result ms',
        'floor ms p50',
        'fipbot / floor',
        'click->result / floor',
        'CLI ms p50',
        'fipbot requests',
        'floor requests',
        'CLI requests',
      ],
      rows,
    ),
    '',
    `Keystone: fipbot authenticated ${OPERATIONS.reduce((n, op) => n + results.fipbot[op].reduce((m, t) => m + t.auths, 0), 0)} times in the measured rounds (the token from the warm-up round served them all); ` +
      (cliAvailable ? 'the CLI authenticates on every command (GET /v3 and POST /v3/auth/tokens).' : ''),
    '',
    'Request logs of the last round:',
    '',
    ...logs,
  ].join('\n');

  return {
    ...base,
    summary: OPERATIONS.map((op) => ({
      benchmark: 'real',
      measure: `${op}: fipbot / floor${cliAvailable ? ' / CLI' : ''} p50 (requests)`,
      value:
        `${ms(median(results.fipbot[op].map((t) => t.ms)))} / ${ms(median(results.floor[op].map((t) => t.ms)))}` +
        (cliAvailable ? ` / ${ms(median(results.cli[op].map((t) => t.ms)))}` : '') +
        ` ms (${median(results.fipbot[op].map((t) => t.requests))} / 1${cliAvailable ? ` / ${median(results.cli[op].map((t) => t.requests))}` : ''})`,
    })),
    targets,
    markdown,
    seconds: (performance.now() - started) / 1000,
  };
}

interface CliRun {
  code: number;
  ms: number;
  stdout: string;
  stderr: string;
  /** "METHOD url status", one per HTTP request, from --debug. */
  requests: string[];
}

async function hasCli(): Promise<boolean> {
  try {
    return (await cli(['--version'])).code === 0;
  } catch {
    return false;
  }
}

async function cli(args: string[]): Promise<CliRun> {
  const debug = args[0] !== '--version';
  if (debug) await settle();
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('openstack', debug ? ['--debug', ...args] : args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const elapsed = performance.now() - t0;
      // urllib3 logs one line per request: http://host:port "METHOD /path HTTP/1.1" status length
      const requests = [...stderr.matchAll(/^(https?:\/\/\S+) "([A-Z]+) (\S+) HTTP\/[\d.]+" (\d+)/gm)].map(
        (m) =>
          `${m[2]} ${decodeURIComponent(m[3]!).replace(/[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}/gi, '{id}')} -> ${m[4]}`,
      );
      resolve({ code: code ?? -1, ms: elapsed, stdout, stderr: stderr.slice(-2000), requests });
    });
  });
}

if (isMain(import.meta.url)) await runAlone(realCloud);
