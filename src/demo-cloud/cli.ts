/**
 * Runs the demo cloud as its own process:
 *   node dist/demo-cloud/cli.js --port 8000 [--latency MS] [--servers N] [--floating-ips N] [--token-ttl S] [--empty]
 * and prints the clouds.yaml entry to use (user demo / password demo / project demo).
 */
import { parseArgs } from 'node:util';
import { startDemoCloud } from './index.js';

function intOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return parsed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      latency: { type: 'string' },
      servers: { type: 'string' },
      'floating-ips': { type: 'string' },
      'token-ttl': { type: 'string' },
      empty: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write('usage: demo-cloud [--port N] [--latency MS] [--servers N] [--floating-ips N] [--token-ttl S] [--empty]\n');
    return;
  }
  const servers = intOption(values.servers, 'servers');
  const floatingIps = intOption(values['floating-ips'], 'floating-ips');
  const latencyMs = intOption(values.latency, 'latency');
  const tokenTtlSeconds = intOption(values['token-ttl'], 'token-ttl');
  const cloud = await startDemoCloud({
    port: intOption(values.port, 'port') ?? 0,
    seed: values.empty ? 'empty' : 'default',
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(tokenTtlSeconds !== undefined ? { tokenTtlSeconds } : {}),
    ...(servers !== undefined || floatingIps !== undefined
      ? { scale: { ...(servers !== undefined ? { servers } : {}), ...(floatingIps !== undefined ? { floatingIps } : {}) } }
      : {}),
  });
  process.stdout.write(
    `fipbot demo cloud listening on ${cloud.baseUrl} (loopback only)\n` +
      `Keystone: ${cloud.authUrl}   fault knobs and counters: ${cloud.baseUrl}/_demo/\n\n` +
      `# clouds.yaml (user demo / password demo / project demo):\n${cloud.cloudsYaml()}\n` +
      `# or with the application credential:\n${cloud.cloudsYaml({ auth: 'applicationCredential', cloudName: 'fipbot-demo-appcred' })}`,
  );
  const stop = (): void => {
    void cloud.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo-cloud: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
