import { conflict, badRequest, notFound, ErrorCode } from '../placement-errors.js';
import { isUniqueViolation } from '../../platform/db/db-errors.js';
import { recordChange } from '../store/change-log.js';
import {
  ProviderActionError,
  createProvider,
  deleteProvider,
  duplicateProviderFields,
  getProvider,
  updateProvider,
  type ProviderRecord,
} from '../store/providers.js';
import { write, type PlacementDeps } from './placement-deps.js';

/** The provider with this UUID, or upstream's 404. */
export async function requireProvider(
  deps: PlacementDeps,
  uuid: string,
  detail = `No resource provider with uuid ${uuid} found`,
): Promise<ProviderRecord> {
  const rp = await getProvider(deps.database.kysely, uuid);
  if (!rp) throw notFound(detail);
  return rp;
}

/** POST /resource_providers. */
export async function createResourceProvider(
  deps: PlacementDeps,
  input: { uuid: string; name: string; parentUuid: string | null },
): Promise<ProviderRecord> {
  const duplicate = (fields: string[]) =>
    conflict(
      `Conflicting resource provider ${fields.join(', ')} already exists.`,
      ErrorCode.DUPLICATE_NAME,
    );
  try {
    return await write(deps, async (trx) => {
      const dup = await duplicateProviderFields(trx, input.uuid, input.name);
      if (dup.length > 0) throw duplicate(dup);
      const rp = await createProvider(trx, input, deps.clock);
      await recordChange(trx, [rp.id]);
      return rp;
    });
  } catch (err) {
    if (err instanceof ProviderActionError) {
      throw badRequest(
        `Unable to create resource provider "${input.name}", ${input.uuid}: ${err.message}`,
      );
    }
    // Another request created the same provider between our check and our insert.
    if (isUniqueViolation(err)) {
      throw duplicate(await duplicateProviderFields(deps.database.kysely, input.uuid, input.name));
    }
    throw err;
  }
}

/** PUT /resource_providers/{uuid}. */
export async function updateResourceProvider(
  deps: PlacementDeps,
  uuid: string,
  input: { name: string; parentUuid?: string | null },
  allowReparenting: boolean,
): Promise<ProviderRecord> {
  await requireProvider(deps, uuid);
  try {
    return await write(deps, async (trx) => {
      const rp = await getProvider(trx, uuid);
      if (!rp) throw notFound(`No resource provider with uuid ${uuid} found`);
      const { record, moved } = await updateProvider(trx, rp, input, allowReparenting, deps.clock);
      await recordChange(trx, [rp.id, ...moved]);
      return record;
    });
  } catch (err) {
    if (err instanceof ProviderActionError) {
      throw badRequest(`Unable to save resource provider ${uuid}: ${err.message}`);
    }
    if (isUniqueViolation(err)) {
      throw conflict(
        `Conflicting resource provider ${input.name} already exists.`,
        ErrorCode.DUPLICATE_NAME,
      );
    }
    throw err;
  }
}

/** DELETE /resource_providers/{uuid}. */
export async function deleteResourceProvider(deps: PlacementDeps, uuid: string): Promise<void> {
  const missing = `No resource provider with uuid ${uuid} found for delete`;
  await write(deps, async (trx) => {
    const rp = await getProvider(trx, uuid);
    if (!rp) throw notFound(missing);
    const outcome = await deleteProvider(trx, rp.id);
    if (outcome === 'has_children') {
      throw conflict(
        `Unable to delete parent resource provider ${uuid}: It has child resource providers.`,
        ErrorCode.PROVIDER_CANNOT_DELETE_PARENT,
      );
    }
    if (outcome === 'in_use') {
      throw conflict(
        `Unable to delete resource provider ${uuid}: Resource provider has allocations.`,
        ErrorCode.PROVIDER_IN_USE,
      );
    }
    if (outcome === 'not_found') throw notFound(missing);
    await recordChange(trx, [rp.id]);
  });
}
