/**
 * `node --import tsx test/soak/heap-diff.ts A.heapsnapshot B.heapsnapshot`: what B holds more than A,
 * by kind and constructor (self sizes, counts), largest growth first; strings by their first words.
 * For the soak's renderer growth (SOAK_HEAP_SNAPSHOTS, docs/soak.md): a steady rise per resident
 * shows here as a constructor whose count rises with the residents between the two samples.
 */
import { readFileSync } from 'node:fs';
import { heapNodes, type HeapSnapshotJson } from './heap-snapshot';

function totals(path: string): Map<string, { count: number; size: number }> {
  const byKey = new Map<string, { count: number; size: number }>();
  for (const node of heapNodes(JSON.parse(readFileSync(path, 'utf8')) as HeapSnapshotJson)) {
    // Strings and code are many and unnamed: grouped by their start, which says whose they are.
    const name = node.type === 'string' || node.type === 'concatenated string' ? node.name.slice(0, 40) : node.name;
    const key = `${node.type}: ${name}`;
    const entry = byKey.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += node.selfSize;
    byKey.set(key, entry);
  }
  return byKey;
}

const [before, after] = process.argv.slice(2);
if (before === undefined || after === undefined) {
  console.error('usage: heap-diff.ts EARLIER.heapsnapshot LATER.heapsnapshot');
  process.exit(2);
}
const a = totals(before);
const b = totals(after);
const rows = [...b.entries()]
  .map(([key, now]) => {
    const then = a.get(key) ?? { count: 0, size: 0 };
    return { key, count: now.count - then.count, size: now.size - then.size };
  })
  .filter((row) => row.size > 0 || row.count > 0)
  .sort((x, y) => y.size - x.size)
  .slice(0, 40);
const sum = (m: Map<string, { size: number }>) => [...m.values()].reduce((s, e) => s + e.size, 0);
console.log(`self sizes: ${(sum(a) / 1024).toFixed(0)} KB → ${(sum(b) / 1024).toFixed(0)} KB`);
// By kind first: compiled code and the browser's own (native) objects grow for other reasons than the page's objects.
const byKind = new Map<string, number>();
for (const [key, now] of b) {
  const kind = key.slice(0, key.indexOf(':'));
  byKind.set(kind, (byKind.get(kind) ?? 0) + now.size - (a.get(key)?.size ?? 0));
}
for (const [key, then] of a)
  if (!b.has(key)) {
    const kind = key.slice(0, key.indexOf(':'));
    byKind.set(kind, (byKind.get(kind) ?? 0) - then.size);
  }
console.log(
  [...byKind.entries()]
    .sort((x, y) => y[1] - x[1])
    .map(([kind, size]) => `${kind} ${(size / 1024).toFixed(1)} KB`)
    .join(', '),
);
for (const row of rows)
  console.log(
    `${(row.size / 1024).toFixed(1).padStart(9)} KB  ${String(row.count).padStart(7)}  ${row.key.replace(/\s+/g, ' ')}`,
  );
