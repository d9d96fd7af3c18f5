import type { HostFilter } from './host-filter.js';

function canonicalArch(arch: string): string {
  const a = arch.toLowerCase();
  // Nova canonicalizes the architecture aliases an image may carry.
  if (['amd64', 'x64', 'x86-64'].includes(a)) return 'x86_64';
  if (['i386', 'i486', 'i586', 'i686'].includes(a)) return 'i686';
  return a;
}

function versionNumber(v: string): number {
  const [maj = 0, min = 0, patch = 0] = v.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return maj * 1_000_000 + min * 1_000 + patch;
}

/** Checks a `>= 1.2`-style requirement on a version as Nova's version comparators do. */
function versionSatisfies(required: string, actual: number): boolean {
  const m = /^\s*(>=|<=|==|>|<)?\s*([\d.]+)\s*$/.exec(required);
  if (!m) return false;
  const want = versionNumber(m[2]!);
  switch (m[1]) {
    case '>':
      return actual > want;
    case '<':
      return actual < want;
    case '<=':
      return actual <= want;
    case '==':
      return actual === want;
    default:
      return actual >= want;
  }
}

/**
 * ImagePropertiesFilter: the host supports the image's architecture (`hw_architecture` or
 * `architecture`), hypervisor type (`img_hv_type`), vm mode (`hw_vm_mode`) and hypervisor
 * version (`img_hv_requested_version`). An image that asks for nothing passes everywhere.
 */
export const imagePropertiesFilter: HostFilter = {
  name: 'ImagePropertiesFilter',
  passes: (host, req) => {
    const p = req.image.properties;
    const archProp = p.hw_architecture ?? p.architecture;
    const arch = typeof archProp === 'string' ? canonicalArch(archProp) : undefined;
    const hvType = typeof p.img_hv_type === 'string' ? p.img_hv_type.toLowerCase() : undefined;
    const vmMode = typeof p.hw_vm_mode === 'string' ? p.hw_vm_mode.toLowerCase() : undefined;
    const version =
      typeof p.img_hv_requested_version === 'string' ? p.img_hv_requested_version : undefined;
    if (!arch && !hvType && !vmMode && !version) return true;
    if (version && !versionSatisfies(version, host.hypervisorVersion)) return false;
    if (!arch && !hvType && !vmMode) return true;
    return host.supportedInstances.some(
      ([a, h, m]) =>
        (!arch || canonicalArch(a) === arch) &&
        (!hvType || h.toLowerCase() === hvType) &&
        (!vmMode || m.toLowerCase() === vmMode),
    );
  },
};
