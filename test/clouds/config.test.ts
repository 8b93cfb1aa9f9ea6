/** FIPBOT_CONFIG: the clouds of one bot, each a clouds.yaml entry bound to channels; every problem at once, with key paths. */
import { describe, expect, it } from 'vitest';
import { parseCloudsFile } from '../../src/clouds/config.js';

const CLOUDS_YAML = '/etc/openstack/clouds.yaml';
const SOURCE = '/etc/fipbot/clouds.yaml';

const cloud = (project: string) => `
    auth:
      auth_url: https://keystone.example.com/v3
      username: fipbot
      password: s3cret-password
      project_name: ${project}
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne`;

const files: Record<string, string> = {
  [CLOUDS_YAML]: `clouds:\n  prod:${cloud('prod')}\n  staging:${cloud('staging')}\n`,
};

const options = {
  // OS_* of an openrc must not make both clouds the same one.
  env: { OS_CLIENT_CONFIG_FILE: CLOUDS_YAML, OS_CLOUD: 'staging', OS_AUTH_URL: 'https://other.example.com/v3', OS_PASSWORD: 'x' },
  cwd: '/',
  homeDir: '/home/fipbot',
  readFile: (path: string) => files[path],
};

describe('FIPBOT_CONFIG', () => {
  it('loads each cloud from clouds.yaml by name, with its channels and the default', () => {
    const loaded = parseCloudsFile(
      'clouds:\n  prod:\n    channels: [C0PROD001]\n  staging:\n    channels: [C0STAGE01]\ndefault: staging\n',
      SOURCE,
      options,
    );
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.clouds.default).toBe('staging');
    expect(loaded.clouds.clouds.map((c) => [c.name, c.channels, c.config.auth.type === 'password' && c.config.auth.projectName])).toEqual([
      ['prod', ['C0PROD001'], 'prod'],
      ['staging', ['C0STAGE01'], 'staging'],
    ]);
    expect(loaded.clouds.clouds[0]!.config.auth.authUrl).toBe('https://keystone.example.com/v3');
  });

  it('reports every problem at once, each with its key path', () => {
    const text = [
      'clouds:',
      '  prod:',
      '    channels: [C0PROD001, "#ops"]',
      '  staging:',
      '    channels: [C0PROD001]',
      '  nowhere:',
      '    chanels: []',
      'default: qa',
      'colour: blue',
    ].join('\n');
    const loaded = parseCloudsFile(text, SOURCE, options);
    expect(loaded.ok).toBe(false);
    const problems = loaded.ok ? [] : loaded.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { where: `${SOURCE}: colour`, message: 'unknown key "colour": the file has "clouds:" and "default:"' },
        { where: `${SOURCE}: clouds.prod.channels.1`, message: expect.stringMatching(/use the channel id C…, not #ops/) as string },
        { where: `${SOURCE}: clouds.staging.channels`, message: 'C0PROD001 is already bound to prod: a channel acts on one cloud' },
        { where: `${SOURCE}: clouds.nowhere.chanels`, message: 'unknown key "chanels": a cloud lists its channels' },
        { where: `${SOURCE}: clouds.nowhere`, message: `no cloud named "nowhere" in ${CLOUDS_YAML} (available: prod, staging)` },
        { where: `${SOURCE}: default`, message: 'must name one of the clouds above (prod, staging, nowhere)' },
      ]),
    );
    expect(problems).toHaveLength(6);
  });

  it('needs at least one cloud', () => {
    const loaded = parseCloudsFile('default: prod\n', SOURCE, options);
    expect(!loaded.ok && loaded.problems.map((p) => p.where)).toEqual([`${SOURCE}: clouds`]);
  });
});
