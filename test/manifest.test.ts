/**
 * manifest.yml must match what the code listens for, stay inside Slack's
 * manifest limits, and ask for no scope the README does not justify.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

interface Manifest {
  display_information: { name: string; description: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean };
    slash_commands: Array<{ command: string; url: string; usage_hint: string; description: string; should_escape: boolean }>;
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    socket_mode_enabled: boolean;
  };
}

const manifest = parse(readFileSync(new URL('../manifest.yml', import.meta.url), 'utf8')) as Manifest;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sources = ['src/slack/listeners/command.ts', 'src/slack/listeners/home.ts']
  .map((path) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8'))
  .join('\n');

describe('the Slack app manifest', () => {
  it("declares the /fip command the app registers, within Slack's limits", () => {
    const [fip] = manifest.features.slash_commands;
    expect(manifest.features.slash_commands).toHaveLength(1);
    expect(fip!.command).toBe('/fip');
    expect(sources).toContain("app.command('/fip'");
    expect(fip!.command.length).toBeLessThanOrEqual(32);
    expect(fip!.should_escape).toBe(false);
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(fip!.description.length).toBeLessThanOrEqual(100);
    expect(fip!.usage_hint.length).toBeLessThanOrEqual(1000);
  });

  it('sends commands, interactivity, typeahead and events to the one endpoint the app serves', () => {
    const urls = [
      manifest.features.slash_commands[0]!.url,
      manifest.settings.interactivity.request_url,
      manifest.settings.interactivity.message_menu_options_url,
      manifest.settings.event_subscriptions.request_url,
    ];
    expect(new Set(urls.map((url) => new URL(url).pathname))).toEqual(new Set(['/slack/events']));
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('subscribes to app_home_opened, which the Home tab listener needs, and enables the Home and Messages tabs', () => {
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
    expect(sources).toContain("app.event('app_home_opened'");
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });

  it('asks only for commands and chat:write, each justified in the README', () => {
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write']);
    for (const scope of [...manifest.oauth_config.scopes.bot, 'usergroups:read']) expect(readme).toContain(`| \`${scope}\` |`);
    expect(manifest.oauth_config.scopes.bot).not.toContain('chat:write.public');
  });
});
