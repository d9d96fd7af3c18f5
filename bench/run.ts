/**
 * `npm run bench`: runs every benchmark in turn; each prints its own table. Add new benchmarks
 * to the list below.
 */
import { runQemuBench } from './qemu-boot.js';

const benches: [string, () => Promise<void>][] = [['qemu', runQemuBench]];

for (const [name, run] of benches) {
  console.log(`\n== bench: ${name}`);
  await run();
}
