import { badRequest, conflict, notFound } from '../placement-errors.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { MIN_CUSTOM_RESOURCE_CLASS_ID, STANDARD_RESOURCE_CLASSES } from '../standard-catalog.js';
import { recordChange } from '../store/change-log.js';
import {
  insertCustomResourceClass,
  deleteResourceClass,
  getResourceClass,
  listResourceClasses,
  renameResourceClass,
  type ResourceClassRecord,
} from '../store/resource-classes.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** GET /resource_classes. */
export function allResourceClasses(deps: PlacementDeps): Promise<ResourceClassRecord[]> {
  return listResourceClasses(deps.database.kysely);
}

/** GET /resource_classes/{name}: the class, or upstream's 404. */
export async function showResourceClass(
  deps: PlacementDeps,
  name: string,
): Promise<ResourceClassRecord> {
  const rc = await getResourceClass(deps.database.kysely, name);
  if (!rc) throw notFound(`No such resource class ${name}.`);
  return rc;
}

/** POST /resource_classes (and PUT at 1.7+): creates a custom class; false when it existed. */
export async function addResourceClass(deps: PlacementDeps, name: string): Promise<boolean> {
  if (STANDARD_RESOURCE_CLASSES.includes(name)) return false;
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await getResourceClass(deps.database.kysely, name)) return false;
    try {
      await write(deps, async (trx) => {
        await insertCustomResourceClass(trx, name, deps.clock);
        await recordChange(trx, []);
      });
      return true;
    } catch (err) {
      // Either the name appeared (checked above on the next turn) or the id was taken.
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw conflict(
    `Max retries of DB transaction exceeded attempting to create resource class: ${name}, ` +
      'please try again.',
  );
}

/** PUT /resource_classes/{name} before 1.7: renames a custom class. */
export async function renameCustomResourceClass(
  deps: PlacementDeps,
  name: string,
  newName: string,
): Promise<ResourceClassRecord> {
  const rc = await showResourceClass(deps, name);
  if (rc.id < MIN_CUSTOM_RESOURCE_CLASS_ID) {
    throw badRequest(`Cannot update standard resource class ${name}`);
  }
  try {
    await write(deps, async (trx) => {
      await renameResourceClass(trx, rc.id, newName, deps.clock);
      await recordChange(trx, []);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(`Resource class already exists: ${newName}`);
    throw err;
  }
  return showResourceClass(deps, newName);
}

/** DELETE /resource_classes/{name}. */
export async function removeResourceClass(deps: PlacementDeps, name: string): Promise<void> {
  const rc = await showResourceClass(deps, name);
  if (rc.id < MIN_CUSTOM_RESOURCE_CLASS_ID) {
    throw badRequest(
      `Error in delete resource class: Cannot delete standard resource class ${name}.`,
    );
  }
  await write(deps, async (trx) => {
    const outcome = await deleteResourceClass(trx, rc.id);
    if (outcome === 'in_use') {
      throw conflict(
        `Error in delete resource class: Cannot delete resource class ${name}. ` +
          'Class is in use in inventory.',
      );
    }
    if (outcome === 'not_found') throw notFound(`No such resource class ${name}.`);
    await recordChange(trx, []);
  });
}
