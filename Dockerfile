# Callcast service image. Two stages: the build stage installs every dependency and compiles the
# TypeScript to dist/ (npm run build: tsc); the runtime stage installs only the
# production dependencies and runs the compiled JavaScript with plain node (no TypeScript at run
# time). The embedded engine's native library comes from the chdb package
# (@chdb/lib-linux-x64-gnu / -arm64-gnu), which needs glibc: hence bookworm, not alpine.
# Node 24: a maintained LTS line (the service itself needs Node 20 or later).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
COPY pipelines ./pipelines
COPY forecasts ./forecasts
# The strict build: a type error fails the image (npm ci's own `prepare` build only reports it).
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run build

FROM node:24-bookworm-slim

# HOST=0.0.0.0 is reachable from outside the container, so `serve` starts only with a keys file
# (CALLCAST_API_KEYS_FILE, e.g. mounted at /etc/callcast/api-keys.json as docker-compose.yml
# does) or with CALLCAST_ALLOW_OPEN=1 (docs/deploy.md).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CALLCAST_DATA_DIR=/var/lib/callcast

WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would rebuild dist/ and needs typescript, a devDependency.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

COPY --from=build /app/dist ./dist
COPY bin/callcast.js ./bin/callcast.js
# Read at run time by path from the project root (src/config/paths.ts).
COPY sql ./sql
COPY src/web ./src/web
COPY dashboards/generated ./dashboards/generated

RUN mkdir -p /var/lib/callcast && chown node:node /var/lib/callcast
USER node
EXPOSE 3000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

ENTRYPOINT ["node", "bin/callcast.js"]
CMD ["serve"]
