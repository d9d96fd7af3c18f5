/**
 * oslo.policy's rule language, parsed into a tree: `@` (always), `!` (never), `rule:NAME`,
 * `role:NAME`, generic `key:value` checks whose value may be a literal (`'x'`, `True`) or a
 * target reference (`%(project_id)s`), combined with `not`, `and`, `or` and parentheses
 * (precedence: not, then and, then or). An empty rule always passes, as upstream.
 */

/** A parsed rule. */
export type RuleNode =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'rule'; name: string }
  | { kind: 'role'; role: string }
  | { kind: 'generic'; key: string; value: string }
  | { kind: 'not'; rule: RuleNode }
  | { kind: 'and'; rules: RuleNode[] }
  | { kind: 'or'; rules: RuleNode[] };

/** A rule string that cannot be parsed. */
export class PolicyParseError extends Error {}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (let word of text.split(/\s+/)) {
    if (word === '') continue;
    const opens: string[] = [];
    while (word.startsWith('(')) {
      opens.push('(');
      word = word.slice(1);
    }
    const closes: string[] = [];
    while (word.endsWith(')')) {
      closes.push(')');
      word = word.slice(0, -1);
    }
    tokens.push(...opens);
    if (word !== '') tokens.push(word);
    tokens.push(...closes);
  }
  return tokens;
}

function parseCheck(token: string): RuleNode {
  if (token === '@') return { kind: 'true' };
  if (token === '!') return { kind: 'false' };
  const i = token.indexOf(':');
  if (i <= 0) throw new PolicyParseError(`'${token}' is not a check (expected kind:value)`);
  const kind = token.slice(0, i);
  const value = token.slice(i + 1);
  if (kind === 'rule') return { kind: 'rule', name: value };
  if (kind === 'role') return { kind: 'role', role: value };
  return { kind: 'generic', key: kind, value };
}

/** Parses a rule string; throws PolicyParseError with what is wrong. */
export function parseRule(text: string): RuleNode {
  const tokens = tokenize(text);
  if (tokens.length === 0) return { kind: 'true' };
  let pos = 0;
  const peek = () => tokens[pos]?.toLowerCase();

  const parseOr = (): RuleNode => {
    const rules = [parseAnd()];
    while (peek() === 'or') {
      pos++;
      rules.push(parseAnd());
    }
    return rules.length === 1 ? rules[0]! : { kind: 'or', rules };
  };
  const parseAnd = (): RuleNode => {
    const rules = [parseNot()];
    while (peek() === 'and') {
      pos++;
      rules.push(parseNot());
    }
    return rules.length === 1 ? rules[0]! : { kind: 'and', rules };
  };
  const parseNot = (): RuleNode => {
    if (peek() === 'not') {
      pos++;
      return { kind: 'not', rule: parseNot() };
    }
    return parseAtom();
  };
  const parseAtom = (): RuleNode => {
    const t = tokens[pos];
    if (t === undefined) throw new PolicyParseError(`unexpected end of rule '${text}'`);
    if (t === '(') {
      pos++;
      const inner = parseOr();
      if (tokens[pos] !== ')') throw new PolicyParseError(`missing ')' in rule '${text}'`);
      pos++;
      return inner;
    }
    if (t === ')' || ['and', 'or'].includes(t.toLowerCase())) {
      throw new PolicyParseError(`unexpected '${t}' in rule '${text}'`);
    }
    pos++;
    return parseCheck(t);
  };

  const tree = parseOr();
  if (pos !== tokens.length)
    throw new PolicyParseError(`unexpected '${tokens[pos]}' in rule '${text}'`);
  return tree;
}
