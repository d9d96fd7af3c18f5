import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, ForbiddenError } from '../../common/errors.js';
import type { RequestContext } from '../auth/request-context.js';
import { PolicyEnforcer, loadPolicyFile } from './policy-enforcer.js';
import { parseRule } from './rule-parser.js';

function ctx(
  roles: string[],
  projectId: string | null = 'p1',
  extra: Partial<RequestContext> = {},
): RequestContext {
  return { requestId: 'req-x', userId: 'u1', projectId, systemScope: null, roles, ...extra };
}

const defaults = [
  { name: 'admin_api', checkStr: 'role:admin', description: '' },
  {
    name: 'project_member_api',
    checkStr: 'role:member and project_id:%(project_id)s',
    description: '',
  },
  {
    name: 'project_reader_api',
    checkStr: 'role:reader and project_id:%(project_id)s',
    description: '',
  },
  {
    name: 'project_reader_or_admin',
    checkStr: 'rule:project_reader_api or rule:admin_api',
    description: '',
  },
  {
    name: 'compute:flavors:create',
    checkStr: 'rule:admin_api',
    description: '',
    scopeTypes: ['project' as const],
  },
  {
    name: 'compute:servers:show',
    checkStr: 'rule:project_reader_or_admin',
    description: '',
    scopeTypes: ['project' as const],
  },
];

describe('policy rules', () => {
  it('parses with oslo precedence: not, and, or, parentheses', () => {
    assert.deepEqual(parseRule(''), { kind: 'true' });
    assert.deepEqual(parseRule('a:1 or b:2 and not c:3'), {
      kind: 'or',
      rules: [
        { kind: 'generic', key: 'a', value: '1' },
        {
          kind: 'and',
          rules: [
            { kind: 'generic', key: 'b', value: '2' },
            { kind: 'not', rule: { kind: 'generic', key: 'c', value: '3' } },
          ],
        },
      ],
    });
    assert.deepEqual(parseRule('(role:a or role:b) and @').kind, 'and');
    assert.throws(() => parseRule('role:a and'), /unexpected end/);
    assert.throws(() => parseRule('(role:a'), /missing '\)'/);
    assert.throws(() => parseRule('justaword'), /not a check/);
  });

  it('allows a project member on its own project and denies another project', () => {
    const e = new PolicyEnforcer(defaults);
    assert.equal(e.check('compute:servers:show', ctx(['reader']), { project_id: 'p1' }), true);
    assert.equal(e.check('compute:servers:show', ctx(['reader']), { project_id: 'p2' }), false);
    assert.equal(e.check('compute:servers:show', ctx(['admin']), { project_id: 'p2' }), true);
    assert.equal(e.check('compute:servers:show', ctx([]), { project_id: 'p1' }), false);
  });

  it('raises a 403 naming the rule', () => {
    const e = new PolicyEnforcer(defaults);
    assert.throws(
      () => e.authorize('compute:flavors:create', ctx(['member'])),
      (err: unknown) =>
        err instanceof ForbiddenError &&
        err.message === "Policy doesn't allow compute:flavors:create to be performed.",
    );
    e.authorize('compute:flavors:create', ctx(['admin']));
  });

  it('enforces scope types when asked', () => {
    const system = ctx(['admin'], null, { systemScope: 'all' });
    assert.equal(new PolicyEnforcer(defaults).check('compute:flavors:create', system), false);
    assert.equal(
      new PolicyEnforcer(defaults, { enforceScope: false }).check('compute:flavors:create', system),
      true,
    );
  });

  it('denies undefined and looping rules; @ and ! are constants; roles are case-insensitive', () => {
    const e = new PolicyEnforcer([
      { name: 'loop', checkStr: 'rule:loop', description: '' },
      { name: 'missing', checkStr: 'rule:nowhere', description: '' },
      { name: 'always', checkStr: '@', description: '' },
      { name: 'never', checkStr: '!', description: '' },
      { name: 'admin_flag', checkStr: 'is_admin:True', description: '' },
      { name: 'role_case', checkStr: 'role:Admin', description: '' },
      { name: 'literal', checkStr: "user_id:'u1'", description: '' },
    ]);
    assert.equal(e.check('loop', ctx(['admin'])), false);
    assert.equal(e.check('missing', ctx(['admin'])), false);
    assert.equal(e.check('always', ctx([])), true);
    assert.equal(e.check('never', ctx(['admin'])), false);
    assert.equal(e.check('admin_flag', ctx(['admin'])), true);
    assert.equal(e.check('admin_flag', ctx(['member'])), false);
    assert.equal(e.check('role_case', ctx(['admin'])), true);
    assert.equal(e.check('literal', ctx([])), true);
    assert.equal(e.check('no-such-rule', ctx(['admin'])), false);
  });

  it('compares a literal kind with the target value, as Glance rules do', () => {
    const e = new PolicyEnforcer([
      { name: 'public', checkStr: "'public':%(visibility)s", description: '' },
      { name: 'flag', checkStr: 'True:%(enabled)s', description: '' },
    ]);
    assert.equal(e.check('public', ctx([]), { visibility: 'public' }), true);
    assert.equal(e.check('public', ctx([]), { visibility: 'private' }), false);
    assert.equal(e.check('public', ctx([]), {}), false);
    assert.equal(e.check('flag', ctx([]), { enabled: true }), true);
    assert.equal(e.check('flag', ctx([]), { enabled: false }), false);
  });

  it('matches None literals against null values, as Keystone rules use them', () => {
    const e = new PolicyEnforcer([
      { name: 'global-role', checkStr: 'None:%(target.role.domain_id)s', description: '' },
      { name: 'unscoped-domain', checkStr: 'domain_id:None', description: '' },
    ]);
    const global = { target: { role: { domain_id: null } } };
    assert.equal(e.check('global-role', ctx([]), global), true);
    assert.equal(e.check('global-role', ctx([]), { target: { role: { domain_id: 'd1' } } }), false);
    assert.equal(e.check('global-role', ctx([]), {}), false);
    assert.equal(e.check('unscoped-domain', { ...ctx([]), domainId: null }), true);
    assert.equal(e.check('unscoped-domain', { ...ctx([]), domainId: 'd1' }), false);
  });

  it('takes overrides from a YAML or JSON policy file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stratus-policy-'));
    try {
      const yaml = join(dir, 'policy.yaml');
      writeFileSync(yaml, '"compute:flavors:create": "role:member"\n');
      const e = new PolicyEnforcer(defaults, { overrides: loadPolicyFile(yaml) });
      assert.equal(e.check('compute:flavors:create', ctx(['member'])), true);
      const json = join(dir, 'policy.json');
      writeFileSync(json, '{"admin_api": "role:superuser"}');
      assert.deepEqual(loadPolicyFile(json), { admin_api: 'role:superuser' });
      assert.deepEqual(loadPolicyFile(join(dir, 'absent.yaml')), {});
      writeFileSync(yaml, '"x": "role:a and"\n');
      assert.throws(() => new PolicyEnforcer([], { overrides: loadPolicyFile(yaml) }), ConfigError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
