import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Problem } from '../../src/config/problem.js';
import type { CloudConfig } from '../../src/openstack/cloud-config.js';
import { describeCloud, loadCloudConfig, type LoadCloudResult } from '../../src/openstack/clouds.js';

const CWD = '/srv/fipbot';
const HOME = '/home/bot';
const CWD_FILE = `${CWD}/clouds.yaml`;
const HOME_FILE = `${HOME}/.config/openstack/clouds.yaml`;
const ETC_FILE = '/etc/openstack/clouds.yaml';

type Env = Record<string, string | undefined>;

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/config/${name}`, import.meta.url), 'utf8');
}

/** Loads with an in-memory file system: path -> contents. */
function load(files: Record<string, string>, env: Env = {}): LoadCloudResult {
  return loadCloudConfig({ env, cwd: CWD, homeDir: HOME, readFile: (path) => (Object.hasOwn(files, path) ? files[path] : undefined) });
}

function cloudOf(result: LoadCloudResult): CloudConfig {
  if (!result.ok) throw new Error(`expected a cloud, got problems: ${JSON.stringify(result.problems, null, 2)}`);
  if (!result.cloud) throw new Error('expected a cloud, got null');
  return result.cloud;
}

function problemsOf(result: LoadCloudResult): Problem[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result.cloud)}`);
  return result.problems;
}

function wheres(result: LoadCloudResult): string[] {
  return problemsOf(result).map((problem) => problem.where);
}

function problemAt(result: LoadCloudResult, where: string): Problem {
  const problem = problemsOf(result).find((p) => p.where === where);
  if (!problem) throw new Error(`no problem at ${where}; got ${JSON.stringify(problemsOf(result), null, 2)}`);
  return problem;
}

/** A one-cloud clouds.yaml; `body` is the cloud's settings, indented by four spaces. */
function cloudsYaml(body: string, name = 'prod'): string {
  return `clouds:\n  ${name}:\n${body.replace(/^/gm, '    ')}\n`;
}

const VALID_PASSWORD_CLOUD = `auth:
  auth_url: https://keystone.example.com:5000/v3
  username: chatops-bot
  password: file-Pa55word
  user_domain_name: Default
  project_name: chatops
  project_domain_name: Default`;

const VALID_ENV: Env = {
  OS_AUTH_URL: 'https://keystone.example.com:5000/v3',
  OS_USERNAME: 'chatops-bot',
  OS_PASSWORD: 'env-Pa55word',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_NAME: 'chatops',
  OS_PROJECT_DOMAIN_NAME: 'Default',
};

/** Runs openrc scripts in a real bash, typing `typed` at any prompt, and returns the OS_* variables they leave. */
function sourceInBash(scripts: string[], typed = ''): Env {
  const paths = scripts.map((name) => new URL(`../fixtures/config/${name}`, import.meta.url).pathname);
  const sources = paths.map((_, i) => `source "$${i + 1}" >/dev/null`).join(' && ');
  const output = execFileSync('bash', ['-c', `${sources} && env -0`, 'openrc', ...paths], {
    input: typed,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  }).toString();
  const entries = output
    .split('\0')
    .filter((line) => line.startsWith('OS_'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]);
  return Object.fromEntries(entries) as Env;
}

describe('where the configuration comes from', () => {
  it('returns no cloud when there is no clouds.yaml and no OS_* variables, so the app can use its demo cloud', () => {
    expect(load({}, { HOME, PATH: '/usr/bin' })).toEqual({ ok: true, cloud: null });
  });

  it('returns no cloud when only selector variables such as OS_REGION_NAME are set', () => {
    expect(load({}, { OS_REGION_NAME: 'RegionOne', OS_INTERFACE: 'internal' })).toEqual({ ok: true, cloud: null });
  });

  it('reports credential variables set without OS_AUTH_URL instead of silently falling back to the demo cloud', () => {
    const result = load({}, { OS_USERNAME: 'chatops-bot', OS_PASSWORD: 'x' });
    expect(problemsOf(result)).toEqual([
      { where: 'OS_AUTH_URL', message: 'missing: OS_USERNAME, OS_PASSWORD are set but OS_AUTH_URL is not, and no clouds.yaml was found' },
    ]);
  });
});

