/**
 * Chooses the accelerator: KVM when /dev/kvm can be opened read-write, TCG otherwise. Opening
 * (not just stat) is the test, because a visible device node may still be denied to us.
 */
import { open } from 'node:fs/promises';
import type { Accelerator } from './machine-spec.js';

/** What the operator asked for; `auto` means "KVM if it works here". */
export type AcceleratorChoice = Accelerator | 'auto';

/** Resolves `auto` by probing `kvmDevice` (default /dev/kvm); explicit choices pass through. */
export async function resolveAccelerator(
  choice: AcceleratorChoice,
  kvmDevice = '/dev/kvm',
): Promise<Accelerator> {
  if (choice !== 'auto') return choice;
  try {
    const fh = await open(kvmDevice, 'r+');
    await fh.close();
    return 'kvm';
  } catch {
    return 'tcg';
  }
}
