/** The App Home tab: the project's floating IPs, published when the person opens it. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { publishHome } from './actions.js';

export function registerHome(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await publishHome(deps, client, event.user, 'all', 1);
  });
}