describe('clouds.yaml search order', () => {
  const named = (name: string): string => cloudsYaml(VALID_PASSWORD_CLOUD, name);

  it('reads OS_CLIENT_CONFIG_FILE before any searched directory', () => {
    const cloud = cloudOf(
      load(
        { '/opt/bot/my-clouds.yaml': named('override'), [CWD_FILE]: named('cwd') },
        { OS_CLIENT_CONFIG_FILE: '/opt/bot/my-clouds.yaml' },
      ),
    );
    expect(cloud.name).toBe('override');
    expect(cloud.source).toBe('/opt/bot/my-clouds.yaml');
  });

  it('resolves a relative OS_CLIENT_CONFIG_FILE against the working directory', () => {
    const cloud = cloudOf(load({ [`${CWD}/conf/clouds.yaml`]: named('relative') }, { OS_CLIENT_CONFIG_FILE: 'conf/clouds.yaml' }));
    expect(cloud.source).toBe(`${CWD}/conf/clouds.yaml`);
  });

  it('reports OS_CLIENT_CONFIG_FILE naming a missing file rather than falling back to another file', () => {
    const result = load({ [CWD_FILE]: named('cwd') }, { OS_CLIENT_CONFIG_FILE: '/opt/bot/missing.yaml' });
    expect(problemsOf(result)).toEqual([{ where: 'OS_CLIENT_CONFIG_FILE', message: 'file not found: /opt/bot/missing.yaml' }]);
  });

  it('prefers the working directory, then ~/.config/openstack, then /etc/openstack', () => {
    const all = { [CWD_FILE]: named('cwd'), [HOME_FILE]: named('home'), [ETC_FILE]: named('etc') };
    expect(cloudOf(load(all)).name).toBe('cwd');
    const { [CWD_FILE]: _cwd, ...withoutCwd } = all;
    expect(cloudOf(load(withoutCwd)).name).toBe('home');
    const { [HOME_FILE]: _home, ...onlyEtc } = withoutCwd;
    expect(cloudOf(load(onlyEtc)).name).toBe('etc');
    expect(cloudOf(load(onlyEtc)).source).toBe(ETC_FILE);
  });

  it('accepts clouds.yml, but prefers clouds.yaml in the same directory', () => {
    expect(cloudOf(load({ [`${HOME}/.config/openstack/clouds.yml`]: named('yml') })).name).toBe('yml');
    expect(cloudOf(load({ [`${CWD}/clouds.yml`]: named('yml'), [CWD_FILE]: named('yaml') })).name).toBe('yaml');
  });

  it('accepts clouds.json, as openstacksdk does', () => {
    const json = JSON.stringify({
      clouds: { fromjson: { auth: { auth_url: 'https://k.example.com', username: 'u', password: 'p', project_id: 'p1' } } },
    });
    expect(cloudOf(load({ [`${CWD}/clouds.json`]: json })).name).toBe('fromjson');
  });

  it('looks in $XDG_CONFIG_HOME/openstack before ~/.config/openstack', () => {
    const files = { '/xdg/openstack/clouds.yaml': named('xdg'), [HOME_FILE]: named('home') };
    expect(cloudOf(load(files, { XDG_CONFIG_HOME: '/xdg' })).name).toBe('xdg');
    expect(cloudOf(load(files)).name).toBe('home');
  });

  it('uses the first file found without merging clouds from later files', () => {
    const result = load({ [CWD_FILE]: named('a'), [HOME_FILE]: named('b') }, { OS_CLOUD: 'b' });
    expect(problemsOf(result)).toEqual([{ where: 'OS_CLOUD', message: `no cloud named "b" in ${CWD_FILE} (available: a)` }]);
  });

  it('reports a file it cannot read, with its path, instead of skipping to the next one', () => {
    const result = loadCloudConfig({
      env: {},
      cwd: CWD,
      homeDir: HOME,
      readFile: (path) => {
        if (path === CWD_FILE) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return path === HOME_FILE ? named('home') : undefined;
      },
    });
    expect(problemsOf(result)).toEqual([{ where: CWD_FILE, message: 'cannot read this file (EACCES)' }]);
  });

  describe('on a real disk, with the default file reader', () => {
    let root = '';
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds clouds.yaml in the working directory before the one in the home directory', () => {
      root = mkdtempSync(join(tmpdir(), 'fipbot-clouds-'));
      const cwd = join(root, 'work');
      const home = join(root, 'home');
      mkdirSync(cwd);
      mkdirSync(join(home, '.config', 'openstack'), { recursive: true });
      writeFileSync(join(home, '.config', 'openstack', 'clouds.yaml'), named('home'));
      writeFileSync(join(home, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
      const loadFromDisk = (): LoadCloudResult => loadCloudConfig({ env: {}, cwd, homeDir: home });

      const homeCloud = cloudOf(loadFromDisk());
      expect([homeCloud.name, homeCloud.source]).toEqual(['home', join(home, '.config', 'openstack', 'clouds.yaml')]);

      writeFileSync(join(cwd, 'clouds.yaml'), cloudsYaml(`${VALID_PASSWORD_CLOUD}\ncacert: ~/ca.pem`, 'cwd'));
      const cwdCloud = cloudOf(loadFromDisk());
      expect([cwdCloud.name, cwdCloud.caFile]).toEqual(['cwd', join(home, 'ca.pem')]);
    });

    it('reports OS_CLIENT_CONFIG_FILE pointing at a file that does not exist', () => {
      root = mkdtempSync(join(tmpdir(), 'fipbot-clouds-'));
      const missing = join(root, 'nope.yaml');
      const result = loadCloudConfig({ env: { OS_CLIENT_CONFIG_FILE: missing }, cwd: root, homeDir: root });
      expect(problemsOf(result)).toEqual([{ where: 'OS_CLIENT_CONFIG_FILE', message: `file not found: ${missing}` }]);
    });

    it('reports a clouds.yaml that is a directory instead of treating it as absent', () => {
      root = mkdtempSync(join(tmpdir(), 'fipbot-clouds-'));
      mkdirSync(join(root, 'clouds.yaml'));
      const result = loadCloudConfig({ env: {}, cwd: root, homeDir: root });
      expect(problemsOf(result)).toEqual([{ where: join(root, 'clouds.yaml'), message: 'cannot read this file (EISDIR)' }]);
    });
  });
});

describe('OS_CLOUD and choosing a cloud', () => {
  const several = fixture('several-clouds.yaml');

  it('uses the only cloud when OS_CLOUD is unset', () => {
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD, 'solo') })).name).toBe('solo');
  });

  it('picks the cloud OS_CLOUD names among several', () => {
    const cloud = cloudOf(load({ [ETC_FILE]: several }, { OS_CLOUD: 'staging' }));
    expect([cloud.name, cloud.auth.type]).toEqual(['staging', 'applicationCredential']);
  });

  it('reports an OS_CLOUD that the file does not define and lists the clouds it does', () => {
    expect(problemsOf(load({ [ETC_FILE]: several }, { OS_CLOUD: 'qa' }))).toEqual([
      { where: 'OS_CLOUD', message: `no cloud named "qa" in ${ETC_FILE} (available: prod, staging, legacy)` },
    ]);
  });

  it('reports several clouds without OS_CLOUD and lists them', () => {
    expect(problemsOf(load({ [ETC_FILE]: several }))).toEqual([
      { where: ETC_FILE, message: 'defines several clouds (prod, staging, legacy); set OS_CLOUD to pick one' },
    ]);
  });

  it('reports a clouds.yaml that defines no clouds', () => {
    expect(problemsOf(load({ [CWD_FILE]: '# nothing yet\n' }))).toEqual([
      { where: CWD_FILE, message: 'defines no clouds under "clouds:"' },
    ]);
    expect(problemsOf(load({ [CWD_FILE]: 'clouds:\n' }))).toEqual([{ where: CWD_FILE, message: 'defines no clouds under "clouds:"' }]);
  });

  it('reports OS_CLOUD when no clouds.yaml exists at all', () => {
    const [problem] = problemsOf(load({}, { OS_CLOUD: 'prod', ...VALID_ENV }));
    expect(problem?.where).toBe('OS_CLOUD');
    expect(problem?.message).toContain('OS_CLOUD is "prod" but no clouds.yaml was found');
    expect(problem?.message).toContain(HOME_FILE);
  });

  it('uses the OS_* variables over a one-cloud clouds.yaml when OS_AUTH_URL is set and OS_CLOUD is not, as openstacksdk does', () => {
    const cloud = cloudOf(load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD) }, VALID_ENV));
    expect([cloud.name, cloud.source]).toEqual(['envvars', 'environment (OS_*)']);
  });

  it('uses the clouds.yaml cloud OS_CLOUD names even when OS_* variables are set', () => {
    const cloud = cloudOf(load({ [ETC_FILE]: several, '/etc/ssl/certs/prod-ca.pem': 'pem' }, { ...VALID_ENV, OS_CLOUD: 'prod' }));
    expect(cloud.name).toBe('prod');
    expect(cloud.auth).toMatchObject({ username: 'chatops-bot', password: 'prod-file-Pa55word' });
  });
});

