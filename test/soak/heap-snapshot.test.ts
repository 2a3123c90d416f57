import { describe, expect, it } from 'vitest';
import { heapNodes, pageObjectBytes, type HeapSnapshotJson } from './heap-snapshot';

// Three nodes: an object (100 B), compiled code (400 B), a browser object (50 B); fields in V8's order.
const snapshot: HeapSnapshotJson = {
  snapshot: {
    meta: {
      node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'detachedness'],
      node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native']],
      edge_fields: ['type', 'name_or_index', 'to_node'],
      edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak']],
    },
  },
  nodes: [3, 0, 1, 100, 0, 0, 4, 1, 3, 400, 0, 0, 8, 2, 5, 50, 0, 0],
  edges: [],
  strings: ['Object', 'InstructionStream', 'PerformanceEventTiming'],
};

describe('heap snapshots', () => {
  it('reads each node by its fields', () => {
    expect([...heapNodes(snapshot)].map((n) => [n.index, n.type, n.name, n.selfSize])).toEqual([
      [0, 'object', 'Object', 100],
      [1, 'code', 'InstructionStream', 400],
      [2, 'native', 'PerformanceEventTiming', 50],
    ]);
  });

  it("counts the page's objects without compiled code and the browser's native objects", () => {
    expect(pageObjectBytes(snapshot)).toBe(100);
  });
});
