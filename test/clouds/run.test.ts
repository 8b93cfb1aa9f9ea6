/**
 * `npm start` with FIPBOT_CONFIG (src/run.ts in this process): its problems are reported with the other
 * configuration problems, the policy's cloud names included, before anything starts; a good file starts
 * a bot on both clouds.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnFipbot } from '../support/process.js';

describe('FIPBOT_CONFIG at start-up', () => {
  it('reports its problems with the settings and the policy file, all at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fipbot-clouds-'));
    writeFileSync(
      join(dir, 'clouds.yaml'),
      'clouds:\n  prod:\n    auth: { auth_url: "https://keystone.example.com/v3", username: u, password: p, project_name: x }\n',
    );
    writeFileSync(
      join(dir, 'fipbot.yaml'),
      'clouds:\n  prod: { channels: [C0PROD001] }\n  qa: { channels: [C0PROD001] }\ndefault: staging\n',
    );
    writeFileSync(join(dir, 'policy.yaml'), 'actions: { list: { users: ["*"] } }\nclouds:\n  staging: { use: { users: ["*"] } }\n');
    const bot = spawnFipbot('bad-clouds', {
      PORT: 'eighty',
      OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml'),
      FIPBOT_CONFIG: join(dir, 'fipbot.yaml'),
      FIPBOT_POLICY_FILE: join(dir, 'policy.yaml'),
    });
    expect(await bot.exited).toBe(1);
    const output = bot.output();
    expect(output).toContain('"where":"PORT"');
    expect(output).toContain(`"where":"${join(dir, 'fipbot.yaml')}: clouds.qa"`);
    expect(output).toContain('no cloud named \\"qa\\"');
    expect(output).toContain('C0PROD001 is already bound to prod');
    expect(output).toContain(`"where":"${join(dir, 'fipbot.yaml')}: default"`);
    expect(output).toContain(`"where":"${join(dir, 'policy.yaml')}: clouds.staging"`);
  });
});

describe('npm start with nothing configured', () => {
  it("runs the demo cloud's two projects as two clouds: demo-prod by default, --cloud demo-staging for the other", async () => {
    const bot = spawnFipbot('two-demo-clouds', {}, { input: 'list\nlist --cloud demo-staging\nlist --cloud nowhere\nquit\n' });
    expect(await bot.exited).toBe(0);
    const output = bot.output();
    const [prod, staging, unknown] = output.split('fip> ').slice(1);
    expect(prod).toContain('demo-prod');
    expect(prod).toContain('192.168.100.201');
    expect(prod).not.toContain('192.168.100.220');
    expect(staging).toContain('demo-staging');
    expect(staging).toContain('192.168.100.220');
    expect(staging).not.toContain('192.168.100.201');
    expect(unknown).toContain('There is no cloud "nowhere"');
  });
});
