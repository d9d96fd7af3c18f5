// ESLint rule `stratus/layering`: keeps the boundaries of ARCHITECTURE.md §3 by rule, not by hope.
// - src/common imports nothing from Stratus outside src/common;
// - src/platform imports only src/common and src/platform;
// - a service unit (src/identity, src/image, src/placement, src/compute/<part>) may import another
//   unit only through its client: `<unit>/client.ts`, `<unit>/client/**` or `<unit>/contract.ts`.
//   Files directly in src/compute/ and in src/compute/db/ are the compute model shared by every
//   compute part.
// - src/cmd wires everything together and may import anything.
import path from 'node:path';

const SERVICES = new Set(['identity', 'image', 'placement', 'compute', 'network', 'volume']);

/** Returns the layer of a path relative to the repo: {kind, unit}. */
export function layerOf(rel) {
  const parts = rel.split(path.sep).join('/').split('/');
  if (parts[0] !== 'src') return { kind: 'outside', unit: null };
  const top = parts[1];
  if (top === 'common') return { kind: 'common', unit: 'common' };
  if (top === 'platform') return { kind: 'platform', unit: 'platform' };
  if (top === 'cmd') return { kind: 'cmd', unit: 'cmd' };
  if (SERVICES.has(top)) {
    // The compute model (files directly in src/compute/ and its db/ folder) is shared by every
    // compute part; each other subfolder is a part of its own (api, conductor, scheduler, ...).
    if (top === 'compute' && parts.length > 3 && parts[2] !== 'db') {
      return { kind: 'service', unit: `compute/${parts[2]}`, rest: parts.slice(3) };
    }
    if (top === 'compute') return { kind: 'compute-model', unit: 'compute', rest: parts.slice(2) };
    return { kind: 'service', unit: top, rest: parts.slice(2) };
  }
  return { kind: 'other', unit: top };
}

// The virt layer's public surface is the driver contract and its factory, not a bus client.
const PUBLIC_FILES = {
  'compute/virt': ['driver.ts', 'driver.js', 'create-driver.ts', 'create-driver.js'],
};

function isClientPath(rest, unit) {
  if (!rest || rest.length === 0) return false;
  if (rest.length === 1 && PUBLIC_FILES[unit]?.includes(rest[0])) return true;
  if (rest[0] === 'client' && rest.length > 1) return true;
  return rest.length === 1 && /^(client|contract)\.(ts|js)$/.test(rest[0]);
}

/** Explains why importing `to` from `from` breaks the layering, or returns null when it is fine. */
export function violation(fromRel, toRel) {
  const from = layerOf(fromRel);
  const to = layerOf(toRel);
  if (to.kind === 'outside' || from.kind === 'outside' || from.kind === 'cmd') return null;
  if (from.kind === 'common') {
    return to.kind === 'common' ? null : 'src/common must not import from outside src/common';
  }
  if (from.kind === 'platform') {
    return to.kind === 'common' || to.kind === 'platform'
      ? null
      : 'src/platform may import only src/common and src/platform';
  }
  if (to.kind === 'cmd') return 'only src/cmd entry points may import src/cmd';
  if (to.kind === 'common' || to.kind === 'platform') return null;
  if (to.kind === 'compute-model') {
    return from.unit === 'compute' || from.unit.startsWith('compute/')
      ? null
      : `${from.unit} must use the compute client, not the compute model`;
  }
  if (from.kind === 'compute-model' && to.unit.startsWith('compute/')) {
    return isClientPath(to.rest, to.unit)
      ? null
      : `the compute model must not import ${to.unit} internals; use its client`;
  }
  if (from.unit === to.unit) return null;
  if (isClientPath(to.rest, to.unit)) return null;
  return `${from.unit} must not import ${to.unit} internals; use ${to.unit}/client.ts`;
}

export const layeringRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the layering of ARCHITECTURE.md §3' },
    schema: [],
    messages: { layer: '{{why}} (imports {{target}})' },
  },
  create(context) {
    const cwd = context.cwd ?? process.cwd();
    const file = context.filename ?? context.getFilename();
    const fromRel = path.relative(cwd, file);
    function check(node, source) {
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source.value);
      const toRel = path.relative(cwd, target);
      const why = violation(fromRel, toRel);
      if (why) context.report({ node: source, messageId: 'layer', data: { why, target: toRel } });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};

export default { rules: { layering: layeringRule } };
