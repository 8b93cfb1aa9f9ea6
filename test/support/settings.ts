/** fipbot's settings as the environment would give them, for tests that build the bot with createFipbot. */
import { type AppConfig, loadAppConfig } from '../../src/config/settings.js';

export function testSettings(env: Record<string, string> = {}, changes: Partial<AppConfig> = {}): AppConfig {
  const loaded = loadAppConfig({ HOST: '127.0.0.1', PORT: '1', ...env });
  if (!loaded.ok) throw new Error(`test settings: ${JSON.stringify(loaded.problems)}`);
  return { ...loaded.config, http: { host: '127.0.0.1', port: 0 }, ...changes };
}
