// The little the reader needs of a YAML tree, answered by `yaml`'s document and by the scanner
// alike (same values, same ranges), so both paths build the same kubeconfig document.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Alias,
  type Document,
  type Node,
  type Scalar,
} from 'yaml';
import type { ScanNode } from './scan';
import { resolveScalarYaml11, Yaml11TagError, type Yaml11Value } from './yaml11';

/**
 * The little the reader needs of a YAML tree: `yaml`'s nodes and the scanner's answer the same
 * questions with the same ranges, so both paths build the same document.
 */
export interface TreeNode {
  readonly range?: readonly number[] | null;
  readonly value?: unknown;
  readonly items?: readonly unknown[];
}

export interface TreePair {
  readonly key: unknown;
  readonly value: unknown;
}

export interface Tree {
  isMap(node: TreeNode): boolean;
  isSeq(node: TreeNode): boolean;
  isScalar(node: TreeNode): boolean;
  /** A scalar's value as JSON after sigs.k8s.io/yaml (YAML 1.1 booleans and numbers). */
  scalarValue(node: TreeNode): Yaml11Value;
  /** The node an alias stands for; the node itself otherwise. */
  deref(node: unknown): TreeNode | null;
  /** A map's pairs as go-yaml v2 reads them: `<<` merges applied, a repeated key's last value kept. */
  pairs(node: TreeNode & { items: readonly TreePair[] }): readonly TreePair[];
}

/** The scanner resolves scalars with the same rules, and leaves merge keys and repeated keys to `yaml`. */
export const SCANNED: Tree = {
  isMap: (node) => (node as ScanNode).kind === 'map',
  isSeq: (node) => (node as ScanNode).kind === 'seq',
  isScalar: (node) => (node as ScanNode).kind === 'scalar',
  scalarValue: (node) => node.value as Yaml11Value,
  deref: (node) => (node as TreeNode | null | undefined) ?? null,
  pairs: (node) => node.items,
};

/** How deep `<<` merges may nest; deeper is cut off (kubeconfigs need one or two levels). */
const MAX_MERGE_DEPTH = 64;

/** A plain, untagged `<<` key: go-yaml's merge key (a quoted "<<" is an ordinary key). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && key.source === '<<' && key.type === 'PLAIN' && !key.tag;
}

/** `yaml`'s document (failsafe schema: every scalar is its text), aliases and merges resolved lazily. */
export class YamlTree implements Tree {
  constructor(private readonly doc: Document.Parsed) {}

  isMap = (node: TreeNode): boolean => isMap(node);
  isSeq = (node: TreeNode): boolean => isSeq(node);
  isScalar = (node: TreeNode): boolean => isScalar(node);

  scalarValue(node: TreeNode): Yaml11Value {
    const scalar = node as Scalar;
    const text = String(scalar.source ?? scalar.value ?? '');
    try {
      return resolveScalarYaml11(text, scalar.type === 'PLAIN', scalar.tag);
    } catch (error) {
      // Reported once by `kubectlProblems`; read as absent meanwhile.
      if (error instanceof Yaml11TagError) return null;
      throw error;
    }
  }

  deref(node: unknown): TreeNode | null {
    if (isAlias(node)) return this.aliasTargets().get(node) ?? null;
    return (node as Node | null | undefined) ?? null;
  }

  private readonly merged = new WeakMap<object, readonly TreePair[]>();
  private readonly merging = new Set<object>();

