/**
 * A project-scoped token for the bootstrap admin (user and project `admin` in the default
 * domain), by password, from the identity API at `identityUrl`.
 */
export async function adminToken(identityUrl: string, password: string): Promise<string> {
  const res = await fetch(`${identityUrl}/v3/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ['password'],
          password: { user: { name: 'admin', password, domain: { id: 'default' } } },
        },
        scope: { project: { name: 'admin', domain: { id: 'default' } } },
      },
    }),
  });
  const token = res.headers.get('x-subject-token');
  if (res.status !== 201 || !token) throw new Error(`admin login: HTTP ${res.status}`);
  return token;
}
