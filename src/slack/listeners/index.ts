/** Registers every listener: one file per kind, as in Slack's Bolt templates. */
import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { registerActions } from './actions.js';
import { registerApprovals } from './approval.js';
import { registerCommand } from './command.js';
import { registerHome } from './home.js';
import { registerLeakReport } from './leaks.js';
import { registerLeaseActions } from './lease.js';
import { registerNextSteps } from './next-steps.js';
import { registerOptions } from './options.js';
import { registerViews } from './views.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  registerCommand(app, deps);
  registerActions(app, deps);
  registerApprovals(app, deps);
  registerNextSteps(app, deps);
  registerLeakReport(app, deps);
  registerLeaseActions(app, deps);
  registerViews(app, deps);
  registerOptions(app, deps);
  registerHome(app, deps);
}
