import resourceClassData from './data/os-resource-classes.json' with { type: 'json' };
import traitData from './data/os-traits.json' with { type: 'json' };

/** Custom resource classes and traits must start with this prefix. */
export const CUSTOM_PREFIX = 'CUSTOM_';

/** Custom resource classes are numbered from here up; standard ones below (upstream's rule). */
export const MIN_CUSTOM_RESOURCE_CLASS_ID = 10000;

/** The trait that marks a provider whose inventory is shared with its aggregates' members. */
export const MISC_SHARES_VIA_AGGREGATE = 'MISC_SHARES_VIA_AGGREGATE';

/** The standard resource classes in upstream's numbering order (a class's id is its index). */
export const STANDARD_RESOURCE_CLASSES: readonly string[] = Object.freeze([
  ...resourceClassData.resource_classes,
]);

/** The standard traits of os-traits, sorted. */
export const STANDARD_TRAITS: readonly string[] = Object.freeze([...traitData.traits]);

const standardTraitSet = new Set(STANDARD_TRAITS);

/** True when `name` is one of the os-traits standard traits. */
export function isStandardTrait(name: string): boolean {
  return standardTraitSet.has(name);
}

/** True when `name` is a custom resource class or trait name. */
export function isCustom(name: string): boolean {
  return name.startsWith(CUSTOM_PREFIX);
}
