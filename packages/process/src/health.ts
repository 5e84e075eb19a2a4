/**
 * A worker's `GET /health` endpoint on a port of its own: each worker reports what it knows, this
 * serves it. Apart from the hub's HTTP so a worker needs no web framework, and a probe can reach it
 * while the worker's other sockets are busy or down.
 */
import type { Logger } from "@landale/logger";

export interface HealthServer {
  readonly port: number;
  /** `http://host:port/health`, IPv6 hosts bracketed. */
  readonly url: string;
  stop(): Promise<void>;
}

export function startHealthServer<Report>(options: {
  host: string;
  /** 0 takes a free port (tests). */
  port: number;
  report: () => Report;
  logger: Logger;
}): HealthServer {
  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    fetch(request) {
      const { pathname } = new URL(request.url);
      if (pathname !== "/health") {
        return Response.json(
          { code: "not_found", message: "only GET /health is here" },
          { status: 404 },
        );
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        return Response.json({ code: "method_not_allowed", message: "use GET" }, { status: 405 });
      }
      return Response.json(options.report());
    },
  });
  const port = server.port ?? options.port;
  options.logger.info({ port }, "health endpoint listening");
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}/health`,
    // Close open keep-alive connections too, so a stopped worker holds no socket.
    stop: () => server.stop(true),
  };
}