describe('secure.yaml', () => {
  const secure = (body: string, name = 'prod'): string => cloudsYaml(body, name);

  it('merges the chosen cloud entry over clouds.yaml, secure.yaml values winning and the rest kept', () => {
    const cloud = cloudOf(
      load({
        [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD),
        [`${CWD}/secure.yaml`]: secure('auth:\n  password: secure-Pa55word\nregion_name: RegionSecure'),
      }),
    );
    expect(cloud.auth).toMatchObject({ type: 'password', username: 'chatops-bot', password: 'secure-Pa55word', projectName: 'chatops' });
    expect(cloud.regionName).toBe('RegionSecure');
  });

  it('is found in its own search order, independently of where clouds.yaml was found', () => {
    const cloud = cloudOf(
      load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD), '/etc/openstack/secure.yml': secure('auth:\n  password: etc-secure') }),
    );
    expect(cloud.auth).toMatchObject({ password: 'etc-secure' });
  });

  it('reads OS_CLIENT_SECURE_FILE first', () => {
    const files = {
      [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD),
      [`${CWD}/secure.yaml`]: secure('auth:\n  password: cwd-secure'),
      '/run/secrets/secure.yaml': secure('auth:\n  password: mounted-secret'),
    };
    expect(cloudOf(load(files, { OS_CLIENT_SECURE_FILE: '/run/secrets/secure.yaml' })).auth).toMatchObject({ password: 'mounted-secret' });
  });

  it('reports OS_CLIENT_SECURE_FILE naming a missing file', () => {
    const result = load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD) }, { OS_CLIENT_SECURE_FILE: '/run/secrets/gone.yaml' });
    expect(problemsOf(result)).toEqual([{ where: 'OS_CLIENT_SECURE_FILE', message: 'file not found: /run/secrets/gone.yaml' }]);
  });

  it('ignores the entries of other clouds', () => {
    const cloud = cloudOf(
      load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD), [`${CWD}/secure.yaml`]: secure('auth:\n  password: other', 'other') }),
    );
    expect(cloud.auth).toMatchObject({ password: 'file-Pa55word' });
  });

  it('names secure.yaml in problems about values that came from it', () => {
    const result = load({
      [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD),
      [`${CWD}/secure.yaml`]: secure('auth:\n  password: [a, b]\ninterface: sideways'),
    });
    expect(problemsOf(result)).toEqual([
      { where: `${CWD}/secure.yaml: clouds.prod.auth.password`, message: 'must be a single value, not a list or mapping' },
    ]);
    const semantic = load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD), [`${CWD}/secure.yaml`]: secure('interface: sideways') });
    expect(wheres(semantic)).toEqual([`${CWD}/secure.yaml: clouds.prod.interface`]);
  });

  it('reports invalid YAML in secure.yaml', () => {
    const result = load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD), [`${CWD}/secure.yaml`]: 'clouds:\n  prod: [\n' });
    expect(wheres(result)).toContain(`${CWD}/secure.yaml`);
  });
});

