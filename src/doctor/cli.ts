/**
 * `npm run doctor [-- --json]`: checks whether fipbot can work here, and says
 * what to do when not. Exit code 0 when nothing blocks the bot, 1 otherwise
 * (warnings do not fail), 2 for a usage error.
 */
import { homedir } from 'node:os';
import { formatJson, formatText } from './format.js';
import { runDoctor, secretRedactor } from './run.js';

const USAGE = `Usage: npm run doctor [-- --json]

Checks fipbot's configuration, the OpenStack cloud (Keystone, catalog, Neutron,
Nova, pools, quota) and Slack (token, scopes, Socket Mode), one line per check.
  --json   print one JSON object instead of text
Exit code: 0 when nothing blocks fipbot, 1 otherwise.
`;

async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option: ${unknown.join(' ')}\n\n${USAGE}`);
    return 2;
  }
  try {
    const report = await runDoctor({ env: process.env, cwd: process.cwd(), homeDir: homedir() });
    process.stdout.write(argv.includes('--json') ? formatJson(report) : formatText(report));
    return report.exitCode;
  } catch (error) {
    // A bug, not a finding: say so, without any secret the message might hold.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`fipbot doctor failed unexpectedly: ${secretRedactor(process.env).redact(message)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
