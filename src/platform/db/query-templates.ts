import { CompiledQuery, type Compilable, type Kysely } from 'kysely';

/**
 * Queries built and compiled once per shape, then run with new values. Kysely builds an
 * operation tree and compiles it to SQL on every call; on a hot read that runs in a fraction of
 * a millisecond (a listing page, the host states) the building cost more than the database
 * did. A template is built with placeholders where the values go; its SQL and the position of
 * each placeholder among the parameters are kept under a key naming the query's shape (which
 * conditions it has, not their values), and each run fills the placeholders in.
 */

/** Marks a parameter as a placeholder; no value a caller binds starts with a NUL character. */
const SLOT_PREFIX = '\u0000stratus-slot:';

/** A placeholder for the value named `name`, typed to fit wherever a value goes. */
export type SlotOf = (name: string) => any;

interface Template {
  sql: string;
  /** Per parameter: the name of its value, or the constant the shape fixed. */
  params: readonly ({ slot: string } | { constant: unknown })[];
}

/**
 * Placeholders for the `n` values of an IN list named `name` (`name0`, `name1`, ...): the
 * list's length is part of the shape, its values are filled in by listValues.
 */
export function listSlots(slot: SlotOf, name: string, n: number): any[] {
  return Array.from({ length: n }, (_, i) => slot(`${name}${i}`));
}

/** The values of the IN list `name` that listSlots made placeholders for. */
export function listValues<T>(name: string, values: readonly T[]): Record<string, T> {
  return Object.fromEntries(values.map((v, i) => [`${name}${i}`, v]));
}

/** Shapes kept per database; callers have a handful, this bounds a caller keyed by mistake. */
const MAX_TEMPLATES = 1000;

export class QueryTemplates {
  private readonly templates = new Map<string, Template>();

  constructor(private readonly db: Kysely<any>) {}

  /**
   * Runs the query of `shape`, building it with `build` the first time. `build` must give the
   * same SQL for the same shape whatever the values, taking each value from `slot`. `on` runs
   * it in a transaction of the same database instead.
   */
  async execute<R>(
    shape: string,
    build: (slot: SlotOf) => Compilable<R>,
    values: Readonly<Record<string, unknown>>,
    on: Kysely<any> = this.db,
  ): Promise<R[]> {
    let template = this.templates.get(shape);
    if (!template) {
      template = compileTemplate(build);
      if (this.templates.size >= MAX_TEMPLATES) {
        this.templates.delete(this.templates.keys().next().value!);
      }
      this.templates.set(shape, template);
    }
    const parameters = template.params.map((p) => {
      if ('constant' in p) return p.constant;
      if (!(p.slot in values)) throw new Error(`query template ${shape}: no value for ${p.slot}`);
      return values[p.slot];
    });
    const result = await on.executeQuery<R>(CompiledQuery.raw(template.sql, parameters));
    return result.rows;
  }
}

function compileTemplate<R>(build: (slot: SlotOf) => Compilable<R>): Template {
  const compiled = build((name) => `${SLOT_PREFIX}${name}`).compile();
  return {
    sql: compiled.sql,
    params: compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SLOT_PREFIX)
        ? { slot: p.slice(SLOT_PREFIX.length) }
        : { constant: p },
    ),
  };
}

const byDatabase = new WeakMap<Kysely<any>, QueryTemplates>();

/** The database each open transaction belongs to, so both share one set of templates. */
const transactionRoots = new WeakMap<Kysely<any>, Kysely<any>>();

/** Lets templates run in `trx` share the templates of `root`, the database it is a transaction of. */
export function shareTemplates(trx: Kysely<any>, root: Kysely<any>): void {
  transactionRoots.set(trx, transactionRoots.get(root) ?? root);
}

/** The templates of one database (its Kysely instance, or a transaction of it), run on it. */
export function queryTemplates(db: Kysely<any>): Pick<QueryTemplates, 'execute'> {
  const root = transactionRoots.get(db) ?? db;
  let t = byDatabase.get(root);
  if (!t) byDatabase.set(root, (t = new QueryTemplates(root)));
  const templates = t;
  if (root === db) return templates;
  return { execute: (shape, build, values) => templates.execute(shape, build, values, db) };
}
