/** `npm run doctor` with FIPBOT_CONFIG: one section per cloud, each with its own OpenStack checks. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../src/doctor/command.js';
import { type DemoCloud, startDemoCloud } from '../support/demo.js';

let demo: DemoCloud;
beforeAll(async () => {
  demo = await startDemoCloud({ seed: 'two-projects' });
});
afterAll(async () => demo.close());

const entry = (user: string, password: string, project: string) =>
  `    auth: { auth_url: "${demo.authUrl}", username: ${user}, password: ${password}, project_name: ${project}, user_domain_id: default, project_domain_id: default }\n    region_name: RegionOne\n`;

describe('doctor with several clouds', () => {
  it('checks every cloud, one section each, and names the one that fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fipbot-doctor-clouds-'));
    writeFileSync(
      join(dir, 'clouds.yaml'),
      `clouds:\n  prod:\n${entry('demo', 'demo', 'demo')}  staging:\n${entry('staging', 'staging', 'demo-staging')}  broken:\n${entry('staging', 'wrong-password', 'demo-staging')}`,
    );
    writeFileSync(
      join(dir, 'fipbot.yaml'),
      'clouds:\n  prod: { channels: [C0PROD001] }\n  staging: { channels: [C0STAGE01] }\n  broken: {}\n',
    );
    let out = '';
    const code = await runDoctorCommand([], {
      env: { OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml'), FIPBOT_CONFIG: join(dir, 'fipbot.yaml') },
      cwd: dir,
      homeDir: dir,
      stdout: (text) => (out += text),
      stderr: (text) => (out += text),
    });
    expect(code).toBe(1);
    const sections = out.split(/^== /m).slice(1);
    expect(sections.map((section) => section.split(' ==')[0])).toEqual([
      'cloud prod',
      'cloud staging',
      'cloud broken',
      'configuration and Slack',
    ]);
    expect(sections[0]).toMatch(/✓.*Keystone/);
    expect(sections[1]).toMatch(/demo-staging/);
    expect(sections[2]).toMatch(/✗.*Keystone/);
  });
});
