// Scalars as client-go reads them: sigs.k8s.io/yaml turns the YAML into JSON with its fork of
// go-yaml v2 (YAML 1.1), then decodes the JSON into the Config struct. So `yes`, `on`, `y` are
// booleans, `0o17`, `1_000` and `0x1F` numbers, and a boolean or number where the struct wants a
// string makes kubectl refuse the file. Rules from goyaml.v2/resolve.go, one table per kind.

/** A scalar's value after YAML → JSON: a JSON string, boolean, number or null. */
export type Yaml11Value = string | boolean | number | null;

/** go-yaml v2's resolve map: exact spellings only (`yEs` is a string). */
const WORDS: ReadonlyMap<string, Yaml11Value> = new Map<string, Yaml11Value>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    (w) => [w, false] as const,
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map((w) => [w, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((w) => [w, NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((w) => [w, Infinity] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((w) => [w, -Infinity] as const),
]);

/** Go's strconv.ParseInt(s, 0, 64) syntax (any size: big.Int takes what overflows), after `_` removal. */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml's yamlStyleFloat, tried on the text without `_` (so every string of digits is a number). */
const YAML_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
/** A first character `.`: Go's ParseFloat on the text as written. */
const DOT_FLOAT = /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/;
/** First characters go-yaml looks further at; any other plain scalar is a string at once. */
const HINTED = /^[-+0-9.yYnNtTfFoO~]/;

/** The value of a plain (unquoted, untagged) scalar. */
export function resolvePlainYaml11(text: string): Yaml11Value {
  if (text !== '' && !HINTED.test(text)) return text;
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  const first = text[0];
  if (first === '.') return DOT_FLOAT.test(text) ? Number(text) : text;
  if (first === '-' || first === '+' || (first >= '0' && first <= '9')) {
    const plain = text.includes('_') ? text.replaceAll('_', '') : text;
    if (GO_INT.test(plain)) return goInt(plain);
    if (YAML_FLOAT.test(plain)) {
      // Go's ParseFloat fails beyond float64's range, and the text stays a string.
      const value = Number(plain);
      if (Number.isFinite(value)) return value;
    }
  }
  return text;
}

function goInt(plain: string): number {
  const negative = plain[0] === '-';
  const digits = plain[0] === '-' || plain[0] === '+' ? plain.slice(1) : plain;
  const prefix = digits.slice(0, 2).toLowerCase();
  const value =
    prefix === '0x' || prefix === '0o' || prefix === '0b'
      ? Number(digits.slice(0, 2).toLowerCase() + digits.slice(2))
      : digits.length > 1 && digits[0] === '0'
        ? parseInt(digits, 8)
        : Number(digits);
  return negative ? -value : value;
}

/** Tags go-yaml resolves; any other tag (`!!binary`, `!custom`, `!`) leaves the text a string. */
const RESOLVED_TAGS: Readonly<Record<string, 'str' | 'bool' | 'int' | 'float' | 'null'>> = {
  'tag:yaml.org,2002:str': 'str',
  'tag:yaml.org,2002:bool': 'bool',
  'tag:yaml.org,2002:int': 'int',
  'tag:yaml.org,2002:float': 'float',
  'tag:yaml.org,2002:null': 'null',
};

export class Yaml11TagError extends Error {
  override readonly name = 'Yaml11TagError';
}

/**
 * The value of any scalar: quoted and block scalars are strings unless tagged; a tag that the text
 * does not fit (`!!bool maybe`) is an error for go-yaml, so kubectl refuses the file.
 */
export function resolveScalarYaml11(text: string, plain: boolean, tag?: string | null): Yaml11Value {
  const kind = tag ? RESOLVED_TAGS[tag] : undefined;
  if (tag && !kind) return text;
  if (!tag) return plain ? resolvePlainYaml11(text) : text;
  if (kind === 'str') return text;
  const value = resolvePlainYaml11(text);
  const fits =
    kind === 'bool'
      ? typeof value === 'boolean'
      : kind === 'null'
        ? value === null
        : typeof value === 'number' && (kind === 'float' || GO_INT.test(text.replaceAll('_', '')));
  if (!fits) throw new Yaml11TagError(`a value tagged !!${kind} is not a ${kind}`);
  return value;
}
