import type { Aggregate } from '../store/aggregate-store.js';
import { novaTime } from './timestamps.js';
import { field, VersionedView } from './versioned-view.js';

const common = [
  field<Aggregate>('id', [], (a) => a.id),
  field<Aggregate>('name', [], (a) => a.name),
  field<Aggregate>('availability_zone', [], (a) => a.metadata.availability_zone ?? null),
  field<Aggregate>('created_at', [], (a) => novaTime(a.createdAt)),
  field<Aggregate>('updated_at', [], (a) => novaTime(a.updatedAt)),
  field<Aggregate>('deleted_at', [], () => null),
  field<Aggregate>('deleted', [], () => false),
  // Nova 2.41: the aggregate's uuid.
  field<Aggregate>('uuid', ['2.41'], (a) => a.uuid),
];

/** An aggregate as create returns it: without hosts and metadata. */
export const aggregateCreatedView = new VersionedView<Aggregate>(common);

/** An aggregate in full. */
export const aggregateView = new VersionedView<Aggregate>([
  ...common,
  field('hosts', [], (a) => a.hosts),
  field('metadata', [], (a) => a.metadata),
]);
