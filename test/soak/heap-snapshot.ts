/**
 * The V8 heap snapshot format (what Chromium's HeapProfiler and node:v8 write), read once for the
 * soak's tools: a flat `nodes` array of `node_fields`-wide records, `edges` likewise, and a string
 * table. figures.ts judges the page's objects from it; heap-diff.ts and heap-retainers.ts read it.
 */
export interface HeapSnapshotJson {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: string[];
      readonly node_types: [string[], ...unknown[]];
      readonly edge_fields: string[];
      readonly edge_types: [string[], ...unknown[]];
    };
  };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

export interface HeapNode {
  /** Its position among the nodes (not the offset in `nodes`). */
  readonly index: number;
  /** 'object', 'closure', 'string', 'code', 'native', 'hidden'… */
  readonly type: string;
  /** The constructor, a string's text, a native object's class. */
  readonly name: string;
  readonly selfSize: number;
  readonly edgeCount: number;
}

/** Every node of a snapshot, in order. */
export function* heapNodes(snap: HeapSnapshotJson): Generator<HeapNode> {
  const { node_fields: fields, node_types: types } = snap.snapshot.meta;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt, edgesAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f));
  for (let i = 0; i < snap.nodes.length; i += width) {
    yield {
      index: i / width,
      type: types[0][snap.nodes[i + (typeAt ?? 0)] ?? 0] ?? '?',
      name: snap.strings[snap.nodes[i + (nameAt ?? 0)] ?? 0] ?? '',
      selfSize: snap.nodes[i + (sizeAt ?? 0)] ?? 0,
      edgeCount: snap.nodes[i + (edgesAt ?? 0)] ?? 0,
    };
  }
}

/**
 * The self sizes of a snapshot's nodes but compiled code (V8 keeps compiling the functions that get
 * hot, for hundreds of residents: +0.6 MB over 250 in the run of 4 Dec) and native objects (the
 * browser's: capped timing buffers, font caches, and the records of the test's DevTools session).
 * What is left is what the page's code holds: its objects, closures, arrays and strings.
 */
export function pageObjectBytes(snap: HeapSnapshotJson): number {
  let total = 0;
  for (const node of heapNodes(snap)) if (node.type !== 'code' && node.type !== 'native') total += node.selfSize;
  return total;
}
