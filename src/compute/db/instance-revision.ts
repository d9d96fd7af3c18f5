import type { DialectName } from '../../platform/db/database.js';

/**
 * `instances.revision` grows whenever anything a server's body is made of changes: the instance
 * row itself, or a row of its metadata, tags, faults or fixed IPs. Readers key what they derive
 * from a server (its rendered body) on (uuid, revision) and know it is current without reading
 * the rest. Database triggers keep the counter, so every writer - the API, conductor, a
 * `stratus manage` command, a future one - moves it without knowing about it.
 */

/** Child tables and the column naming their instance. */
const CHILDREN: readonly (readonly [table: string, column: string])[] = [
  ['instance_metadata', 'instance_uuid'],
  ['tags', 'resource_id'],
  ['instance_faults', 'instance_uuid'],
  ['fixed_ips', 'instance_uuid'],
];

const OPERATIONS = ['insert', 'update', 'delete'] as const;

function sqliteTriggers(): string[] {
  const out = [
    // recursive_triggers is off, and the WHEN clause would stop a second round anyway.
    `create trigger instances_revision after update on instances
       for each row when new.revision = old.revision
       begin update instances set revision = old.revision + 1 where id = new.id; end`,
  ];
  for (const [table, column] of CHILDREN) {
    for (const op of OPERATIONS) {
      const row = op === 'delete' ? 'old' : 'new';
      out.push(
        `create trigger ${table}_${op}_instance_revision after ${op} on ${table}
           for each row
           begin update instances set revision = revision + 1 where uuid = ${row}.${column}; end`,
      );
    }
  }
  return out;
}

function postgresTriggers(): string[] {
  const out = [
    `create function stratus_instance_revision() returns trigger language plpgsql as $$
       begin new.revision := old.revision + 1; return new; end $$`,
    `create trigger instances_revision before update on instances
       for each row execute function stratus_instance_revision()`,
    // The column is the trigger's argument; a row's fields are reached through jsonb.
    `create function stratus_touch_instance() returns trigger language plpgsql as $$
       begin
         update instances set revision = revision + 1
           where uuid = (case when tg_op = 'DELETE' then to_jsonb(old) else to_jsonb(new) end)
                        ->> tg_argv[0];
         return null;
       end $$`,
  ];
  for (const [table, column] of CHILDREN) {
    out.push(
      `create trigger ${table}_instance_revision after insert or update or delete on ${table}
         for each row execute function stratus_touch_instance('${column}')`,
    );
  }
  return out;
}

/** The statements that create the triggers, for `dialect`. */
export function instanceRevisionTriggers(dialect: DialectName): string[] {
  return dialect === 'postgres' ? postgresTriggers() : sqliteTriggers();
}
