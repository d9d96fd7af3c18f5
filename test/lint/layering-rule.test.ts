import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
// @ts-expect-error -- plain JavaScript module without types, loaded by eslint.config.js too
import { violation } from '../../eslint/layering-rule.js';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints `code` as if it were the file at `path`, with the repo's real lint config. */
async function layeringErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'stratus/layering')
    .map((m) => m.message);
}

describe('layering rule (npm run lint)', () => {
  it('fails when src/platform imports a service folder', async () => {
    const errors = await layeringErrors(
      'src/platform/http/bad.ts',
      "import { x } from '../../identity/service.js';\nexport const y = x;\n",
    );
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /src\/platform may import only src\/common and src\/platform/);
  });

  it('fails when src/common imports src/platform', async () => {
    const errors = await layeringErrors(
      'src/common/bad.ts',
      "export { openDatabase } from '../platform/db/open-database.js';\n",
    );
    assert.equal(errors.length, 1);
  });

  it("fails when a service imports another service's internals, and allows its client", async () => {
    const bad = await layeringErrors(
      'src/compute/scheduler/host-state.ts',
      "import { Store } from '../../placement/store.js';\nexport const s = Store;\n",
    );
    assert.equal(bad.length, 1);
    assert.match(
      bad[0]!,
      /compute\/scheduler must not import placement internals; use placement\/client.ts/,
    );
    const good = await layeringErrors(
      'src/compute/scheduler/host-state.ts',
      "import { PlacementClient } from '../../placement/client.js';\nexport const c = PlacementClient;\n",
    );
    assert.deepEqual(good, []);
  });

  it('separates the parts of compute but shares the compute model', () => {
    assert.match(
      violation('src/compute/api/servers.ts', 'src/compute/agent/manager.ts'),
      /use compute\/agent\/client.ts/,
    );
    assert.equal(violation('src/compute/api/servers.ts', 'src/compute/conductor/client.ts'), null);
    assert.equal(violation('src/compute/agent/spawn.ts', 'src/compute/vm-states.ts'), null);
    assert.equal(
      violation('src/compute/conductor/build.ts', 'src/compute/db/instance-store.ts'),
      null,
    );
    assert.equal(
      violation('src/compute/agent/compute-agent.ts', 'src/compute/virt/driver.ts'),
      null,
    );
    assert.match(
      violation('src/compute/agent/compute-agent.ts', 'src/compute/virt/qemu/qmp-client.ts'),
      /internals/,
    );
    assert.match(
      violation('src/compute/db/instance-store.ts', 'src/compute/agent/manager.ts'),
      /use its client/,
    );
    assert.match(
      violation('src/image/api/routes.ts', 'src/compute/vm-states.ts'),
      /compute client/,
    );
    assert.equal(violation('src/cmd/cli.ts', 'src/identity/service.ts'), null);
    assert.equal(violation('src/identity/api/routes.ts', 'src/identity/store.ts'), null);
  });
});
