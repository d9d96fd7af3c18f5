// A 1 GiB upload to a real `stratus image` process is streamed: the service's resident memory
// grows by far less than the image (bounded here at 64 MiB), measured from /proc.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const CHUNK = MiB;

/** VmRSS and VmHWM of a process, in bytes. */
function memory(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Resets the process's peak RSS (VmHWM) to its current RSS; false if the kernel refuses. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** 1 GiB of non-repeating-looking data made on the fly: never a file, never all in memory. */
function* imageChunks(): Generator<Buffer> {
  const base = Buffer.alloc(CHUNK);
  for (let i = 0; i < CHUNK; i++) base[i] = (i * 31 + 7) & 0xff;
  for (let n = 0; n < GiB / CHUNK; n++) {
    const chunk = Buffer.from(base);
    chunk.writeUInt32LE(n, 4096);
    // The first sector stays zero so that no format inspector mistakes the data for a disk label.
    if (n === 0) chunk.fill(0, 0, 4096);
    yield chunk;
  }
}

describe('image: a 1 GiB upload is streamed', () => {
  let stratus: StratusHandle;
  const headers = { 'x-auth-token': 'admin', accept: 'application/json' };

  before(async () => {
    stratus = await startStratus({
      command: 'image',
      config: { api: { auth_strategy: 'noauth2' } },
      startTimeoutMs: 60_000,
    });
  });
  after(() => stratus?.stop());

  it('keeps the RSS of stratus image within 64 MiB of where it started', async (t) => {
    const base = stratus.url('image');
    const create = await fetch(`${base}/v2/images`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'big', disk_format: 'raw', container_format: 'bare' }),
    });
    assert.equal(create.status, 201);
    const { id } = (await create.json()) as { id: string };
    const pid = stratus.child.pid!;

    const start = memory(pid);
    const peakReset = resetPeak(pid);
    let sampled = start.rss;
    const md5 = createHash('md5');
    const url = new URL(`${base}/v2/images/${id}/file`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: url.pathname,
          headers: {
            ...headers,
            'content-type': 'application/octet-stream',
            'content-length': String(GiB),
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      void (async () => {
        let n = 0;
        for (const chunk of imageChunks()) {
          md5.update(chunk);
          if (!req.write(chunk)) await once(req, 'drain');
          if (++n % 64 === 0) sampled = Math.max(sampled, memory(pid).rss);
        }
        req.end();
      })().catch(reject);
    });
    assert.equal(status, 204);

    const end = memory(pid);
    const peak = Math.max(peakReset ? end.hwm : sampled, sampled);
    const growth = peak - start.rss;
    t.diagnostic(
      `RSS ${(start.rss / MiB).toFixed(1)} MiB before, peak ${(peak / MiB).toFixed(1)} MiB during ` +
        `(${peakReset ? 'VmHWM after clear_refs' : 'sampled'})`,
    );
    assert.ok(
      growth <= 64 * MiB,
      `RSS grew by ${(growth / MiB).toFixed(1)} MiB (from ${(start.rss / MiB).toFixed(1)} MiB)`,
    );

    const image = (await fetch(`${base}/v2/images/${id}`, { headers }).then((r) => r.json())) as {
      status: string;
      size: number;
      checksum: string;
    };
    assert.equal(image.status, 'active');
    assert.equal(image.size, GiB);
    assert.equal(image.checksum, md5.digest('hex'));
  });
});
