/**
 * `npm run doctor [-- --json]`, given the process around it as plain values:
 * checks whether fipbot can work here, and says what to do when not. Exit
 * code 0 when nothing blocks the bot (warnings do not fail), 1 otherwise, 2
 * for a usage error.
 */
import { formatJson, formatText } from './format.js';
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
