// Flink's PrometheusReporter for one process: an HTTP server whose GET /metrics renders a prom-client
// registry in Prometheus' text format. The process's figures are read when Prometheus scrapes (each
// family's collect), so between scrapes the reporter costs nothing. Bound to the first free port of
// `metrics.reporter.prom.port` (a port or a range, as several TaskManagers may share a host).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { WeirError, describeError } from '../../messages/errors.ts';
import type { PortRange } from '../config/port-range.ts';
import { bindInRange } from '../entrypoints/bind-in-range.ts';
import { type MetricFamily, registerFamilies } from './prometheus-families.ts';

export interface PrometheusReporterOptions {
  /** The interface to listen on: the process's own host (loopback unless configured). */
  readonly host: string;
  readonly ports: PortRange;
  /** Labels on every sample of this process, e.g. `{ tm_id: 'taskmanager-1' }`. */
  readonly processLabels: Readonly<Record<string, string>>;
  /** The process's Weir families, read at each scrape. */
  readonly families: readonly MetricFamily[];
}

export interface PrometheusReporter {
  readonly port: number;
  /** http://host:port/metrics */
  readonly url: string;
  close(): Promise<void>;
}

export async function startPrometheusReporter(options: PrometheusReporterOptions): Promise<PrometheusReporter> {
  const registry = new Registry();
  registry.setDefaultLabels({ ...options.processLabels });
  // Node's own figures under their usual names (process_*, nodejs_*): heap, RSS, event-loop lag, GC.
  collectDefaultMetrics({ register: registry });
  registerFamilies(registry, options.families);
  const app = new Hono();
  app.get('/metrics', async (c) => {
    try {
      return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
    } catch (error) {
      return c.text(`# metrics could not be collected: ${describeError(error)}\n`, 500);
    }
  });
  app.notFound((c) => c.text(`Not found: ${c.req.path} (Prometheus metrics are at /metrics)\n`, 404));
  const server = await bindInRange(options.ports, 'metrics.reporter.prom.port', (port) => listen(createAdaptorServer({ fetch: app.fetch }) as Server, options.host, port));
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    port,
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      server.off('listening', listening);
      reject((error as NodeJS.ErrnoException).code === 'EADDRINUSE' ? error : new WeirError('CONNECTION_FAILED', `the Prometheus reporter could not listen on ${host}:${port}: ${error.message}`, { cause: error }));
    };
    const listening = (): void => {
      server.off('error', failed);
      resolve(server);
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}