describe('clouds.yaml keys', () => {
  const several = fixture('several-clouds.yaml');
  const files = { [ETC_FILE]: several, '/etc/ssl/certs/prod-ca.pem': '-----BEGIN CERTIFICATE-----\n' };

  it('reads a complete password cloud, including values shared through a YAML anchor and merge key', () => {
    expect(cloudOf(load(files, { OS_CLOUD: 'prod' }))).toEqual({
      name: 'prod',
      source: ETC_FILE,
      auth: {
        type: 'password',
        authUrl: 'https://keystone.prod.example.com:5000/v3',
        username: 'chatops-bot',
        userDomain: { name: 'Ops' },
        password: 'prod-file-Pa55word',
        projectName: 'chatops',
        projectDomain: { name: 'Ops' },
      },
      regionName: 'RegionOne',
      interface: 'internal',
      caFile: '/etc/ssl/certs/prod-ca.pem',
      insecure: false,
    });
  });

  it('reads an application credential cloud', () => {
    expect(cloudOf(load(files, { OS_CLOUD: 'staging' }))).toEqual({
      name: 'staging',
      source: ETC_FILE,
      auth: {
        type: 'applicationCredential',
        authUrl: 'https://keystone.staging.example.com:5000',
        applicationCredentialId: '4f1c2a7d9e8b4c3a',
        secret: 'staging-app-cred-secret',
      },
      regionName: 'RegionTwo',
      interface: 'public',
      insecure: false,
    });
  });

  it('accepts tenant_name, tenant_id, endpoint_type and verify: false the way openstacksdk does', () => {
    const cloud = cloudOf(load(files, { OS_CLOUD: 'legacy' }));
    expect(cloud.auth).toMatchObject({ projectName: 'old-project', projectId: '1e2d3c4b5a69788796a5b4c3d2e1f0a9' });
    expect(cloud.interface).toBe('public');
    expect(cloud.insecure).toBe(true);
  });

  it('fills both the user and the project domain from domain_name when a project is given', () => {
    const cloud = cloudOf(load(files, { OS_CLOUD: 'legacy' }));
    expect(cloud.auth).toMatchObject({ userDomain: { name: 'Legacy' }, projectDomain: { name: 'Legacy' } });
  });

  it('keeps specific user and project domains over domain_id', () => {
    const body = `auth:
  auth_url: https://k.example.com
  username: u
  password: p
  project_name: proj
  domain_id: shared
  user_domain_name: Users`;
    const cloud = cloudOf(load({ [CWD_FILE]: cloudsYaml(body) }));
    expect(cloud.auth).toMatchObject({ userDomain: { name: 'Users' }, projectDomain: { id: 'shared' } });
  });

  it('prefers project_name over tenant_name and interface over endpoint_type when both are given', () => {
    const body = `auth:
  auth_url: https://k.example.com
  username: u
  user_domain_id: default
  password: p
  project_name: new
  tenant_name: old
interface: admin
endpoint_type: internalURL`;
    const cloud = cloudOf(load({ [CWD_FILE]: cloudsYaml(body) }));
    expect(cloud.auth).toMatchObject({ projectName: 'new' });
    expect(cloud.interface).toBe('admin');
  });

  it('fills missing domains from auth.default_domain', () => {
    const body = 'auth:\n  auth_url: https://k.example.com\n  username: u\n  password: p\n  project_name: proj\n  default_domain: d0m41n';
    const cloud = cloudOf(load({ [CWD_FILE]: cloudsYaml(body) }));
    expect(cloud.auth).toMatchObject({ userDomain: { id: 'd0m41n' }, projectDomain: { id: 'd0m41n' } });
  });

  it('assumes the "default" domain id for a user and project given by name without one, as OSC does', () => {
    const body = 'auth:\n  auth_url: https://k.example.com\n  username: u\n  password: p\n  project_name: proj';
    const cloud = cloudOf(load({ [CWD_FILE]: cloudsYaml(body) }));
    expect(cloud.auth).toMatchObject({ userDomain: { id: 'default' }, projectDomain: { id: 'default' } });
  });

  it('infers application credential auth from its fields when auth_type is absent', () => {
    const body = 'auth:\n  auth_url: https://k.example.com\n  application_credential_id: ac1\n  application_credential_secret: s';
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(body) })).auth.type).toBe('applicationCredential');
  });

  it('accepts auth_type password and v3password for password auth', () => {
    for (const type of ['password', 'v3password']) {
      expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nauth_type: ${type}`) })).auth.type).toBe('password');
    }
  });

  it('keeps unquoted ids and names exactly as written, even when YAML would read them as numbers or booleans', () => {
    const body = `auth:
  auth_url: https://k.example.com
  username: yes
  user_domain_id: 0123
  password: 000123
  project_id: 7e350113489023475812934758102938`;
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(body) })).auth).toMatchObject({
      username: 'yes',
      userDomain: { id: '0123' },
      password: '000123',
      projectId: '7e350113489023475812934758102938',
    });
  });

  it('treats verify: <path> as a CA bundle and insecure: true as turning verification off', () => {
    const withCa = cloudOf(
      load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nverify: /etc/ssl/corp.pem`), '/etc/ssl/corp.pem': 'pem' }),
    );
    expect([withCa.caFile, withCa.insecure]).toEqual(['/etc/ssl/corp.pem', false]);
    const insecure = cloudOf(load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\ninsecure: true\ncacert: /nowhere.pem`) }));
    expect([insecure.caFile, insecure.insecure]).toEqual([undefined, true]);
  });

  it('resolves a relative cacert against the working directory and reports a missing CA bundle', () => {
    const found = cloudOf(
      load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\ncacert: certs/ca.pem`), [`${CWD}/certs/ca.pem`]: 'pem' }),
    );
    expect(found.caFile).toBe(`${CWD}/certs/ca.pem`);
    const missing = load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\ncacert: certs/ca.pem`) });
    expect(problemsOf(missing)).toEqual([
      { where: `${CWD_FILE}: clouds.prod.cacert`, message: `CA bundle not found: ${CWD}/certs/ca.pem` },
    ]);
  });

  it('takes the first entry of regions: and lets OS_REGION_NAME pick another', () => {
    const file = { [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nregions:\n  - RegionOne\n  - name: RegionTwo\n    values: {}`) };
    expect(cloudOf(load(file)).regionName).toBe('RegionOne');
    expect(cloudOf(load(file, { OS_REGION_NAME: 'RegionTwo' })).regionName).toBe('RegionTwo');
  });

  it('uses OS_REGION_NAME for a cloud that names no region', () => {
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD) }, { OS_REGION_NAME: 'RegionNine' })).regionName).toBe('RegionNine');
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD) })).regionName).toBeUndefined();
  });

  it('reports an OS_REGION_NAME that the cloud does not list, as openstacksdk does', () => {
    const result = load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nregion_name: RegionOne`) }, { OS_REGION_NAME: 'RegionTwo' });
    expect(problemsOf(result)).toEqual([
      { where: 'OS_REGION_NAME', message: '"RegionTwo" is not a region of cloud "prod" (regions: RegionOne)' },
    ]);
  });

  it('ignores OS_* credential variables other than OS_PASSWORD for a clouds.yaml cloud', () => {
    const cloud = cloudOf(
      load(
        { [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD) },
        { OS_USERNAME: 'someone-else', OS_PROJECT_NAME: 'other', OS_INTERFACE: 'admin' },
      ),
    );
    expect(cloud.auth).toMatchObject({ username: 'chatops-bot', projectName: 'chatops' });
    expect(cloud.interface).toBe('public');
  });

  it('lets OS_PASSWORD fill a missing password but never override one written in the files', () => {
    const withoutPassword = VALID_PASSWORD_CLOUD.replace(/\n {2}password: .*/, '');
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(withoutPassword) }, { OS_PASSWORD: 'from-env' })).auth).toMatchObject({
      password: 'from-env',
    });
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(VALID_PASSWORD_CLOUD) }, { OS_PASSWORD: 'from-env' })).auth).toMatchObject({
      password: 'file-Pa55word',
    });
  });

  it('trims trailing slashes from auth_url and keeps the rest of it as given', () => {
    const body = VALID_PASSWORD_CLOUD.replace('https://keystone.example.com:5000/v3', 'https://cloud.example.com/identity//');
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(body) })).auth.authUrl).toBe('https://cloud.example.com/identity');
  });

  it('accepts identity_api_version 3 and reports 2, since Keystone v2 is gone', () => {
    expect(cloudOf(load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nidentity_api_version: '3'`) })).name).toBe('prod');
    const result = load({ [CWD_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nidentity_api_version: 2.0`) });
    expect(problemAt(result, `${CWD_FILE}: clouds.prod.identity_api_version`).message).toContain('Keystone v2 has been removed');
  });

  it('reports a vendor profile without an auth_url, since fipbot has no vendor data', () => {
    const result = load({ [CWD_FILE]: cloudsYaml('profile: vexxhost\nauth:\n  username: u\n  password: p\n  project_id: p1') });
    expect(problemsOf(result)).toEqual([
      {
        where: `${CWD_FILE}: clouds.prod.auth.auth_url`,
        message: 'missing: vendor profiles ("profile: vexxhost") are not supported, write the Keystone URL here',
      },
    ]);
  });
});

describe('OS_* variables', () => {
  const loadEnv = (env: Env, files: Record<string, string> = {}): LoadCloudResult => load(files, env);

  it('builds a password cloud named "envvars" from them', () => {
    const cloud = cloudOf(
      loadEnv(
        { ...VALID_ENV, OS_REGION_NAME: 'RegionOne', OS_INTERFACE: 'internal', OS_CACERT: '/etc/ssl/ca.pem' },
        { '/etc/ssl/ca.pem': 'pem' },
      ),
    );
    expect(cloud).toEqual({
      name: 'envvars',
      source: 'environment (OS_*)',
      auth: {
        type: 'password',
        authUrl: 'https://keystone.example.com:5000/v3',
        username: 'chatops-bot',
        userDomain: { name: 'Default' },
        password: 'env-Pa55word',
        projectName: 'chatops',
        projectDomain: { name: 'Default' },
      },
      regionName: 'RegionOne',
      interface: 'internal',
      caFile: '/etc/ssl/ca.pem',
      insecure: false,
    });
  });

  it('accepts OS_USER_ID and the ids of domains and projects', () => {
    const cloud = cloudOf(
      loadEnv({
        OS_AUTH_URL: 'https://k.example.com',
        OS_USER_ID: 'u1',
        OS_PASSWORD: 'p',
        OS_PROJECT_NAME: 'proj',
        OS_PROJECT_DOMAIN_ID: 'd1',
        OS_AUTH_TYPE: 'v3password',
      }),
    );
    expect(cloud.auth).toEqual({
      type: 'password',
      authUrl: 'https://k.example.com',
      userId: 'u1',
      password: 'p',
      projectName: 'proj',
      projectDomain: { id: 'd1' },
    });
  });

  it('accepts OS_TENANT_NAME, OS_TENANT_ID and OS_ENDPOINT_TYPE as aliases', () => {
    const { OS_PROJECT_NAME: _name, ...env } = VALID_ENV;
    const cloud = cloudOf(loadEnv({ ...env, OS_TENANT_NAME: 'tenant', OS_TENANT_ID: 't1', OS_ENDPOINT_TYPE: 'adminURL' }));
    expect(cloud.auth).toMatchObject({ projectName: 'tenant', projectId: 't1' });
    expect(cloud.interface).toBe('admin');
  });

  it('prefers OS_PROJECT_NAME over a leftover OS_TENANT_NAME', () => {
    expect(cloudOf(loadEnv({ ...VALID_ENV, OS_TENANT_NAME: 'stale' })).auth).toMatchObject({ projectName: 'chatops' });
  });

  it.each([
    ['public', 'public'],
    ['internal', 'internal'],
    ['admin', 'admin'],
    ['publicURL', 'public'],
    ['internalURL', 'internal'],
    ['adminURL', 'admin'],
  ] as const)('reads OS_INTERFACE=%s as %s endpoints', (value, expected) => {
    expect(cloudOf(loadEnv({ ...VALID_ENV, OS_INTERFACE: value })).interface).toBe(expected);
  });

  it('reports an OS_INTERFACE that is not an endpoint interface', () => {
    expect(problemsOf(loadEnv({ ...VALID_ENV, OS_INTERFACE: 'private' }))).toEqual([
      { where: 'OS_INTERFACE', message: '"private" is not an endpoint interface; use public, internal or admin' },
    ]);
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ] as const)('reads OS_INSECURE=%s as %s', (value, expected) => {
    expect(cloudOf(loadEnv({ ...VALID_ENV, OS_INSECURE: value })).insecure).toBe(expected);
  });

  it('reports an OS_INSECURE value that is not a boolean', () => {
    expect(problemsOf(loadEnv({ ...VALID_ENV, OS_INSECURE: 'maybe' }))).toEqual([
      { where: 'OS_INSECURE', message: '"maybe" is not a boolean; use true or false' },
    ]);
  });

  it('reports an OS_CACERT naming a missing file', () => {
    expect(problemsOf(loadEnv({ ...VALID_ENV, OS_CACERT: '/etc/ssl/missing.pem' }))).toEqual([
      { where: 'OS_CACERT', message: 'CA bundle not found: /etc/ssl/missing.pem' },
    ]);
  });

  it('treats empty variables as unset, like the blank OS_CACERT= of a DevStack openrc', () => {
    const cloud = cloudOf(loadEnv({ ...VALID_ENV, OS_CACERT: '', OS_REGION_NAME: '', OS_INSECURE: '' }));
    expect([cloud.caFile, cloud.regionName, cloud.insecure]).toEqual([undefined, undefined, false]);
  });

  it.each([
    ['OS_DEFAULT_DOMAIN', { id: 'dom1' }],
    ['OS_DEFAULT_DOMAIN_ID', { id: 'dom1' }],
    ['OS_DEFAULT_DOMAIN_NAME', { name: 'dom1' }],
  ] as const)('fills missing user and project domains from %s', (variable, domain) => {
    const env = { OS_AUTH_URL: 'https://k.example.com', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_PROJECT_NAME: 'proj', [variable]: 'dom1' };
    expect(cloudOf(loadEnv(env)).auth).toMatchObject({ userDomain: domain, projectDomain: domain });
  });

  it('uses OS_DOMAIN_NAME for the user and project domains when a project is given', () => {
    const env = {
      OS_AUTH_URL: 'https://k.example.com',
      OS_USERNAME: 'u',
      OS_PASSWORD: 'p',
      OS_PROJECT_NAME: 'proj',
      OS_DOMAIN_NAME: 'Shared',
    };
    expect(cloudOf(loadEnv(env)).auth).toMatchObject({ userDomain: { name: 'Shared' }, projectDomain: { name: 'Shared' } });
  });

  it('reports OS_DOMAIN_NAME without a project as an unsupported domain scope', () => {
    const env = { OS_AUTH_URL: 'https://k.example.com', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_DOMAIN_NAME: 'Shared' };
    expect(problemsOf(loadEnv(env))).toEqual([
      {
        where: 'OS_DOMAIN_NAME',
        message: 'domain-scoped tokens are not supported: fipbot needs a project scope; set OS_PROJECT_NAME or OS_PROJECT_ID',
      },
    ]);
  });

  it('accepts OS_IDENTITY_API_VERSION=3 and reports 2, since Keystone v2 is gone', () => {
    expect(cloudOf(loadEnv({ ...VALID_ENV, OS_IDENTITY_API_VERSION: '3' })).name).toBe('envvars');
    expect(problemsOf(loadEnv({ ...VALID_ENV, OS_IDENTITY_API_VERSION: '2' }))).toEqual([
      { where: 'OS_IDENTITY_API_VERSION', message: 'Keystone v2 has been removed from OpenStack; fipbot speaks Identity v3 only (use 3)' },
    ]);
  });

  it.each(['token', 'v3token', 'v3oidcpassword', 'admin_token'])('reports OS_AUTH_TYPE=%s as unsupported', (type) => {
    expect(problemsOf(loadEnv({ ...VALID_ENV, OS_AUTH_TYPE: type }))).toEqual([
      { where: 'OS_AUTH_TYPE', message: `auth type "${type}" is not supported; use password, v3password or v3applicationcredential` },
    ]);
  });

  it('reports OS_AUTH_TYPE=v2password as needing the removed Keystone v2', () => {
    expect(problemAt(loadEnv({ ...VALID_ENV, OS_AUTH_TYPE: 'v2password' }), 'OS_AUTH_TYPE').message).toContain('Keystone v2');
  });
});

describe('Horizon downloads work exactly as downloaded', () => {
  it('reads the v3 openrc, sourced by bash with the password typed at its prompt', () => {
    const env = sourceInBash(['horizon-openrc.sh'], 'typed-at-the-Pr0mpt\n');
    expect(env.OS_PASSWORD).toBe('typed-at-the-Pr0mpt');
    expect(cloudOf(load({}, env))).toEqual({
      name: 'envvars',
      source: 'environment (OS_*)',
      auth: {
        type: 'password',
        authUrl: 'https://keystone.example.com:5000/v3',
        username: 'chatops-bot',
        userDomain: { name: 'Default' },
        password: 'typed-at-the-Pr0mpt',
        projectId: '0c9a1e5f3b2d4e6f8a7b9c1d2e3f4a5b',
        projectName: 'chatops',
        projectDomain: { id: 'default' },
      },
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
    });
  });

  it('reads the application-credential openrc', () => {
    const env = sourceInBash(['horizon-app-cred-openrc.sh']);
    expect(cloudOf(load({}, env))).toEqual({
      name: 'envvars',
      source: 'environment (OS_*)',
      auth: {
        type: 'applicationCredential',
        authUrl: 'https://keystone.example.com:5000/v3',
        applicationCredentialId: '3f8e2b1c9a7d4e5f8b6c0a1d2e3f4b5c',
        secret: 'hzn-APPCRED-s3cret_Xk3vQ9-hZ2mN8pLr4tYw6sB1cF5gJ7dK0aE3uI9oP2qR5sT8vW1xY4zA6bC9dE2fG5hJ8kL1mN4',
      },
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
    });
  });

  it('reports the project left behind by an earlier openrc when the application-credential openrc is sourced after it', () => {
    const env = sourceInBash(['horizon-openrc.sh', 'horizon-app-cred-openrc.sh'], 'pw\n');
    const result = load({}, env);
    expect(wheres(result)).toEqual(['OS_PROJECT_ID', 'OS_PROJECT_NAME']);
    expect(problemAt(result, 'OS_PROJECT_ID').message).toBe(
      'application credentials carry their own project and Keystone refuses a token request that names a scope; unset this',
    );
  });

  it('reads the clouds.yaml with the password added through secure.yaml', () => {
    const cloud = cloudOf(
      load({ [HOME_FILE]: fixture('horizon-clouds.yaml'), [`${HOME}/.config/openstack/secure.yaml`]: fixture('horizon-secure.yaml') }),
    );
    expect(cloud).toEqual({
      name: 'openstack',
      source: HOME_FILE,
      auth: {
        type: 'password',
        authUrl: 'https://keystone.example.com:5000/v3',
        username: 'chatops-bot',
        userDomain: { name: 'Default' },
        password: 'secure-yaml-Pa55word',
        projectId: '0c9a1e5f3b2d4e6f8a7b9c1d2e3f4a5b',
        projectName: 'chatops',
        projectDomain: { id: 'default' },
      },
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
    });
  });

  it('reads the clouds.yaml with the password given in OS_PASSWORD', () => {
    const cloud = cloudOf(load({ [HOME_FILE]: fixture('horizon-clouds.yaml') }, { OS_CLOUD: 'openstack', OS_PASSWORD: 'exported-Pa55' }));
    expect(cloud.auth).toMatchObject({ type: 'password', username: 'chatops-bot', password: 'exported-Pa55' });
  });

  it('reports the clouds.yaml without any password, saying where a password can go', () => {
    expect(problemsOf(load({ [HOME_FILE]: fixture('horizon-clouds.yaml') }))).toEqual([
      {
        where: `${HOME_FILE}: clouds.openstack.auth.password`,
        message: 'missing: the password for password auth; add it here, put it in secure.yaml, or set OS_PASSWORD',
      },
    ]);
  });

  it('reads the application-credential clouds.yaml, blank template lines and all', () => {
    expect(fixture('horizon-app-cred-clouds.yaml')).toMatch(/\n {4}\n {6}\n/); // the whitespace-only lines Horizon leaves
    expect(cloudOf(load({ [CWD_FILE]: fixture('horizon-app-cred-clouds.yaml') }))).toEqual({
      name: 'openstack',
      source: CWD_FILE,
      auth: {
        type: 'applicationCredential',
        authUrl: 'https://keystone.example.com:5000/v3',
        applicationCredentialId: '3f8e2b1c9a7d4e5f8b6c0a1d2e3f4b5c',
        secret: 'hzn-APPCRED-s3cret_Xk3vQ9-hZ2mN8pLr4tYw6sB1cF5gJ7dK0aE3uI9oP2qR5sT8vW1xY4zA6bC9dE2fG5hJ8kL1mN4',
      },
      regionName: 'RegionOne',
      interface: 'public',
      insecure: false,
    });
  });
});

describe('problems', () => {
  it('reports every problem of a clouds.yaml cloud at once, each naming the file and key path', () => {
    const body = `auth:
  project_name: chatops
interface: sideways
insecure: perhaps
cacert: /etc/ssl/none.pem`;
    const result = load({ [ETC_FILE]: cloudsYaml(body) });
    expect(wheres(result).sort()).toEqual(
      [
        `${ETC_FILE}: clouds.prod.auth.auth_url`,
        `${ETC_FILE}: clouds.prod.auth.username`,
        `${ETC_FILE}: clouds.prod.auth.password`,
        `${ETC_FILE}: clouds.prod.interface`,
        `${ETC_FILE}: clouds.prod.insecure`,
        `${ETC_FILE}: clouds.prod.cacert`,
      ].sort(),
    );
    expect(problemAt(result, `${ETC_FILE}: clouds.prod.auth.username`).message).toBe('missing: set auth.username or auth.user_id');
  });

  it('reports every problem of OS_* variables at once, naming the variables', () => {
    const result = load(
      {},
      { OS_AUTH_URL: 'keystone.example.com:5000', OS_INTERFACE: 'private', OS_CACERT: '/none.pem', OS_IDENTITY_API_VERSION: '2.0' },
    );
    expect(wheres(result).sort()).toEqual(
      ['OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD', 'OS_PROJECT_NAME', 'OS_INTERFACE', 'OS_CACERT', 'OS_IDENTITY_API_VERSION'].sort(),
    );
    expect(problemAt(result, 'OS_PROJECT_NAME').message).toBe(
      'missing: fipbot needs a project scope; set OS_PROJECT_NAME or OS_PROJECT_ID',
    );
  });

  it.each([
    ['ftp://keystone.example.com/v3', 'must be an http:// or https:// URL'],
    ['keystone.example.com:5000', 'must be an http:// or https:// URL'],
    ['not a url', 'is not a URL; expected e.g. https://keystone.example.com:5000/v3'],
  ])('reports the auth URL %s', (url, message) => {
    expect(problemsOf(load({}, { ...VALID_ENV, OS_AUTH_URL: url }))).toEqual([{ where: 'OS_AUTH_URL', message }]);
  });

  it('reports invalid YAML with its line and column', () => {
    expect(problemsOf(load({ [CWD_FILE]: fixture('broken.yaml') }))).toEqual([
      { where: CWD_FILE, message: 'invalid YAML at line 6, column 17: Nested mappings are not allowed in compact mappings' },
    ]);
  });

  it('reports a file that is not a mapping with a clouds: key', () => {
    expect(problemsOf(load({ [CWD_FILE]: '- just\n- a list\n' }))).toEqual([
      { where: CWD_FILE, message: 'must be a mapping with a top-level "clouds:" key' },
    ]);
    expect(problemsOf(load({ [CWD_FILE]: 'clouds: [prod]\n' }))).toEqual([
      { where: `${CWD_FILE}: clouds`, message: 'must be a mapping of cloud names to their settings' },
    ]);
  });

  it('reports settings of the wrong shape with their key path', () => {
    const result = load({
      [CWD_FILE]: cloudsYaml('auth:\n  auth_url: [https://a, https://b]\nregions: RegionOne\ninterface:\n  public: true'),
    });
    expect(problemsOf(result)).toEqual([
      { where: `${CWD_FILE}: clouds.prod.auth.auth_url`, message: 'must be a single value, not a list or mapping' },
      { where: `${CWD_FILE}: clouds.prod.regions`, message: 'must be a list of region names' },
      { where: `${CWD_FILE}: clouds.prod.interface`, message: 'must be a single value, not a list or mapping' },
    ]);
    expect(problemsOf(load({ [CWD_FILE]: 'clouds:\n  prod: just-a-string\n' }))).toEqual([
      { where: `${CWD_FILE}: clouds.prod`, message: 'must be a mapping of settings' },
    ]);
  });

  it('reports an application credential without its secret, or without an id or name', () => {
    const result = load({}, { OS_AUTH_URL: 'https://k.example.com', OS_AUTH_TYPE: 'v3applicationcredential' });
    expect(problemsOf(result)).toEqual([
      { where: 'OS_APPLICATION_CREDENTIAL_SECRET', message: 'missing: the application credential secret' },
      {
        where: 'OS_APPLICATION_CREDENTIAL_ID',
        message: 'missing: set OS_APPLICATION_CREDENTIAL_ID (or OS_APPLICATION_CREDENTIAL_NAME with the owning user)',
      },
    ]);
  });

  it('reports an application credential name without its owner, and an owner name without a domain', () => {
    const base = { OS_AUTH_URL: 'https://k.example.com', OS_APPLICATION_CREDENTIAL_NAME: 'fipbot', OS_APPLICATION_CREDENTIAL_SECRET: 's' };
    expect(wheres(load({}, base))).toEqual(['OS_USER_ID']);
    expect(problemsOf(load({}, { ...base, OS_USERNAME: 'chatops-bot' }))).toEqual([
      {
        where: 'OS_USERNAME',
        message: 'user name without a domain: set OS_USER_DOMAIN_NAME or OS_USER_DOMAIN_ID (user names are unique only within a domain)',
      },
    ]);
  });

  it('accepts an application credential given by name with its owner', () => {
    const env = { OS_AUTH_URL: 'https://k.example.com', OS_APPLICATION_CREDENTIAL_NAME: 'fipbot', OS_APPLICATION_CREDENTIAL_SECRET: 's' };
    expect(cloudOf(load({}, { ...env, OS_USER_ID: 'u1' })).auth).toMatchObject({ applicationCredentialName: 'fipbot', userId: 'u1' });
    expect(cloudOf(load({}, { ...env, OS_USERNAME: 'bot', OS_USER_DOMAIN_NAME: 'Default' })).auth).toMatchObject({
      applicationCredentialName: 'fipbot',
      username: 'bot',
      userDomain: { name: 'Default' },
    });
  });

  it('reports an application credential in clouds.yaml that also names a project or domain scope', () => {
    const body = `auth_type: v3applicationcredential
auth:
  auth_url: https://k.example.com
  application_credential_id: ac1
  application_credential_secret: s
  project_name: chatops
  domain_id: default`;
    const result = load({ [CWD_FILE]: cloudsYaml(body) });
    expect(wheres(result)).toEqual([`${CWD_FILE}: clouds.prod.auth.project_name`, `${CWD_FILE}: clouds.prod.auth.domain_id`]);
    expect(problemAt(result, `${CWD_FILE}: clouds.prod.auth.domain_id`).message).toMatch(
      /refuses a token request that names a scope; remove this$/,
    );
  });

  describe('never put a password or application credential secret into a message', () => {
    const PASSWORD = 'Zebra-Pa55-4821-never-shown';
    const SECRET = 'Quokka-AppCred-9910-never-shown';
    const cases: Array<[string, () => LoadCloudResult]> = [
      ['invalid YAML on the password line', () => load({ [CWD_FILE]: cloudsYaml(`auth:\n  password: ${PASSWORD}: x`) })],
      [
        'invalid YAML on the secret line',
        () => load({ [CWD_FILE]: `clouds:\n  prod:\n    auth:\n      application_credential_secret: "${SECRET}\n` }),
      ],
      ['a password written as a list', () => load({ [CWD_FILE]: cloudsYaml(`auth:\n  auth_url: https://k\n  password: [${PASSWORD}]`) })],
      ['a secret written as a mapping', () => load({ [CWD_FILE]: cloudsYaml(`auth:\n  application_credential_secret: {${SECRET}: 1}`) })],
      ['a password in an auth URL', () => load({}, { ...VALID_ENV, OS_AUTH_URL: `ftp://bot:${PASSWORD}@keystone.example.com` })],
      ['a password in an auth URL that does not parse', () => load({}, { ...VALID_ENV, OS_AUTH_URL: `https://bot:${PASSWORD}@[bad` })],
      ['a password with everything else missing', () => load({}, { OS_PASSWORD: PASSWORD })],
      [
        'a password cloud with a bad interface',
        () => load({}, { ...VALID_ENV, OS_PASSWORD: PASSWORD, OS_INTERFACE: 'nope', OS_PROJECT_NAME: '' }),
      ],
      [
        'a scoped application credential',
        () =>
          load(
            {},
            {
              OS_AUTH_URL: 'https://k.example.com',
              OS_APPLICATION_CREDENTIAL_ID: 'ac1',
              OS_APPLICATION_CREDENTIAL_SECRET: SECRET,
              OS_PROJECT_NAME: 'p',
            },
          ),
      ],
      [
        'an application credential in secure.yaml with a bad type',
        () =>
          load({
            [CWD_FILE]: cloudsYaml(
              'auth_type: v3applicationcredential\nauth:\n  auth_url: https://k.example.com\n  application_credential_id: ac1',
            ),
            [`${CWD}/secure.yaml`]: cloudsYaml(`auth:\n  application_credential_secret: ${SECRET}\nauth_type: token`),
          }),
      ],
    ];

    it.each(cases)('when the configuration has %s', (_label, run) => {
      const problems = problemsOf(run());
      expect(problems.length).toBeGreaterThan(0);
      const text = JSON.stringify(problems);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(SECRET);
      // and not even a recognisable part of them
      expect(text).not.toMatch(/Zebra|Quokka/);
    });
  });
});

