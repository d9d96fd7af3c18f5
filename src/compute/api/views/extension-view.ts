import { EXTENSIONS } from './extension-list.js';

/** One extension as GET /extensions renders it. */
export interface ExtensionBody {
  alias: string;
  name: string;
  description: string;
  namespace: string;
  updated: string;
  links: never[];
}

function extension(alias: string, name: string): ExtensionBody {
  return {
    alias,
    name,
    description: `The ${name} compute API extension.`,
    namespace: 'http://docs.openstack.org/compute/ext/fake_xml',
    updated: '2014-12-03T00:00:00Z',
    links: [],
  };
}

/**
 * The extensions of the v2.1 API; the legacy v2 API also lists `OS-EXT-VIF-NET`, sorted by
 * alias, as upstream's compatibility list.
 */
export function extensionList(legacy: boolean): ExtensionBody[] {
  const list = EXTENSIONS.map(([a, n]) => extension(a, n));
  if (!legacy) return list;
  return [...list, extension('OS-EXT-VIF-NET', 'ExtendedVIFNet')].sort((a, b) =>
    a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0,
  );
}
