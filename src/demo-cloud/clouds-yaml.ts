/** The clouds.yaml entry that points an OpenStack client (or fipbot) at the demo cloud. */
import { stringify } from 'yaml';
import { REGION } from './context.js';
import { DEMO_APPLICATION_CREDENTIAL } from './seed.js';

export interface CloudsYamlOptions {
  /** Name of the cloud entry; default "fipbot-demo". */
  cloudName?: string;
  /** Password auth as user demo (default), or demo's application credential. */
  auth?: 'password' | 'applicationCredential';
}

export function cloudsYaml(authUrl: string, options: CloudsYamlOptions = {}): string {
  const auth =
    options.auth === 'applicationCredential'
      ? {
          auth_type: 'v3applicationcredential',
          auth: {
            auth_url: authUrl,
            application_credential_id: DEMO_APPLICATION_CREDENTIAL.id,
            application_credential_secret: DEMO_APPLICATION_CREDENTIAL.secret,
          },
        }
      : {
          auth_type: 'password',
          auth: {
            auth_url: authUrl,
            username: 'demo',
            password: 'demo',
            project_name: 'demo',
            user_domain_name: 'Default',
            project_domain_name: 'Default',
          },
        };
  return stringify({
    clouds: {
      [options.cloudName ?? 'fipbot-demo']: { ...auth, region_name: REGION, interface: 'public', identity_api_version: 3 },
    },
  });
}
