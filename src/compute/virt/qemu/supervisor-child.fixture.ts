/**
 * Test fixture run as its own Node process: starts one machine through a QemuSupervisor, prints
 * `{"pid": …, "runDir": …}` and idles, so a test can kill -9 this "agent" and re-attach.
 * Usage: node --import tsx supervisor-child.fixture.ts <runBaseDir> <spec.json>
 */
import { readFileSync } from 'node:fs';
import type { MachineSpec } from './machine-spec.js';
import { QemuSupervisor } from './qemu-supervisor.js';

const [runBaseDir, specPath] = process.argv.slice(2);
const spec = JSON.parse(readFileSync(specPath!, 'utf8')) as MachineSpec;
const supervisor = new QemuSupervisor({ runBaseDir: runBaseDir!, qmpConnectTimeoutMs: 60_000 });
const machine = await supervisor.start(spec);
process.stdout.write(`${JSON.stringify({ pid: machine.pid, runDir: machine.paths.dir })}\n`);
// Stay alive like an agent would, until killed.
setInterval(() => undefined, 60_000);
