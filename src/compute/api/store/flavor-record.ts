/** A flavor as the API layer works with it. */
export interface Flavor {
  /** Internal row id (sort key `id`, and what extra specs and access rows reference). */
  id: number;
  /** The API id. */
  flavorid: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swap: number;
  rxtxFactor: number;
  vcpuWeight: number | null;
  disabled: boolean;
  isPublic: boolean;
  description: string | null;
  extraSpecs: Record<string, string>;
  createdAt: string;
  updatedAt: string | null;
}

/** What creating a flavor takes (validated and converted by the API layer). */
export interface NewFlavor {
  flavorid: string;
  name: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swap: number;
  rxtxFactor: number;
  isPublic: boolean;
  description: string | null;
}

/** Who is looking: admins see every flavor, others public ones and those shared with them. */
export interface FlavorViewer {
  isAdmin: boolean;
  projectId: string | null;
}

/** Filters of a flavor listing, as upstream's FlavorList.get_all takes them. */
export interface FlavorFilters {
  /** true: public (plus the caller's private ones); false: private only; null: all. */
  isPublic: boolean | null;
  disabled?: boolean;
  minMemoryMb?: number;
  minRootGb?: number;
  /** A regular expression the name must match somewhere (2.102). */
  nameRegex?: RegExp;
}

/** Sorting and paging of a flavor listing. */
export interface FlavorPage {
  sortKey: string;
  sortDir: 'asc' | 'desc';
  limit: number;
  marker?: string | undefined;
}
