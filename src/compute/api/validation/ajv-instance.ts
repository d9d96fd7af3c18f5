import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isUuidLike } from '../../../common/ids.js';
import {
  isValidAzName,
  isValidName,
  isValidSpacedAzName,
  isValidSpacedName,
} from './name-formats.js';
import { numberFromValue } from './schema-transform.js';

/**
 * Makes the ajv instance request schemas compile with: draft 2020-12 (upstream validates with
 * Draft202012Validator), upstream's formats, and bounds that also apply to numeric strings.
 * `relaxed` strips unknown properties instead of rejecting them, as the legacy v2 API does.
 */
export function createAjv(relaxed: boolean): Ajv2020 {
  const ajv = new Ajv2020({
    strict: false,
    allErrors: false,
    verbose: true,
    allowUnionTypes: true,
    removeAdditional: relaxed ? true : false,
  });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addFormat('uuid', (s: string) => isUuidLike(s));
  ajv.addFormat('name', isValidName);
  ajv.addFormat('name_with_leading_trailing_spaces', isValidSpacedName);
  ajv.addFormat('az_name', isValidAzName);
  ajv.addFormat('az_name_with_leading_trailing_spaces', isValidSpacedAzName);
  // Python's re module accepts what JavaScript's does for all practical filters; empty is
  // rejected as upstream does (it matches everything).
  ajv.addFormat('regex', (s: string) => {
    if (s === '') return false;
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  for (const [keyword, fails] of [
    ['novaMinimum', (n: number, limit: number) => n < limit],
    ['novaMaximum', (n: number, limit: number) => n > limit],
  ] as const) {
    ajv.addKeyword({
      keyword,
      schemaType: 'number',
      errors: true,
      validate: function check(this: unknown, limit: number, data: unknown): boolean {
        const n = numberFromValue(data);
        if (n === undefined || Number.isNaN(n) || !fails(n, limit)) return true;
        (check as unknown as { errors: unknown[] }).errors = [
          { keyword, params: { limit, value: n }, message: '' },
        ];
        return false;
      },
    });
  }
  return ajv;
}
