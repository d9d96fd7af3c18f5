/** One known extra spec: a name template and what its value must be. */
export interface ExtraSpecDefinition {
  /** e.g. `hw:cpu_policy`, `hw:numa_cpus.{num}`; the template is a regular expression. */
  name: string;
  type: 'str' | 'int' | 'bool';
  /** `str`: the value must match this expression in full. */
  pattern?: string;
  /** `str`: the value must be one of these. */
  enum?: readonly string[];
  /** `int` bounds. */
  min?: number;
  max?: number;
  /** The `{name}` parts of the template and the expressions they stand for. */
  params?: readonly { name: string; pattern: string }[];
}
