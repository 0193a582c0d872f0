// Hostile kubeconfig shapes generated as text rather than mutated from a seed: alias bombs, deep
// nesting, huge scalars, duplicate keys, and the right keys holding values of the wrong types.
import * as fc from 'fast-check';

/** Arbitrary YAML-ish values for the places a kubeconfig expects strings, maps or lists. */
const yamlValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1e308, '', 'DATA+OMITTED', 'x'),
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(
      fc.constantFrom('name', 'cluster', 'user', 'context', 'token', 'exec', 'server', 'command'),
      tie('value'),
      {
        maxKeys: 3,
      },
    ),
  ),
})).value;

/** Hostile kubeconfig shapes built as text: bombs, nesting, huge values, odd encodings. */
export const hostileKubeconfig: fc.Arbitrary<string> = fc.oneof(
  // Billion laughs: each level aliases the previous one several times.
  fc.tuple(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 9 })).map(([levels, fan]) => {
    const lines = ['a0: &a0 ["lol"]'];
    for (let i = 1; i <= levels; i++)
      lines.push(
        `a${i}: &a${i} [${Array(fan)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    lines.push(`users: *a${levels}`, `clusters:\n- name: *a${levels}\n  cluster: *a${levels}`);
    return lines.join('\n');
  }),
  // Many aliases of one big anchor: each resolution must not walk the whole document again.
  fc
    .tuple(fc.integer({ min: 10, max: 500 }), fc.integer({ min: 100, max: 20_000 }))
    .map(
      ([items, aliases]) =>
        `a: &a [${'x,'.repeat(items)}]\nusers: [${'*a,'.repeat(aliases)}]\nclusters:\n- *a\n`,
    ),
  // Deep nesting in flow and block style.
  fc.tuple(fc.integer({ min: 10, max: 3000 }), fc.constantFrom('[', '{"a":', '- ')).map(([depth, open]) => {
    if (open === '- ')
      return (
        'users:\n' +
        Array.from({ length: Math.min(depth, 400) }, (_, i) => ' '.repeat(i) + '- ').join('\n') +
        'x'
      );
    const close = open === '[' ? ']' : '}';
    return `clusters: ${open.repeat(depth)}1${close.repeat(depth)}`;
  }),
  // Huge scalars.
  fc
    .tuple(
      fc.integer({ min: 1000, max: 200_000 }),
      fc.constantFrom('token', 'certificate-authority-data', 'name', 'server'),
    )
    .map(
      ([size, key]) =>
        `clusters:\n- name: c\n  cluster:\n    ${key}: ${'A'.repeat(size)}\nusers:\n- name: u\n  user:\n    ${key}: "${'\\u00e9'.repeat(size / 10)}"\n`,
    ),
  // Duplicate keys and names everywhere.
  fc
    .integer({ min: 2, max: 50 })
    .map((n) =>
      Array.from(
        { length: n },
        () => 'users:\n- name: u\n  user:\n    token: t\n    token: t2\n- name: u\n  user: {}\n',
      ).join(''),
    ),
  // Right keys, arbitrary values of the wrong types.
  fc
    .record({
      clusters: yamlValue,
      users: yamlValue,
      contexts: yamlValue,
      'current-context': yamlValue,
      kind: yamlValue,
    })
    .map((doc) => JSON.stringify(doc)),
  fc
    .array(
      fc.record({
        name: yamlValue,
        user: fc.oneof(
          yamlValue,
          fc.dictionary(
            fc.constantFrom('token', 'client-certificate', 'client-key-data', 'exec', 'password'),
            yamlValue,
          ),
        ),
      }),
      { maxLength: 4 },
    )
    .map((users) => JSON.stringify({ apiVersion: 'v1', kind: 'Config', users })),
);
