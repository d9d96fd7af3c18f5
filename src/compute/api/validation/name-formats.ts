/**
 * Nova's name formats (nova/api/validation/parameter_types.py): "printable" means a code point
 * of the Basic Multilingual Plane that is neither a control, format, surrogate or private-use
 * character (Unicode category C) nor a line or paragraph separator; ordinary spaces (Zs) are
 * printable but may not lead or trail a name. Each check returns true when the value passes.
 */

const NOT_PRINTABLE = /[\p{C}\p{Zl}\p{Zp}]/u;
const SPACE = /\p{Zs}/u;

function printable(ch: string, exclude: string): boolean {
  // Upstream builds its ranges over U+0000–U+FFFE only, so astral characters never match.
  if (ch.codePointAt(0)! > 0xfffe) return false;
  return !NOT_PRINTABLE.test(ch) && !exclude.includes(ch);
}

function strictName(value: string, exclude: string): boolean {
  const chars = [...value];
  if (!chars.every((c) => printable(c, exclude))) return false;
  if (chars.length === 0) return true;
  return !SPACE.test(chars[0]!) && !SPACE.test(chars[chars.length - 1]!);
}

function spacedName(value: string, exclude: string): boolean {
  const chars = [...value];
  return chars.every((c) => printable(c, exclude)) && chars.some((c) => !SPACE.test(c));
}

/** `format: name`: printable, no leading or trailing whitespace. */
export function isValidName(value: string): boolean {
  return strictName(value, '');
}

/** `format: name_with_leading_trailing_spaces`: printable, at least one non-space character. */
export function isValidSpacedName(value: string): boolean {
  return spacedName(value, '');
}

/** `format: az_name`: as `name`, and no colon. */
export function isValidAzName(value: string): boolean {
  return strictName(value, ':');
}

/** `format: az_name_with_leading_trailing_spaces`: as the spaced name, and no colon. */
export function isValidSpacedAzName(value: string): boolean {
  return spacedName(value, ':');
}

/** Upstream's description pattern: printable characters only (spaces anywhere). */
export function isValidDescription(value: string): boolean {
  return [...value].every((c) => printable(c, ''));
}

/** Why a name failed, in upstream's InvalidName wording, by format name. */
export const NAME_FORMAT_REASONS: Record<string, string> = {
  name: 'printable characters. Can not start or end with whitespace.',
  name_with_leading_trailing_spaces: 'printable characters with at least one non space character',
  az_name: 'printable characters except :.Can not start or end with whitespace.',
  az_name_with_leading_trailing_spaces:
    'printable characters except :, with at least one non space character',
};
