/** A flavor seeded on a new cloud. */
export interface SeedFlavor {
  id: string;
  name: string;
  ram: number;
  vcpus: number;
  disk: number;
}

/**
 * The flavors a devstack cloud starts with: Nova's classic m1 sizes, the tiny ones tempest
 * uses (m1.nano, m1.micro, cirros256) and devstack's `ds` sizes.
 */
export const DEVSTACK_FLAVORS: readonly SeedFlavor[] = [
  { id: '1', name: 'm1.tiny', ram: 512, vcpus: 1, disk: 1 },
  { id: '2', name: 'm1.small', ram: 2048, vcpus: 1, disk: 20 },
  { id: '3', name: 'm1.medium', ram: 4096, vcpus: 2, disk: 40 },
  { id: '4', name: 'm1.large', ram: 8192, vcpus: 4, disk: 80 },
  { id: '5', name: 'm1.xlarge', ram: 16384, vcpus: 8, disk: 160 },
  { id: '42', name: 'm1.nano', ram: 128, vcpus: 1, disk: 1 },
  { id: '84', name: 'm1.micro', ram: 192, vcpus: 1, disk: 1 },
  { id: 'c1', name: 'cirros256', ram: 256, vcpus: 1, disk: 1 },
  { id: 'd1', name: 'ds512M', ram: 512, vcpus: 1, disk: 5 },
  { id: 'd2', name: 'ds1G', ram: 1024, vcpus: 1, disk: 10 },
  { id: 'd3', name: 'ds2G', ram: 2048, vcpus: 2, disk: 10 },
  { id: 'd4', name: 'ds4G', ram: 4096, vcpus: 4, disk: 20 },
];
