/**
 * Upstream's description pattern, `^[<printable>]*$`, in a form ajv compiles with the `u` flag:
 * no control, format, surrogate, private-use or unassigned characters and no line or paragraph
 * separators; characters beyond the Basic Multilingual Plane are excluded as upstream's ranges
 * stop at U+FFFE.
 */
export const isValidDescriptionPattern = '^[^\\p{C}\\p{Zl}\\p{Zp}\\u{10000}-\\u{10FFFF}]*$';
