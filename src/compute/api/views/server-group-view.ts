import type { ServerGroup } from '../store/server-group-store.js';
import { field, VersionedView } from './versioned-view.js';

/** A server group and which of its members still exist. */
export interface ServerGroupSource {
  group: ServerGroup;
  members: string[];
}

/** A server group: `policies`/`metadata` until 2.63, `policy`/`rules` from 2.64; owners from 2.13. */
export const serverGroupView = new VersionedView<ServerGroupSource>([
  field('id', [], (s) => s.group.uuid),
  field('name', [], (s) => s.group.name),
  field('policies', ['2.0', '2.63'], (s) => [s.group.policy]),
  field('metadata', ['2.0', '2.63'], () => ({})),
  field('policy', ['2.64'], (s) => s.group.policy),
  field('rules', ['2.64'], (s) => s.group.rules),
  field('members', [], (s) => s.members),
  field('project_id', ['2.13'], (s) => s.group.projectId),
  field('user_id', ['2.13'], (s) => s.group.userId),
]);
