import type { KeyPair } from '../store/keypair-store.js';
import { novaTime } from './timestamps.js';
import { field, VersionedView } from './versioned-view.js';

/** A key pair, with the private key when Stratus generated it. */
export interface KeyPairSource {
  keypair: KeyPair;
  privateKey?: string;
}

const base = [
  field<KeyPairSource>('name', [], (s) => s.keypair.name),
  field<KeyPairSource>('public_key', [], (s) => s.keypair.publicKey),
  field<KeyPairSource>('fingerprint', [], (s) => s.keypair.fingerprint),
  field<KeyPairSource>('type', ['2.2'], (s) => s.keypair.type),
];

/** An item of GET /os-keypairs. */
export const keypairListView = new VersionedView<KeyPairSource>(base);

/** POST /os-keypairs. */
export const keypairCreateView = new VersionedView<KeyPairSource>([
  ...base,
  field('user_id', [], (s) => s.keypair.userId),
  field(
    'private_key',
    [],
    (s) => s.privateKey,
    (s) => s.privateKey !== undefined,
  ),
]);

/** GET /os-keypairs/{name}; the soft-delete fields are always empty, as upstream. */
export const keypairShowView = new VersionedView<KeyPairSource>([
  ...base,
  field('user_id', [], (s) => s.keypair.userId),
  field('id', [], (s) => s.keypair.id),
  field('created_at', [], (s) => novaTime(s.keypair.createdAt)),
  field('updated_at', [], (s) => novaTime(s.keypair.updatedAt)),
  field('deleted', [], () => false),
  field('deleted_at', [], () => null),
]);
