# fipbot container image. Build: docker build -t fipbot .
# Run (HTTP mode):
#   docker run -p 3000:3000 \
#     -e SLACK_BOT_TOKEN -e SLACK_SIGNING_SECRET -e OS_CLOUD=mycloud \
#     -v /path/to/clouds.yaml:/etc/openstack/clouds.yaml:ro \
#     -v /path/to/ca.pem:/etc/openstack/ca.pem:ro -e OS_CACERT=/etc/openstack/ca.pem \
#     fipbot
# No secret is baked in: tokens come from the environment, clouds.yaml and
# its secure.yaml from a mounted /etc/openstack (in the search path).

# One base for every stage, pinned to a release so a rebuild gets the same Node.
# To pin the digest as well: docker buildx imagetools inspect node:22.20.0-bookworm-slim,
# then append @sha256:<the digest it prints> here.
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

# 1. Build: compile TypeScript with the dev dependencies.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund
COPY src ./src
RUN npm run build

# 2. Production dependencies only.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# 3. Runtime: the compiled app and production dependencies, as the unprivileged node user.
FROM ${NODE_IMAGE}
WORKDIR /app
# The heap cap npm start uses too: V8 otherwise sizes its heap from the
# host's RAM, not the container's share, and the RSS climbs toward 200 MB
# for a live heap of ~25 MB (BENCHMARKS.md, memory); a 4 MB young generation
# keeps bursts from growing it. Override with -e NODE_OPTIONS.
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=128 --max-semi-space-size=4" \
    HOST=0.0.0.0 \
    PORT=3000
# The app's files stay root's, writable by root only (644/755, as npm, tsc and git write
# them): the node user reads and runs them but cannot change them.
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json manifest.yml ./
USER node
EXPOSE 3000
# Alive and not shutting down (GET /healthz); /readyz also checks OpenStack and Slack.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) starts a graceful shutdown: no new requests, in-flight operations finish.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
