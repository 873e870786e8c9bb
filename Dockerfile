# siplens: the API serving the built web app, on Node 24 LTS.
# `docker compose up` builds this image and runs it against the official postgres image.
FROM node:24-slim

ENV CI=true \
    TURBO_TELEMETRY_DISABLED=1 \
    DO_NOT_TRACK=1 \
    CHECKPOINT_DISABLE=1 \
    NODE_ENV=production

# openssl: Prisma's schema-engine binary (used by `prisma migrate deploy`) links against it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends openssl ca-certificates \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# pnpm at the version package.json's packageManager names (the only place it is written).
COPY package.json ./
RUN npm install --global "$(node -p "require('./package.json').packageManager.split('+')[0]")"

# Manifests first so the dependency layer is cached across source changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc turbo.json ./
COPY apps/api/package.json apps/api/
COPY apps/web/package.json apps/web/
COPY packages/analysis/package.json packages/analysis/
COPY packages/contracts/package.json packages/contracts/
COPY packages/db/package.json packages/db/
COPY tooling/typescript/package.json tooling/typescript/
COPY e2e/package.json e2e/
RUN pnpm install --frozen-lockfile

COPY . .
RUN pnpm --filter @siplens/db run generate \
 && pnpm exec turbo run build --filter=@siplens/api... --filter=@siplens/web... \
 # Fetch the native schema engine now (network is available at build time), so the
 # container can run `prisma migrate deploy` offline.
 && cd packages/db && DATABASE_URL=postgresql://build@localhost:5432/unused pnpm exec prisma version

ENV PORT=3000 \
    HOST=0.0.0.0 \
    WEB_DIST=/app/apps/web/dist
EXPOSE 3000

# Apply pending migrations, then serve. The API closes gracefully on SIGTERM.
CMD ["sh", "-c", "cd packages/db && pnpm exec prisma migrate deploy --config prisma.config.ts && cd /app/apps/api && exec node dist/server.js"]
