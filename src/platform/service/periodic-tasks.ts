import type { Logger } from 'pino';

interface Task {
  name: string;
  intervalMs: number;
  initialDelayMs: number;
  run: () => Promise<void> | void;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
}

/**
 * Runs periodic tasks: each waits a random initial delay (spreading load across many services
 * started together, as oslo.service's periodic_fuzzy_delay), then runs every interval; a run
 * never overlaps the previous one, and an error is logged, not fatal.
 */
export class PeriodicTasks {
  private readonly tasks: Task[] = [];
  private stopped = false;

  constructor(private readonly logger: Logger) {}

  /** Adds a task; `jitterMs` bounds its random initial delay. */
  add(name: string, intervalMs: number, run: () => Promise<void> | void, jitterMs = 0): void {
    const task: Task = {
      name,
      intervalMs,
      run,
      initialDelayMs: Math.floor(Math.random() * (jitterMs + 1)),
    };
    this.tasks.push(task);
    if (!this.stopped) this.schedule(task, task.initialDelayMs);
  }

  private schedule(task: Task, delay: number): void {
    task.timer = setTimeout(() => {
      const started = Date.now();
      task.running = (async () => {
        try {
          await task.run();
        } catch (err) {
          this.logger.warn({ err, task: task.name }, 'periodic task failed');
        }
      })();
      void task.running.then(() => {
        task.running = undefined;
        if (!this.stopped)
          this.schedule(task, Math.max(0, task.intervalMs - (Date.now() - started)));
      });
    }, delay);
    task.timer.unref();
  }

  /** Stops scheduling and waits for runs in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.tasks) clearTimeout(t.timer);
    await Promise.all(this.tasks.map((t) => t.running));
  }
}
