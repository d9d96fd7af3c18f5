import type { IdGenerator } from '../../common/ids.js';
import { hashPassword, verifyPassword } from '../crypto/password-hasher.js';
import { unauthorized } from '../identity-errors.js';
import type { IdentityStore } from '../store/identity-store.js';
import type { User, UserPatch } from '../store/user-store.js';

/** A user to create, with its plain password (hashed here). */
export interface UserCreate {
  name: string;
  domainId: string;
  enabled: boolean;
  defaultProjectId: string | null;
  password: string | null;
  options: Record<string, unknown>;
  extra: Record<string, unknown>;
}

/** A user update, with an optional new plain password. */
export type UserUpdate = Omit<UserPatch, 'passwordHash'> & { password?: string | null };

/**
 * User lifecycle with keystone's side effects: passwords hashed; disabling a user or changing
 * its password revokes every token it holds; disabling it also deletes its application
 * credentials; deleting it revokes its tokens.
 */
export class UserService {
  constructor(
    private readonly store: IdentityStore,
    private readonly ids: IdGenerator,
  ) {}

  /** Creates a user. */
  async create(u: UserCreate): Promise<User> {
    return this.store.users.createUser({
      id: this.ids.uuid().replace(/-/g, ''),
      name: u.name,
      domainId: u.domainId,
      enabled: u.enabled,
      defaultProjectId: u.defaultProjectId,
      passwordHash: u.password === null ? null : await hashPassword(u.password),
      options: u.options,
      extra: u.extra,
    });
  }

  /** Updates a user, revoking its tokens when it is disabled or its password changes. */
  async update(id: string, u: UserUpdate): Promise<User> {
    const before = await this.store.users.getUser(id);
    const { password, ...rest } = u;
    const patch: UserPatch = { ...rest };
    if (password !== undefined) {
      patch.passwordHash = password === null ? null : await hashPassword(password);
    }
    const after = await this.store.users.updateUser(id, patch);
    const disabled = before.enabled && !after.enabled;
    if (disabled || password !== undefined) {
      await this.store.revocations.revoke({ userId: id });
    }
    if (disabled) {
      for (const c of await this.store.appCreds.listForUser(id))
        await this.store.appCreds.delete(c.id);
    }
    return after;
  }

  /** Deletes a user and revokes its tokens. */
  async delete(id: string): Promise<void> {
    await this.store.users.deleteUser(id);
    await this.store.revocations.revoke({ userId: id });
  }

  /**
   * A user changing its own password (POST /v3/users/{id}/password): the original password must
   * be right, as keystone's change_password requires (401 otherwise).
   */
  async changePassword(id: string, original: string, password: string): Promise<void> {
    const user = await this.store.users.getUser(id);
    if (!(await verifyPassword(original, user.passwordHash))) {
      throw unauthorized('Invalid original password');
    }
    await this.update(id, { password });
  }
}
