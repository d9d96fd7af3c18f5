/**
 * `npm run bench [name...]`: runs every benchmark in turn (or those whose name contains one of
 * the arguments); each prints its own table. Add new benchmarks to the list below.
 */
import { runPlacementCandidatesBench } from './placement-candidates.js';
import { runQemuBench } from './qemu-boot.js';
import { runServersBench } from './servers-boot.js';

const benches: [string, () => Promise<void>][] = [
  ['servers', runServersBench],
  ['qemu', runQemuBench],
  ['placement-candidates', runPlacementCandidatesBench],
];

const filters = process.argv.slice(2);
for (const [name, run] of benches) {
  if (filters.length > 0 && !filters.some((f) => name.includes(f))) continue;
  console.log(`\n== bench: ${name}`);
  await run();
}
