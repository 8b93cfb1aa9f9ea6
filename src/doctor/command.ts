/**
 * `npm run doctor [-- --json]`, given the process around it as plain values:
 * checks whether fipbot can work here, and says what to do when not. Exit
 * code 0 when nothing blocks the bot (warnings do not fail), 1 otherwise, 2
 * for a usage error.
 */
import { resolve } from 'node:path';
import { loadCloudsFile } from '../clouds/config.js';
import { problemLines } from '../config/problem.js';
import { formatJson, formatText } from './format.js';
import type { DoctorReport } from './types.js';
import { runDoctor, secretRedactor } from './run.js';

export interface DoctorHost {
  env: Record<string, string | undefined>;
  cwd: string;
  homeDir: string;
  stdout(text: string): void;
  stderr(text: string): void;
}

const USAGE = `Usage: npm run doctor [-- --json]

Checks fipbot's configuration, the OpenStack cloud (Keystone, catalog, Neutron,
Nova, pools, quota) and Slack (token, scopes, Socket Mode), one line per check.
  --json   print one JSON object instead of text
Exit code: 0 when nothing blocks fipbot, 1 otherwise.
`;

/**
 * Several clouds (FIPBOT_CONFIG): the file's problems, or one section per cloud (its OpenStack checks),
 * then the configuration and Slack once. The exit code is the worst of them.
 */
async function doctorOfClouds(path: string, host: DoctorHost, json: boolean): Promise<number> {
  const loaded = loadCloudsFile(path, { env: host.env, cwd: host.cwd, homeDir: host.homeDir });
  if (!loaded.ok) {
    host.stdout(
      `fipbot doctor\n\nFIPBOT_CONFIG (${path}) has problems:\n${problemLines(loaded.problems)
        .map((line) => `  ✗ ${line}\n`)
        .join('')}`,
    );
    return 1;
  }
  const options = { env: host.env, cwd: host.cwd, homeDir: host.homeDir };
  const sections: Array<[string, DoctorReport]> = [];
  for (const cloud of loaded.clouds.clouds)
    sections.push([`cloud ${cloud.name}`, await runDoctor({ ...options, cloud: cloud.config, groups: ['openstack'] })]);
  sections.push([
    'configuration and Slack',
    await runDoctor({ ...options, cloud: loaded.clouds.clouds[0]!.config, groups: ['configuration', 'slack'] }),
  ]);
  if (json)
    host.stdout(
      `${JSON.stringify(Object.fromEntries(sections.map(([name, report]) => [name, JSON.parse(formatJson(report)) as unknown])), null, 2)}\n`,
    );
  else host.stdout(sections.map(([name, report]) => `== ${name} ==\n${formatText(report)}`).join('\n'));
  return sections.some(([, report]) => report.exitCode !== 0) ? 1 : 0;
}

export async function runDoctorCommand(argv: readonly string[], host: DoctorHost): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    host.stdout(USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    host.stderr(`Unknown option: ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  try {
    const file = host.env.FIPBOT_CONFIG?.trim();
    if (file) return await doctorOfClouds(resolve(host.cwd, file), host, argv.includes('--json'));
    const report = await runDoctor({ env: host.env, cwd: host.cwd, homeDir: host.homeDir });
    host.stdout(argv.includes('--json') ? formatJson(report) : formatText(report));
    return report.exitCode;
  } catch (error) {
    // A bug, not a finding: say so, without any secret the message might hold.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    host.stderr(`fipbot doctor failed unexpectedly: ${secretRedactor(host.env).redact(message)}\n`);
    return 1;
  }
}
