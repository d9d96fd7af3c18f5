import { MAX_API_VERSION, MIN_API_VERSION } from '../microversion/supported-versions.js';

/** One API version as the version documents describe it. */
interface VersionInfo {
  id: 'v2.0' | 'v2.1';
  status: string;
  version: string;
  min_version: string;
  updated: string;
  path: 'v2' | 'v2.1';
  mediaType: string;
}

/** The two APIs Stratus serves, as upstream lists them (v2.0 is the legacy compatibility API). */
function versions(): VersionInfo[] {
  return [
    {
      id: 'v2.0',
      status: 'DEPRECATED',
      version: '',
      min_version: '',
      updated: '2025-07-04T12:00:00Z',
      path: 'v2',
      mediaType: 'application/vnd.openstack.compute+json;version=2',
    },
    {
      id: 'v2.1',
      status: 'CURRENT',
      version: MAX_API_VERSION.toString(),
      min_version: MIN_API_VERSION.toString(),
      updated: '2013-07-23T11:33:21Z',
      path: 'v2.1',
      mediaType: 'application/vnd.openstack.compute+json;version=2.1',
    },
  ];
}

const DESCRIBED_BY = { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' };

/** `GET /`: every version with its self link. */
export function versionsList(root: string): unknown {
  return {
    versions: versions().map((v) => ({
      id: v.id,
      status: v.status,
      version: v.version,
      min_version: v.min_version,
      updated: v.updated,
      links: [{ rel: 'self', href: `${root}/${v.path}/` }],
    })),
  };
}

/** `GET /v2.1` or `GET /v2`: one version in full. */
export function versionDocument(root: string, id: 'v2.0' | 'v2.1'): unknown {
  const v = versions().find((x) => x.id === id)!;
  return {
    version: {
      id: v.id,
      status: v.status,
      version: v.version,
      min_version: v.min_version,
      updated: v.updated,
      links: [{ rel: 'self', href: `${root}/${v.path}/` }, DESCRIBED_BY],
      'media-types': [{ base: 'application/json', type: v.mediaType }],
    },
  };
}

/** Any other path at the root: a 300 with each version's URL for that path. */
export function versionChoices(root: string, path: string): unknown {
  return {
    choices: versions().map((v) => ({
      id: v.id,
      status: v.status,
      links: [{ rel: 'self', href: `${root}/${v.path}/${path.replace(/^\/+/, '')}` }],
      'media-types': [{ base: 'application/json', type: v.mediaType }],
    })),
  };
}
