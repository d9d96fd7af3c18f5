/** A UUID as upstream's schemas match it in property names: 36 hex digits or dashes. */
export const UUID_PATTERN = '^[0-9a-fA-F-]{36}$';

/** A resource class or trait name. */
export const RC_PATTERN = '^[A-Z0-9_]+$';

/** A custom resource class or trait name. */
export const CUSTOM_PATTERN = '^CUSTOM_[A-Z0-9_]+$';

/** A consumer type (1.38). */
export const CONSUMER_TYPE_PATTERN = RC_PATTERN;

/** A request group suffix before 1.33 (a positive integer). */
export const GROUP_PAT = '[1-9][0-9]*';

/** A request group suffix from 1.33. */
export const GROUP_PAT_1_33 = '[a-zA-Z0-9_-]{1,64}';

/** Largest value of an integer column (upstream's MAX_INT). */
export const MAX_INT = 0x7fffffff;

/** Largest allocation ratio (a single-precision float, upstream's SQL_SP_FLOAT_MAX). */
export const SQL_SP_FLOAT_MAX = 3.40282e38;
