/**
 * The resolved, validated description of one cloud: what the adapter needs to
 * authenticate and to pick endpoints. Produced by `clouds.ts` from clouds.yaml
 * (+ secure.yaml) or from OS_* variables; consumed by `identity.ts` and `http.ts`.
 */

export type EndpointInterface = 'public' | 'internal' | 'admin';

/** A Keystone domain given by name or by id (never both needed). */
export interface DomainRef {
  id?: string;
  name?: string;
}

export interface PasswordAuth {
  type: 'password';
  authUrl: string;
  userId?: string;
  username?: string;
  userDomain?: DomainRef;
  password: string;
  projectId?: string;
  projectName?: string;
  projectDomain?: DomainRef;
}

export interface ApplicationCredentialAuth {
  type: 'applicationCredential';
  authUrl: string;
  /** Either id, or name together with the owning user. */
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  secret: string;
  userId?: string;
  username?: string;
  userDomain?: DomainRef;
}

export type CloudAuth = PasswordAuth | ApplicationCredentialAuth;

export interface CloudConfig {
  /** Cloud name from clouds.yaml, or "envvars" when built from OS_* variables. */
  name: string;
  /** Where it came from, for messages: a file path or "environment (OS_*)". */
  source: string;
  auth: CloudAuth;
  regionName?: string;
  interface: EndpointInterface;
  /** Path to a PEM CA bundle (OS_CACERT / cacert). */
  caFile?: string;
  /** Skip TLS verification (OS_INSECURE / verify: false). */
  insecure: boolean;
}
