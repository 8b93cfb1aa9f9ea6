/**
 * Records the seed story against a real cloud into
 * test/fixtures/recorded/seed-story.json (see recording.ts).
 *
 *   OS_CLIENT_CONFIG_FILE=/var/lib/osh/clouds.yaml OS_CLOUD=osh-bot \
 *     npx tsx test/support/record-seed-story.ts
 *
 * The cloud needs the seed topology (public, private, router1, test_instance,
 * web-1) and a project with no floating IPs: the recording must not depend on
 * leftovers. Nothing is deleted that the story did not create.
 */
import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { loadCloudConfig } from '../../src/openstack/clouds.js';
import { connectCloud } from '../../src/openstack/cloud.js';
import { FloatingIpService } from '../../src/operations/service.js';
import { KEPT_HEADERS, RECORDED_TOKEN, type RecordedExchange, type RecordedService, type Recording } from './recording.js';
import { SEED_STORY, STORY_OPERATION_TAG, type StoryState } from './seed-story.js';

const loaded = loadCloudConfig({ env: process.env, cwd: process.cwd(), homeDir: homedir() });
if (!loaded.ok || !loaded.cloud) throw new Error(`no usable cloud: ${JSON.stringify(loaded)}`);
const connection = connectCloud(loaded.cloud);
const exchanges: RecordedExchange[] = [];
const origins: Partial<Record<RecordedService, string>> = {};
let step = 'setup';

// Record at the transport: every request the adapter makes, with the answer as received.
const send = connection.transport.request.bind(connection.transport);
connection.transport.request = async (request) => {
  const response = await send(request);
  const url = new URL(request.url);
  origins[request.service] ??= url.origin;
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) if (response.headers[name] !== undefined) headers[name] = response.headers[name];
  if (headers['x-subject-token']) headers['x-subject-token'] = RECORDED_TOKEN;
  exchanges.push({
    step,
    service: request.service,
    method: request.method,
    path: url.pathname + url.search,
    status: response.status,
    headers,
    body: response.text,
  });
  return response;
};

const service = new FloatingIpService(
  { neutron: connection.neutron, nova: connection.nova, scope: () => connection.client.scope() },
  { newOperationTag: () => STORY_OPERATION_TAG },
);
const scope = await connection.client.scope();
const existing = await connection.neutron.listFloatingIps({ projectId: scope.projectId });
if (existing.length > 0) throw new Error(`project ${scope.projectName} has ${existing.length} floating IPs; record in a clean project`);
// Keep the authentication (step "setup"), drop the cleanliness check.
exchanges.splice(0, exchanges.length, ...exchanges.filter((exchange) => exchange.service === 'identity'));

const state: StoryState = { ip: '', newIp: '' };
for (const storyStep of SEED_STORY) {
  step = storyStep.name;
  const outcome = (await storyStep.run(service, state)) as { ok: boolean; value?: { floatingIp?: { address: string } }; failure?: unknown };
  console.log(step, outcome.ok ? 'ok' : JSON.stringify(outcome.failure));
  if (step === 'allocate') state.ip = outcome.value!.floatingIp!.address;
  if (step === 'attach-new') state.newIp = outcome.value!.floatingIp!.address;
}
await connection.close();

const recording: Recording = {
  recordedAt: new Date().toISOString(),
  cloud: `${loaded.cloud.name} (${loaded.cloud.auth.authUrl})`,
  origins: origins as Record<RecordedService, string>,
  // Tokens never reach the file: the adapter's redactor knows every one it was given.
  exchanges: exchanges.map((exchange) => ({ ...exchange, body: connection.transport.redactor.redact(exchange.body) })),
};
writeFileSync(new URL('../fixtures/recorded/seed-story.json', import.meta.url), `${JSON.stringify(recording, null, 1)}\n`);
console.log(`recorded ${exchanges.length} exchanges`);
