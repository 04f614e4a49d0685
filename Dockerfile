# Callcast service image. Runs the TypeScript sources through tsx (a runtime dependency), so
# there is no build step; the embedded engine's native library comes from the chdb package
# (@chdb/lib-linux-x64-gnu / -arm64-gnu), which needs glibc: hence bookworm, not alpine.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    CALLCAST_DATA_DIR=/var/lib/callcast

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY bin ./bin
COPY src ./src
COPY sql ./sql
COPY pipelines ./pipelines
COPY forecasts ./forecasts
COPY dashboards/generated ./dashboards/generated
COPY tsconfig.json ./

RUN mkdir -p /var/lib/callcast && chown node:node /var/lib/callcast
USER node
EXPOSE 3000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:3000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

ENTRYPOINT ["node", "bin/callcast.js"]
CMD ["serve"]
