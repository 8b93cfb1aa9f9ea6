/**
 * Check 2: Keystone issues a project-scoped token for the configured
 * credentials. Says as whom and in which project; on refusal, which settings
 * to look at; when Keystone cannot be reached, the URL tried and why not.
 */
import type { CloudConnection } from '../../openstack/cloud.js';
import type { CloudConfig } from '../../openstack/cloud-config.js';
import { OpenStackAuthError } from '../../openstack/errors.js';
import { keystoneV3Url, type Token } from '../../openstack/identity.js';
import { describeOpenStackFailure, printableUrl, settingName } from '../openstack-problems.js';
import { CHECK_NAMES, type CheckResult } from '../types.js';
import { elapsedSince } from './timing.js';

const NAME = CHECK_NAMES.keystone;

/** Who the configuration says we are, for messages: names and ids only. */
function claimedIdentity(cloud: CloudConfig): string {
  const auth = cloud.auth;
  if (auth.type === 'applicationCredential') {
    return auth.applicationCredentialId
      ? `application credential ${auth.applicationCredentialId}`
      : `application credential "${auth.applicationCredentialName ?? '?'}"`;
  }
  return `user ${auth.username ?? auth.userId ?? '?'}, project ${auth.projectName ?? auth.projectId ?? '?'}`;
}

function refusedAdvice(cloud: CloudConfig): string {
  const s = (key: string) => settingName(cloud, key);
  if (cloud.auth.type === 'applicationCredential') {
    const id = cloud.auth.applicationCredentialId ? s('application_credential_id') : s('application_credential_name');
    return (
      `Check the application credential (${id} and ${s('application_credential_secret')}). ` +
      'It may have expired or been deleted: create a new one (openstack application credential create fipbot --role member) and put its id and secret in the configuration.'
    );
  }
  const inFile = !cloud.source.startsWith('environment') && cloud.source !== 'the embedded demo cloud';
  return (
    `Check ${s('password')}${inFile ? ' (or secure.yaml beside it, or OS_PASSWORD)' : ''}, ` +
    `the user name (${s('username')}) and its domain, and that the user has a role in the project (${s('project_name')}): ` +
    'Keystone answers 401 to each of these mistakes.'
  );
}

export async function checkKeystone(connection: CloudConnection): Promise<{ result: CheckResult; token: Token | undefined }> {
  const cloud = connection.cloud;
  const tokensUrl = `${keystoneV3Url(cloud.auth.authUrl)}/auth/tokens`;
  const started = performance.now();
  try {
    const token = await connection.identity.token();
    const durationMs = elapsedSince(started);
    const user = token.userName ? `${token.userName} (${token.userId})` : token.userId;
    const project = token.projectName ? `${token.projectName} (${token.projectId})` : token.projectId;
    const roles = token.roles.length > 0 ? token.roles.join(', ') : 'none';
    const admin = token.roles.includes('admin');
    return {
      token,
      result: {
        id: 'keystone',
        name: NAME,
        status: admin ? 'warn' : 'ok',
        detail: `authenticated at ${printableUrl(keystoneV3Url(cloud.auth.authUrl))} as user ${user} in project ${project}; roles: ${roles}`,
        ...(admin
          ? {
              next: "The bot holds the admin role: it can see and change every project's floating IPs. Least privilege: give fipbot a user (or an application credential) with the member role only.",
            }
          : {}),
        durationMs,
      },
    };
  } catch (error) {
    const durationMs = elapsedSince(started);
    if (error instanceof OpenStackAuthError) {
      return {
        token: undefined,
        result: {
          id: 'keystone',
          name: NAME,
          status: 'fail',
          detail: `Keystone refused the credentials (401) for ${claimedIdentity(cloud)} at ${printableUrl(tokensUrl)}${error.requestId ? ` (request ${error.requestId})` : ''}`,
          next: refusedAdvice(cloud),
          cause: 'configuration',
          durationMs,
        },
      };
    }
    const problem = describeOpenStackFailure(error, 'identity', tokensUrl, settingName(cloud, 'auth_url'));
    return {
      token: undefined,
      result: { id: 'keystone', name: NAME, status: 'fail', detail: problem.detail, next: problem.next, cause: problem.cause, durationMs },
    };
  }
}