describe('describeCloud', () => {
  it('describes a password cloud in one line', () => {
    const cloud = cloudOf(load({ [ETC_FILE]: cloudsYaml(`${VALID_PASSWORD_CLOUD}\nregion_name: RegionOne`) }));
    expect(describeCloud(cloud)).toBe(
      'cloud "prod" from /etc/openstack/clouds.yaml: password auth as chatops-bot, project chatops, region RegionOne, public endpoints',
    );
  });

  it('describes application credential clouds and TLS settings without any secret', () => {
    const byId = cloudOf(load({}, { ...sourceInBash(['horizon-app-cred-openrc.sh']), OS_INSECURE: 'true' }));
    const line = describeCloud(byId);
    expect(line).toBe(
      'cloud "envvars" from environment (OS_*): application credential 3f8e2b1c9a7d4e5f8b6c0a1d2e3f4b5c, region RegionOne, public endpoints, TLS verification OFF',
    );
    expect(line).not.toContain('s3cret');

    const byName = cloudOf(
      load(
        { '/etc/ssl/ca.pem': 'pem' },
        {
          OS_AUTH_URL: 'https://k.example.com',
          OS_APPLICATION_CREDENTIAL_NAME: 'fipbot',
          OS_APPLICATION_CREDENTIAL_SECRET: 'hush-hush-secret',
          OS_USER_ID: 'u1',
          OS_CACERT: '/etc/ssl/ca.pem',
        },
      ),
    );
    expect(describeCloud(byName)).toBe(
      'cloud "envvars" from environment (OS_*): application credential "fipbot" of user u1, no region set, public endpoints, CA bundle /etc/ssl/ca.pem',
    );
  });
});
