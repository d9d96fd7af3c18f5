/** Where hosts are: availability zone and aggregate metadata, from the compute API's aggregates. */
export interface HostAggregateSource {
  /** For each host, its zone and merged aggregate metadata (hosts in no aggregate may be absent). */
  forHosts(
    hosts: string[],
  ): Promise<Map<string, { availabilityZone: string | null; metadata: Record<string, string[]> }>>;
}