  pairs(node: TreeNode & { items: readonly TreePair[] }, depth = 0): readonly TreePair[] {
    const known = this.merged.get(node);
    if (known) return known;
    const items = node.items as readonly TreePair[];
    if (!items.some((pair) => isMergeKey(pair.key)) && !this.hasRepeatedKey(items)) {
      this.merged.set(node, items);
      return items;
    }
    if (this.merging.has(node) || depth > MAX_MERGE_DEPTH) return [];
    this.merging.add(node);
    // go-yaml v2 decodes a merged map into the same map, in document order: a key after `<<`
    // overrides the merged one, a key before it is overridden; in `<<: [*a, *b]` *a wins.
    const effective = new Map<unknown, TreePair>();
    const set = (pair: TreePair): void => {
      const key = pair.key as TreeNode | null;
      const id = isScalar(key) ? String(key.source ?? key.value) : pair;
      effective.delete(id);
      effective.set(id, pair);
    };
    const mergeFrom = (value: unknown): void => {
      const target = this.deref(value);
      if (target && isMap(target))
        for (const pair of this.pairs(target as TreeNode & { items: TreePair[] }, depth + 1)) set(pair);
    };
    for (const pair of items) {
      if (!isMergeKey(pair.key)) {
        set(pair);
        continue;
      }
      const value = this.deref(pair.value);
      if (value && isSeq(value)) for (const item of [...value.items].reverse()) mergeFrom(item);
      else mergeFrom(value);
    }
    this.merging.delete(node);
    const result = [...effective.values()];
    this.merged.set(node, result);
    return result;
  }

  private hasRepeatedKey(items: readonly TreePair[]): boolean {
    const seen = new Set<string>();
    for (const pair of items) {
      if (!isScalar(pair.key)) continue;
      const id = String(pair.key.source ?? pair.key.value);
      if (seen.has(id)) return true;
      seen.add(id);
    }
    return false;
  }

  /**
   * What go-yaml or the JSON conversion refuses although the YAML parses: an alias to no anchor,
   * a `<<` whose value is not a map or a list of maps, a value its tag does not fit, and an
   * infinity or NaN anywhere (JSON has none: "json: unsupported value").
   */
  kubectlProblems(text: string): { span: readonly number[] | undefined; reason: string }[] {
    const problems: { span: readonly number[] | undefined; reason: string }[] = [];
    // Each needs a character only it uses: most files skip the walk.
    if (!/[*!]|<<|\.(?:inf|Inf|INF|nan|NaN|NAN)/.test(text)) return problems;
    const targets = this.aliasTargets();
    try {
      visit(this.doc, {
        Alias: (_key, node) => {
          if (!targets.has(node))
            problems.push({
              span: node.range ?? undefined,
              reason: 'an alias names an anchor that is not defined before it',
            });
        },
        Pair: (_key, pair) => {
          if (!isMergeKey(pair.key)) return;
          const value = this.deref(pair.value);
          const maps = value && isSeq(value) ? value.items.map((item) => this.deref(item)) : [value];
          if (maps.some((m) => !m || !isMap(m)))
            problems.push({
              span: (pair.key as Scalar).range ?? undefined,
              reason: 'map merge requires map or sequence of maps as the value',
            });
        },
        Scalar: (key, node) => {
          if (key === 'key') return;
          const text = String(node.source ?? node.value ?? '');
          try {
            const value = resolveScalarYaml11(text, node.type === 'PLAIN', node.tag);
            if (typeof value === 'number' && !Number.isFinite(value))
              problems.push({
                span: node.range ?? undefined,
                reason: 'kubectl converts YAML to JSON, which has no infinity or NaN',
              });
          } catch (error) {
            if (!(error instanceof Yaml11TagError)) throw error;
            problems.push({ span: node.range ?? undefined, reason: error.message });
          }
        },
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
    }
    return problems;
  }

  private targets: Map<Alias, Node> | undefined;

  /**
   * Every alias's node, found in one pass: Alias.resolve walks the whole document per call, so a
   * file of many aliases took quadratic time (5,000 aliases: seconds; 100,000: the editor hangs).
   * Same rule as yaml's: the last node before the alias that carries its anchor.
   */
  private aliasTargets(): Map<Alias, Node> {
    if (this.targets) return this.targets;
    const targets = new Map<Alias, Node>();
    const anchors = new Map<string, Node>();
    try {
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) {
            const target = anchors.get(node.source);
            if (target) targets.set(node, target);
          } else if (node.anchor) anchors.set(node.anchor, node);
        },
      });
    } catch {
      // Nesting too deep for the walk: aliases stay unresolved, like missing values.
    }
    this.targets = targets;
    return targets;
  }
}
