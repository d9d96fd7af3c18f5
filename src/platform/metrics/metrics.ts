import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Pool statistics a database can report. */
export interface PoolStatsSource {
  name: string;
  poolStats(): { total: number; idle: number; waiting: number } | undefined;
}

/**
 * The process's metrics, in a registry of its own (no global state): HTTP latency by route and
 * status, bus call latency and failures, database pool use, and Node's process metrics.
 */
export class Metrics {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'service' | 'method' | 'route' | 'status'>;
  readonly busCallDuration: Histogram<'topic' | 'method' | 'outcome'>;
  readonly busCallFailures: Counter<'topic' | 'method'>;
  private readonly pools: PoolStatsSource[] = [];

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'stratus_http_request_duration_seconds',
      help: 'HTTP request latency by service, route and status.',
      labelNames: ['service', 'method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    this.busCallDuration = new Histogram({
      name: 'stratus_bus_call_duration_seconds',
      help: 'Bus call latency by topic, method and outcome.',
      labelNames: ['topic', 'method', 'outcome'],
      buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60],
      registers: [this.registry],
    });
    this.busCallFailures = new Counter({
      name: 'stratus_bus_call_failures_total',
      help: 'Bus calls that failed or timed out.',
      labelNames: ['topic', 'method'],
      registers: [this.registry],
    });
    const pools = this.pools;
    new Gauge({
      name: 'stratus_db_pool_connections',
      help: 'Database pool connections by state.',
      labelNames: ['database', 'state'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const p of pools) {
          const s = p.poolStats();
          if (!s) continue;
          this.set({ database: p.name, state: 'total' }, s.total);
          this.set({ database: p.name, state: 'idle' }, s.idle);
          this.set({ database: p.name, state: 'waiting' }, s.waiting);
        }
      },
    });
  }

  /** Adds a database pool to the pool gauge. */
  watchPool(source: PoolStatsSource): void {
    this.pools.push(source);
  }

  /** Records one bus call; plugs into the bus's call observer. */
  observeBusCall(topic: string, method: string, ms: number, ok: boolean): void {
    // Direct topics (`compute.host1`) would make one series per host: keep the base topic.
    const base = topic.split('.')[0] ?? topic;
    this.busCallDuration.observe({ topic: base, method, outcome: ok ? 'ok' : 'error' }, ms / 1000);
    if (!ok) this.busCallFailures.inc({ topic: base, method });
  }
}
