import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  appendFileSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
  closeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../../../common/errors.js';
import { ConsoleLog } from './console-log.js';

function tempLog(): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'console-log-'));
  return {
    path: join(dir, 'console.log'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

test('tail reads the last lines (CRLF stripped), across the rotated generation', async () => {
  const { path, cleanup } = tempLog();
  try {
    const log = new ConsoleLog(path, 200);
    assert.deepEqual(await log.tail(3), []);
    appendFileSync(path, Array.from({ length: 20 }, (_, i) => `line ${i}\r\n`).join(''));
    assert.deepEqual(await log.tail(2), ['line 18', 'line 19']);
    assert.equal(await log.rotateIfNeeded(), true);
    assert.equal(statSync(path).size, 0);
    appendFileSync(path, 'line 20\r\npartial');
    assert.deepEqual(await log.tail(3), ['line 19', 'line 20', 'partial']);
  } finally {
    cleanup();
  }
});

test('tail of a large file reads only its end', async () => {
  const { path, cleanup } = tempLog();
  try {
    appendFileSync(path, 'x'.repeat(5 * 1024 * 1024) + '\nlast-1\nlast-2\n');
    const log = new ConsoleLog(path, 64 * 1024 * 1024);
    const started = performance.now();
    assert.deepEqual(await log.tail(2), ['last-1', 'last-2']);
    assert.ok(performance.now() - started < 500);
  } finally {
    cleanup();
  }
});

test('rotation keeps an O_APPEND writer writing at the new end, and bounds the size', async () => {
  const { path, cleanup } = tempLog();
  try {
    const log = new ConsoleLog(path, 1000);
    // QEMU opens its chardev log file like this with logappend=on.
    const fd = openSync(path, 'a');
    for (let i = 0; i < 200; i++) {
      writeSync(fd, `counter ${i}\n`);
      await log.rotateIfNeeded();
      const total =
        statSync(path).size + (statSync(log.rotatedPath, { throwIfNoEntry: false })?.size ?? 0);
      assert.ok(total <= 1000 + 20, `bounded: ${total}`);
    }
    closeSync(fd);
    assert.deepEqual(await log.tail(1), ['counter 199']);
    assert.ok(!(await log.read()).includes('\0'), 'no hole of NULs after truncation');
  } finally {
    cleanup();
  }
});

test('waitForLine finds lines written later, resumes from an offset, follows rotation', async () => {
  const { path, cleanup } = tempLog();
  try {
    const log = new ConsoleLog(path, 100);
    const waiting = log.waitForLine(/^READY$/, 2000, { pollMs: 10 });
    setTimeout(() => appendFileSync(path, 'boot\r\nRE'), 30);
    setTimeout(() => appendFileSync(path, 'ADY\r\nCOUNTER 1\n'), 60);
    const m = await waiting;
    assert.equal(m.line, 'READY');
    const next = await log.waitForLine(/^COUNTER/, 1000, { fromOffset: m.nextOffset });
    assert.equal(next.line, 'COUNTER 1');
    await assert.rejects(
      log.waitForLine(/^READY$/, 100, { fromOffset: next.nextOffset, what: 'second READY' }),
      (e) => e instanceof TimeoutError && /second READY/.test(e.message),
    );
    // A line written just before a rotation is still found from the old offset.
    const before = await log.size();
    appendFileSync(path, 'x'.repeat(60) + '\nMARK\n');
    await log.rotateIfNeeded();
    appendFileSync(path, 'after\n');
    assert.equal((await log.waitForLine(/^MARK$/, 1000, { fromOffset: before })).line, 'MARK');
  } finally {
    cleanup();
  }
});
