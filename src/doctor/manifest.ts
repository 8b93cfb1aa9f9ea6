/**
 * The bot scopes fipbot needs: `oauth_config.scopes.bot` of the Slack app
 * manifest (manifest.yml at the package root), and why each is needed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

/** manifest.yml beside package.json: two levels up from src/doctor/ and from dist/doctor/ alike. */
export const DEFAULT_MANIFEST_PATH = fileURLToPath(new URL('../../manifest.yml', import.meta.url));

/** Needed only when the policy file grants actions to user groups (Policy.usesUserGroups). */
export const USER_GROUPS_SCOPE = 'usergroups:read';

/** Why fipbot asks for each scope, in the operator's terms. */
const REASONS: Record<string, string> = {
  commands: 'needed for the /fip slash command',
  'chat:write': 'needed to post confirmations, results and audit messages',
  'chat:write.public': 'needed to post audit messages in a public channel the bot was not invited to',
  [USER_GROUPS_SCOPE]: 'needed because the policy file grants actions to user groups, whose members fipbot reads',
  'users:read': 'needed to show who asked for a change',
  'im:write': 'needed to open a direct message for a result',
};

export function scopeReason(scope: string): string {
  return REASONS[scope] ?? 'manifest.yml asks for it';
}

const manifestSchema = z.object({
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()).default([]) }) }),
});

export type ManifestScopes = { ok: true; scopes: string[] } | { ok: false; problem: string };

export function readManifestScopes(path: string = DEFAULT_MANIFEST_PATH): ManifestScopes {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, problem: `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return { ok: false, problem: `${path} is not valid YAML` };
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) return { ok: false, problem: `${path} has no oauth_config.scopes.bot list` };
  return { ok: true, scopes: [...new Set(parsed.data.oauth_config.scopes.bot)] };
}
