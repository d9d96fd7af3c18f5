import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';

/** The cloud name `stratus all` writes into clouds.yaml. */
export const CLOUD_NAME = 'stratus';

/** How the admin logs in. */
export interface AdminLogin {
  authUrl: string;
  username: string;
  password: string;
  projectName: string;
  regionName: string;
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Writes `<dir>/clouds.yaml` (cloud `stratus`) and `<dir>/openrc` for the admin, readable only
 * by their owner since they hold the password; returns their paths.
 */
export function writeCloudsFiles(
  dir: string,
  login: AdminLogin,
): { clouds: string; openrc: string } {
  const clouds = join(dir, 'clouds.yaml');
  const openrc = join(dir, 'openrc');
  const doc = {
    clouds: {
      [CLOUD_NAME]: {
        auth: {
          auth_url: login.authUrl,
          username: login.username,
          password: login.password,
          project_name: login.projectName,
          user_domain_name: 'Default',
          project_domain_name: 'Default',
        },
        region_name: login.regionName,
        interface: 'public',
        identity_api_version: 3,
      },
    },
  };
  writeFileSync(clouds, stringifyYaml(doc), { mode: 0o600 });
  const env: [string, string][] = [
    ['OS_AUTH_URL', login.authUrl],
    ['OS_USERNAME', login.username],
    ['OS_PASSWORD', login.password],
    ['OS_PROJECT_NAME', login.projectName],
    ['OS_USER_DOMAIN_NAME', 'Default'],
    ['OS_PROJECT_DOMAIN_NAME', 'Default'],
    ['OS_REGION_NAME', login.regionName],
    ['OS_INTERFACE', 'public'],
    ['OS_IDENTITY_API_VERSION', '3'],
  ];
  writeFileSync(
    openrc,
    `# Stratus admin credentials: source this file, then run openstack commands.\n${env
      .map(([k, v]) => `export ${k}=${shellQuote(v)}`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  return { clouds, openrc };
}

/** The admin password a previous start wrote into clouds.yaml, if any. */
export function readCloudsPassword(dir: string): string | undefined {
  const path = join(dir, 'clouds.yaml');
  if (!existsSync(path)) return undefined;
  try {
    const doc = parseYaml(readFileSync(path, 'utf8')) as {
      clouds?: Record<string, { auth?: { password?: unknown } }>;
    };
    const pw = doc.clouds?.[CLOUD_NAME]?.auth?.password;
    return typeof pw === 'string' ? pw : undefined;
  } catch {
    return undefined;
  }
}
