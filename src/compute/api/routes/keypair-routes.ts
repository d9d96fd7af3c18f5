import { limitAndMarker } from '../http/pagination.js';
import { generateSshKeyPair, sshFingerprint } from '../keypairs/ssh-public-key.js';
import { generateX509KeyPair, x509Fingerprint } from '../keypairs/x509-certificate.js';
import { Versioned } from '../microversion/versioned.js';
import { KeypairPolicy } from '../policies/keypair-policies.js';
import type { ApiDeps } from '../routing/api-deps.js';
import type { ApiCall, RouteSpec } from '../routing/route-spec.js';
import {
  keypairCreateSchemas,
  keypairItemQueries,
  keypairListQueries,
  type KeypairCreateBody,
} from '../schemas/keypair-schemas.js';
import { keypairCreateView, keypairListView, keypairShowView } from '../views/keypair-view.js';

const TOO_MANY = 'Quota exceeded, too many key pairs.';

/** 2.10: admins may name another user (`user_id` in the query); the policy decides. */
function targetUser(call: ApiCall): string {
  const given = call.version.atLeast('2.10') ? call.query.first('user_id') : undefined;
  return given ?? call.context.userId ?? '';
}

async function createKeypair(deps: ApiDeps, call: ApiCall<KeypairCreateBody>): Promise<unknown> {
  const params = call.body.keypair;
  const userId =
    (call.version.atLeast('2.10') ? params.user_id : undefined) ?? call.context.userId ?? '';
  call.authorize(KeypairPolicy.create, { user_id: userId });
  const name = params.name.trim();
  const type = params.type ?? 'ssh';
  const projectId = call.context.projectId ?? '';
  await deps.quotas.check('key_pairs', 1, projectId, userId, TOO_MANY);
  let publicKey: string;
  let fingerprint: string;
  let privateKey: string | undefined;
  if (params.public_key !== undefined) {
    publicKey = params.public_key;
    fingerprint = type === 'x509' ? x509Fingerprint(publicKey) : sshFingerprint(publicKey);
  } else {
    // Before 2.92 Nova generates the key pair and returns its private half once.
    const made = type === 'x509' ? await generateX509KeyPair(userId) : generateSshKeyPair();
    ({ publicKey, fingerprint, privateKey } = made);
  }
  const keypair = await deps.keypairs.create({ name, userId, type, publicKey, fingerprint });
  if (deps.config.quota.recheck_quota) {
    try {
      await deps.quotas.check('key_pairs', 0, projectId, userId, TOO_MANY);
    } catch (err) {
      await deps.keypairs.delete(userId, name);
      throw err;
    }
  }
  const src = privateKey === undefined ? { keypair } : { keypair, privateKey };
  return { keypair: keypairCreateView.render(src, call.version) };
}

/** The key pair routes: list (paged from 2.35), create or import, show, delete. */
export function keypairRoutes(deps: ApiDeps): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: '/os-keypairs',
      query: keypairListQueries,
      handler: async (call) => {
        const userId = targetUser(call);
        call.authorize(KeypairPolicy.index, { user_id: userId });
        const paged = call.version.atLeast('2.35');
        const page = paged ? limitAndMarker(call.query, deps.maxLimit) : {};
        const keypairs = await deps.keypairs.list(userId, page);
        const body: Record<string, unknown> = {
          keypairs: keypairs.map((keypair) => ({
            keypair: keypairListView.render({ keypair }, call.version),
          })),
        };
        if (paged) {
          const next = call.links.collection(keypairs, 'os-keypairs', (k) => k.name);
          if (next.length) body.keypairs_links = next;
        }
        return body;
      },
    },
    {
      method: 'POST',
      path: '/os-keypairs',
      body: keypairCreateSchemas,
      // Nova 2.2: 201 Created (200 before).
      status: new Versioned([
        [['2.0', '2.1'], 200],
        [['2.2'], 201],
      ]),
      handler: (call) => createKeypair(deps, call),
    },
    {
      method: 'GET',
      path: '/os-keypairs/:name',
      query: keypairItemQueries,
      handler: async (call) => {
        const userId = targetUser(call);
        call.authorize(KeypairPolicy.show, { user_id: userId });
        const keypair = await deps.keypairs.get(userId, call.params.name!);
        return { keypair: keypairShowView.render({ keypair }, call.version) };
      },
    },
    {
      method: 'DELETE',
      path: '/os-keypairs/:name',
      query: keypairItemQueries,
      // Nova 2.2: 204 No Content (202 before).
      status: new Versioned([
        [['2.0', '2.1'], 202],
        [['2.2'], 204],
      ]),
      handler: async (call) => {
        const userId = targetUser(call);
        call.authorize(KeypairPolicy.delete, { user_id: userId });
        await deps.keypairs.delete(userId, call.params.name!);
        return undefined;
      },
    },
  ];
}
