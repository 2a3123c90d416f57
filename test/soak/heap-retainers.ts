/**
 * `node --import tsx test/soak/heap-retainers.ts SNAPSHOT NAME [N]`: for N objects named NAME (a
 * constructor, as heap-diff.ts lists them), the shortest chain of strong references that keeps each
 * alive, from a GC root. What heap-diff.ts says grows, this says who holds (docs/soak.md).
 */
import { readFileSync } from 'node:fs';
import { heapNodes, type HeapSnapshotJson } from './heap-snapshot';

const [path, wanted, many = '3'] = process.argv.slice(2);
if (path === undefined || wanted === undefined) {
  console.error('usage: heap-retainers.ts SNAPSHOT NAME [N]');
  process.exit(2);
}
const snap = JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshotJson;
const { meta } = snap.snapshot;
const nodes = [...heapNodes(snap)];
const nodeWidth = meta.node_fields.length;
const edgeWidth = meta.edge_fields.length;
const edgeTypeAt = meta.edge_fields.indexOf('type');
const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
const edgeToAt = meta.edge_fields.indexOf('to_node');
const nodeName = (index: number) => `${nodes[index]?.type ?? '?'}:${(nodes[index]?.name ?? '').slice(0, 60)}`;

// Reverse edges, strong ones only (weak references keep nothing alive).
const retainers: Array<Array<{ from: number; edge: string }>> = nodes.map(() => []);
let edge = 0;
for (const { index: node, edgeCount } of nodes) {
  for (let e = 0; e < edgeCount; e++, edge += edgeWidth) {
    const type = meta.edge_types[0][snap.edges[edge + edgeTypeAt] ?? 0] ?? '?';
    if (type === 'weak' || type === 'shortcut') continue;
    const to = (snap.edges[edge + edgeToAt] ?? 0) / nodeWidth;
    const raw = snap.edges[edge + edgeNameAt] ?? 0;
    const label = type === 'element' || type === 'hidden' ? `[${raw}]` : (snap.strings[raw] ?? String(raw));
    retainers[to]?.push({ from: node, edge: label });
  }
}

const targets = nodes
  .filter((node) => node.name === wanted && node.type === 'object')
  .slice(0, Number(many))
  .map((node) => node.index);
for (const target of targets) {
  // Breadth first towards the root (node 0): the first path found is a shortest one.
  const via = new Map<number, { next: number; edge: string }>([[target, { next: -1, edge: '' }]]);
  const queue = [target];
  let root = -1;
  while (queue.length > 0 && root === -1) {
    const node = queue.shift() as number;
    for (const { from, edge: label } of retainers[node] ?? []) {
      if (via.has(from)) continue;
      via.set(from, { next: node, edge: label });
      if (from === 0) {
        root = from;
        break;
      }
      queue.push(from);
    }
  }
  const chain: string[] = [];
  for (let node = root; node !== -1;) {
    const step = via.get(node);
    chain.push(`${nodeName(node)}${step?.edge ? ` -.${step.edge}->` : ''}`);
    node = step?.next ?? -1;
  }
  console.log(root === -1 ? `${nodeName(target)}: no strong path from a root` : chain.join('\n  '));
  console.log('');
}
