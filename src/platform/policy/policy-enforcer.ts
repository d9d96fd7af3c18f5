import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError, ForbiddenError } from '../../common/errors.js';
import type { RequestContext } from '../auth/request-context.js';
import { PolicyParseError, parseRule, type RuleNode } from './rule-parser.js';
import type { PolicyRule, ScopeType } from './policy-rule.js';

/** Values a rule's `%(name)s` references read, e.g. the resource's `project_id`. */
export type PolicyTarget = Record<string, unknown>;

/** How an enforcer is set up. */
export interface EnforcerOptions {
  /** Rule strings that replace the defaults (from the policy file). */
  overrides?: Record<string, string>;
  /** Reject a token whose scope the rule does not allow ([oslo_policy] enforce_scope). */
  enforceScope?: boolean;
}

type Creds = Record<string, unknown>;

function credsOf(ctx: RequestContext): Creds {
  return {
    user_id: ctx.userId,
    user_domain_id: ctx.userDomainId ?? null,
    project_id: ctx.projectId,
    project_domain_id: ctx.projectDomainId ?? null,
    domain_id: ctx.domainId ?? null,
    system_scope: ctx.systemScope,
    roles: ctx.roles,
    is_admin: ctx.roles.includes('admin'),
    is_admin_project: true,
  };
}

function lookup(obj: Record<string, unknown>, path: string): unknown {
  if (path in obj) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/**
 * Substitutes `%(name)s` from the target; undefined when the target lacks the key. A null value
 * is undefined too, unless `nullAsNone`: then it is `None`, as Python's `%` renders it.
 */
function resolve(value: string, target: PolicyTarget, nullAsNone = false): string | undefined {
  const m = /^%\(([^)]+)\)s$/.exec(value);
  if (!m) {
    const q = /^(['"])(.*)\1$/.exec(value);
    return q ? q[2] : value;
  }
  const v = lookup(target, m[1]!);
  if (v === null && nullAsNone) return 'None';
  return v === undefined || v === null ? undefined : String(v);
}

/** The string form of a Python literal used as a check's kind, or undefined if it is a name. */
function literalKind(kind: string): string | undefined {
  const quoted = /^(['"])(.*)\1$/.exec(kind);
  if (quoted) return quoted[2];
  if (kind === 'True' || kind === 'False' || kind === 'None') return kind;
  if (/^-?\d+(\.\d+)?$/.test(kind)) return String(Number(kind));
  return undefined;
}

function tokenScope(ctx: RequestContext): ScopeType | undefined {
  if (ctx.systemScope) return 'system';
  if (ctx.domainId) return 'domain';
  if (ctx.projectId) return 'project';
  return undefined;
}

/**
 * oslo.policy's enforcer: each service registers its defaults in code, an operator's policy
 * file overrides any of them, and `authorize` raises a 403 ("Policy doesn't allow X to be
 * performed.") when the caller's roles, scope or project do not satisfy the rule.
 */
export class PolicyEnforcer {
  private readonly rules = new Map<string, RuleNode>();
  private readonly defaults = new Map<string, PolicyRule>();
  private readonly enforceScope: boolean;

  constructor(defaults: readonly PolicyRule[], opts: EnforcerOptions = {}) {
    this.enforceScope = opts.enforceScope ?? true;
    for (const d of defaults) {
      this.defaults.set(d.name, d);
      this.rules.set(d.name, this.parse(d.name, d.checkStr));
    }
    for (const [name, text] of Object.entries(opts.overrides ?? {})) {
      this.rules.set(name, this.parse(name, text));
    }
  }

  private parse(name: string, text: string): RuleNode {
    try {
      return parseRule(text);
    } catch (err) {
      if (err instanceof PolicyParseError)
        throw new ConfigError(`policy rule '${name}': ${err.message}`);
      throw err;
    }
  }

  /** True when the rule allows the caller on this target. */
  check(name: string, ctx: RequestContext, target: PolicyTarget = {}): boolean {
    const scopes = this.defaults.get(name)?.scopeTypes;
    if (this.enforceScope && scopes) {
      const scope = tokenScope(ctx);
      if (!scope || !scopes.includes(scope)) return false;
    }
    const rule = this.rules.get(name);
    if (!rule) return false;
    return this.evaluate(rule, credsOf(ctx), target, new Set([name]));
  }

  /** Throws ForbiddenError unless the rule allows the caller on this target. */
  authorize(name: string, ctx: RequestContext, target: PolicyTarget = {}): void {
    if (!this.check(name, ctx, target)) {
      throw new ForbiddenError(`Policy doesn't allow ${name} to be performed.`, {
        code: 'policy.forbidden',
        details: { rule: name },
      });
    }
  }

  /** The rule names this enforcer knows. */
  ruleNames(): string[] {
    return [...this.rules.keys()];
  }

  private evaluate(node: RuleNode, creds: Creds, target: PolicyTarget, seen: Set<string>): boolean {
    switch (node.kind) {
      case 'true':
        return true;
      case 'false':
        return false;
      case 'not':
        return !this.evaluate(node.rule, creds, target, seen);
      case 'and':
        return node.rules.every((r) => this.evaluate(r, creds, target, seen));
      case 'or':
        return node.rules.some((r) => this.evaluate(r, creds, target, seen));
      case 'rule': {
        const ref = this.rules.get(node.name);
        // An undefined or self-referencing rule denies, as oslo.policy does.
        if (!ref || seen.has(node.name)) return false;
        return this.evaluate(ref, creds, target, new Set([...seen, node.name]));
      }
      case 'role': {
        const role = resolve(node.role, target);
        if (role === undefined) return false;
        const roles = (creds.roles as string[]).map((r) => r.toLowerCase());
        return roles.includes(role.toLowerCase());
      }
      case 'generic': {
        // A literal on the left compares with the target value, as oslo.policy's GenericCheck
        // does with ast.literal_eval: Glance's `'public':%(visibility)s`, and Keystone's
        // `None:%(target.role.domain_id)s`, true for a global role (a null domain).
        const literal = literalKind(node.key);
        const expected = resolve(node.value, target, literal === 'None');
        if (expected === undefined) return false;
        if (literal === 'True' || literal === 'False') {
          return literal.toLowerCase() === expected.toLowerCase(); // JS booleans print lower-case
        }
        if (literal !== undefined) return literal === expected;
        const actual = lookup(creds, node.key);
        // `domain_id:None` holds for a credential that is present and null (Keystone's role rules).
        if (node.value === 'None') return actual === null;
        if (Array.isArray(actual)) return actual.map(String).includes(expected);
        if (typeof actual === 'boolean')
          return String(actual).toLowerCase() === expected.toLowerCase();
        return actual !== undefined && actual !== null && String(actual) === expected;
      }
    }
  }
}

/**
 * Reads an operator's policy file (YAML or JSON, `"rule name": "check string"`); a missing
 * file means no overrides, as oslo.policy treats its default policy file.
 */
export function loadPolicyFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`policy file ${path}: ${(err as Error).message}`);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`policy file ${path}: expected a mapping of rule names to rules`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string')
      throw new ConfigError(`policy file ${path}: rule '${k}' is not a string`);
    out[k] = v;
  }
  return out;
}
