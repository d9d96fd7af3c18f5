// The real `openstack` CLI against `stratus all`: the image commands end to end, as the admin
// from the clouds.yaml stratus writes and as a member of another project.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { openstack, openstackSkip, type CliResult } from '../harness/openstack-cli.js';
import { startStratus, type StratusHandle } from '../harness/stratus-process.js';

const run = promisify(execFile);

describe('image: the openstack CLI against stratus all', { skip: openstackSkip() }, () => {
  let stratus: StratusHandle;
  let admin: Record<string, string>;
  let demo: Record<string, string>;
  let demoProjectId: string;
  const dir = mkdtempSync(join(tmpdir(), 'stratus-image-cli-'));
  const disk = join(dir, 'disk.qcow2');
  const md5 = (path: string) => createHash('md5').update(readFileSync(path)).digest('hex');

  async function ok(args: string[], env = admin): Promise<CliResult> {
    const r = await openstack(args, env);
    assert.equal(r.code, 0, `openstack ${args.join(' ')}\n${r.stderr}`);
    return r;
  }

  before(async () => {
    stratus = await startStratus({ startTimeoutMs: 60_000 });
    admin = { OS_CLIENT_CONFIG_FILE: join(stratus.dataDir, 'clouds.yaml'), OS_CLOUD: 'stratus' };
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', disk, '64M']);
    // Some guest bytes, so that the data is not all zeroes.
    await run('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 1M', disk]);
    demoProjectId = (
      await ok(['project', 'create', 'demo', '-f', 'value', '-c', 'id'])
    ).stdout.trim();
    await ok(['user', 'create', '--password', 'demo-pw', 'demo-user']);
    await ok(['role', 'add', '--user', 'demo-user', '--project', 'demo', 'member']);
    demo = {
      OS_AUTH_URL: `${stratus.url('identity')}/v3`,
      OS_USERNAME: 'demo-user',
      OS_PASSWORD: 'demo-pw',
      OS_PROJECT_NAME: 'demo',
      OS_USER_DOMAIN_NAME: 'Default',
      OS_PROJECT_DOMAIN_NAME: 'Default',
      OS_IDENTITY_API_VERSION: '3',
    };
  });
  after(async () => {
    await stratus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates from a qcow2 file, lists, shows the md5, and saves identical bytes', async () => {
    const created = await ok([
      'image',
      'create',
      '--file',
      disk,
      '--disk-format',
      'qcow2',
      '--container-format',
      'bare',
      'cirros',
      '-f',
      'json',
    ]);
    const id = created.json<{ id: string }>().id;
    const list = await ok(['image', 'list', '-f', 'json']);
    const row = list
      .json<{ ID: string; Name: string; Status: string }[]>()
      .find((i) => i.ID === id);
    assert.deepEqual(row, { ID: id, Name: 'cirros', Status: 'active' });
    const shown = (await ok(['image', 'show', 'cirros', '-f', 'json'])).json<
      Record<string, unknown>
    >();
    assert.equal(shown.checksum, md5(disk));
    assert.equal(shown.virtual_size, 64 * 1024 * 1024);
    assert.equal(shown.status, 'active');
    const saved = join(dir, 'saved.qcow2');
    await ok(['image', 'save', '--file', saved, 'cirros']);
    assert.ok(readFileSync(saved).equals(readFileSync(disk)));
  });

  it('sets and unsets a property', async () => {
    await ok(['image', 'set', '--property', 'hw_disk_bus=virtio', 'cirros']);
    const props = () =>
      ok(['image', 'show', 'cirros', '-f', 'json']).then(
        (r) => r.json<{ properties: Record<string, unknown> }>().properties,
      );
    assert.equal((await props()).hw_disk_bus, 'virtio');
    await ok(['image', 'unset', '--property', 'hw_disk_bus', 'cirros']);
    assert.equal((await props()).hw_disk_bus, undefined);
  });

  it('lets the admin make an image public, and not a project member', async () => {
    await ok(['image', 'set', '--public', 'cirros']);
    const seen = await ok(['image', 'show', 'cirros', '-f', 'json'], demo);
    assert.equal(seen.json<{ visibility: string }>().visibility, 'public');
    await ok(['image', 'create', '--private', 'demo-own', '--disk-format', 'raw'], demo);
    const refused = await openstack(['image', 'set', '--public', 'demo-own'], demo);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /403|Forbidden/);
  });

  it("hides another project's private image, and shares one with `image add project`", async () => {
    await ok(['image', 'create', '--private', 'secret', '--disk-format', 'raw']);
    const hidden = await openstack(['image', 'show', 'secret'], demo);
    assert.notEqual(hidden.code, 0);
    assert.match(hidden.stderr, /No Image found for secret/);

    await ok(['image', 'create', '--shared', 'for-demo', '--disk-format', 'raw']);
    const id = (await ok(['image', 'show', 'for-demo', '-f', 'value', '-c', 'id'])).stdout.trim();
    const member = await ok(['image', 'add', 'project', 'for-demo', 'demo', '-f', 'json']);
    assert.equal(member.json<{ status: string }>().status, 'pending');
    const names = async () =>
      (await ok(['image', 'list', '-f', 'json'], demo))
        .json<{ Name: string }[]>()
        .map((i) => i.Name);
    assert.ok(!(await names()).includes('for-demo'));
    await ok(['image', 'set', '--accept', id], demo);
    assert.ok((await names()).includes('for-demo'));
    const members = await ok(['image', 'member', 'list', 'for-demo', '-f', 'json']);
    assert.deepEqual(
      members
        .json<{ 'Member ID': string; Status: string }[]>()
        .map((m) => [m['Member ID'], m.Status]),
      [[demoProjectId, 'accepted']],
    );
  });

  it('refuses a qcow2 with a backing file and raw data claimed as qcow2 (415)', async () => {
    const backed = join(dir, 'backed.qcow2');
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', disk, backed]);
    const refused = await openstack(
      [
        'image',
        'create',
        '--file',
        backed,
        '--disk-format',
        'qcow2',
        '--container-format',
        'bare',
        'backed',
      ],
      admin,
    );
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /415/);
    const raw = join(dir, 'disk.raw');
    writeFileSync(raw, Buffer.alloc(1024 * 1024, 0x5a));
    const mismatch = await openstack(
      [
        'image',
        'create',
        '--file',
        raw,
        '--disk-format',
        'qcow2',
        '--container-format',
        'bare',
        'mismatch',
      ],
      admin,
    );
    assert.notEqual(mismatch.code, 0);
    assert.match(mismatch.stderr, /415/);

    // The reason is in the response body (the SDK shows only the status line for uploads).
    const token = (await ok(['token', 'issue', '-f', 'value', '-c', 'id'])).stdout.trim();
    const headers = { 'x-auth-token': token, accept: 'application/json' };
    const img = await fetch(`${stratus.url('image')}/v2/images`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'backed', disk_format: 'qcow2', container_format: 'bare' }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const put = await fetch(`${stratus.url('image')}/v2/images/${img.id}/file`, {
      method: 'PUT',
      headers: { ...headers, 'content-type': 'application/octet-stream' },
      body: readFileSync(backed),
    });
    assert.equal(put.status, 415);
    const body = (await put.json()) as { message: string };
    assert.match(
      body.message,
      /Image failed safety checks \(backing_file: Image has a backing file\)/,
    );
    const after = (await fetch(`${stratus.url('image')}/v2/images/${img.id}`, { headers }).then(
      (r) => r.json(),
    )) as { status: string };
    assert.equal(after.status, 'queued');
  });

  it('deletes an image', async () => {
    await ok(['image', 'delete', 'secret']);
    const gone = await openstack(['image', 'show', 'secret'], admin);
    assert.notEqual(gone.code, 0);
  });
});
