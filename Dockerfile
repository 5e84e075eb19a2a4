# The image docker-compose.yml runs: the repository with its dependencies and the built overlays
# and dashboard, started with `bun start`'s launcher (the hub and the workers it supervises). The
# Bun here is the one package.json's packageManager names (the lockfile's).
FROM oven/bun:1.4.5
RUN mkdir -p /app /data && chown bun:bun /app /data
WORKDIR /app
USER bun
COPY --chown=bun:bun . .
RUN bun install --frozen-lockfile && bun run build
EXPOSE 7175 8889 8890 8891
# The launcher itself, not `bun start`: the signal Docker sends must reach it directly.
CMD ["bun", "apps/server/src/launcher.ts"]
