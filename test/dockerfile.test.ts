/**
 * Docker has no engine on this machine, so the image cannot be built here:
 * this checks what can be checked without one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const dockerignore = readFileSync(new URL('.dockerignore', root), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { main: string; scripts: Record<string, string> };
const buildConfig = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as {
  compilerOptions: { rootDir: string; outDir: string };
};

/** COPY instructions from the build context (not --from another stage). */
function contextCopies(): string[] {
  return dockerfile
    .split('\n')
    .filter((line) => /^COPY\s/.test(line) && !line.includes('--from='))
    .flatMap((line) =>
      line
        .replace(/^COPY\s+/, '')
        .replace(/--chown=\S+\s+/, '')
        .split(/\s+/)
        .slice(0, -1),
    );
}

describe('the Dockerfile', () => {
  it('copies only paths that exist in the repository, none of them excluded by .dockerignore', () => {
    const paths = contextCopies();
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      expect(existsSync(new URL(path, root)), `${path} exists`).toBe(true);
      expect(dockerignore, `${path} is not ignored`).not.toContain(path);
    }
  });

  it('runs the built entry point, the one npm start runs, with the same Node flags', () => {
    const cmd = /^CMD \["node", "([^"]+)"\]$/m.exec(dockerfile)?.[1];
    expect(cmd).toBe(pkg.main);
    const start = /^node((?:\s+--\S+)*)\s+(\S+)$/.exec(pkg.scripts.start ?? '');
    expect(start?.[2]).toBe(pkg.main);
    // npm start's flags reach the container's node through NODE_OPTIONS (so an operator can override them with -e).
    const nodeOptions = /^\s+NODE_OPTIONS=(?:"([^"]+)"|(\S+))/m.exec(dockerfile)?.slice(1).find(Boolean);
    expect(start?.[1]?.trim()).toBe(nodeOptions);
    expect(nodeOptions).toMatch(/^--max-old-space-size=\d+ --max-semi-space-size=\d+$/);
    // src/main.ts compiles to <outDir>/main.js
    expect(cmd).toBe(`${buildConfig.compilerOptions.outDir}/main.js`);
    expect(existsSync(new URL(`${buildConfig.compilerOptions.rootDir}/main.ts`, root))).toBe(true);
  });

  it('is multi-stage on one Node 22 LTS slim base pinned to a release, ships production dependencies only, and has a health check', () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    // A release (22.x.y), not a moving tag (22-slim), optionally with its digest.
    expect(base).toMatch(/^node:22\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/);
    expect(dockerfile.match(/^FROM \S+/gm)).toEqual(['FROM ${NODE_IMAGE}', 'FROM ${NODE_IMAGE}', 'FROM ${NODE_IMAGE}']);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\n\s+CMD .*\/healthz/m);
  });

  it('runs as node, with the app files root-owned so that user cannot change them', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    const lines = runtime.split('\n');
    const user = lines.findIndex((line) => /^USER node$/.test(line));
    expect(user).toBeGreaterThan(0);
    const copies = lines.filter((line) => /^COPY\s/.test(line));
    expect(copies.length).toBeGreaterThan(0);
    // COPY gives root ownership unless told otherwise; every copy happens before the switch to node.
    for (const copy of copies) {
      expect(copy).not.toMatch(/--chown|--chmod/);
      expect(lines.indexOf(copy)).toBeLessThan(user);
    }
    expect(runtime).not.toMatch(/\bchown\b|\bchmod\b/);
    expect(lines.slice(user + 1).filter((line) => /^(USER|COPY|ADD|RUN)\s/.test(line))).toEqual([]);
  });

  it('bakes in no secret', () => {
    expect(dockerfile).not.toMatch(
      /ENV\s+(SLACK_BOT_TOKEN|SLACK_SIGNING_SECRET|SLACK_APP_TOKEN|OS_PASSWORD|OS_APPLICATION_CREDENTIAL_SECRET)\s*=/,
    );
    expect(dockerfile).not.toMatch(/xox[bpa]-|xapp-/);
    expect(dockerignore).toEqual(expect.arrayContaining(['.env', 'clouds.yaml', 'secure.yaml']));
  });
});
