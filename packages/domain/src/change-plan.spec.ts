import { describe, expect, it } from 'vitest';
import {
  findDrift,
  inverseOps,
  planChanges,
  unmetRows,
  type DesiredRow,
  type SnapshotRow,
} from './change-plan.ts';

const snapshot: SnapshotRow[] = [
  { path: '/ppp/aaa', id: null, values: { 'use-radius': 'no', accounting: 'yes', 'interim-update': '0s' } },
  { path: '/ip/hotspot/profile', id: '*1', values: { name: 'default', 'use-radius': 'no' } },
  { path: '/ip/hotspot/profile', id: '*2', values: { name: 'hsprof1', 'use-radius': 'yes' } },
];
const desired: DesiredRow[] = [
  {
    path: '/ppp/aaa',
    match: null,
    values: { 'use-radius': 'yes', accounting: 'yes', 'interim-update': '5m' },
  },
  { path: '/ip/hotspot/profile', match: { name: 'default' }, values: { 'use-radius': 'yes' } },
  { path: '/ip/hotspot/profile', match: { name: 'hsprof1' }, values: { 'use-radius': 'yes' } },
  {
    path: '/radius',
    match: { address: '192.0.2.1' },
    values: { service: 'hotspot,ppp', secret: 's3' },
    writeOnly: ['secret'],
  },
];

describe('change plans', () => {
  it('plans only what differs, with the before values needed to undo it', () => {
    const ops = planChanges(snapshot, desired);
    expect(ops).toEqual([
      {
        kind: 'set',
        path: '/ppp/aaa',
        id: null,
        values: desired[0]?.values,
        before: { 'use-radius': 'no', accounting: 'yes', 'interim-update': '0s' },
      },
      {
        kind: 'set',
        path: '/ip/hotspot/profile',
        id: '*1',
        values: { 'use-radius': 'yes' },
        before: { 'use-radius': 'no' },
      },
      {
        kind: 'add',
        path: '/radius',
        values: { address: '192.0.2.1', service: 'hotspot,ppp', secret: 's3' },
      },
    ]);
  });

  it('undoes applied operations in reverse order, removing what was added', () => {
    const ops = planChanges(snapshot, desired);
    const applied = ops.map((op) => (op.kind === 'add' ? { ...op, createdId: '*9' } : op));
    const inverse = inverseOps(applied);
    expect(inverse.map((op) => [op.kind, op.path, 'id' in op ? op.id : null])).toEqual([
      ['remove', '/radius', '*9'],
      ['set', '/ip/hotspot/profile', '*1'],
      ['set', '/ppp/aaa', null],
    ]);
    expect(inverse[1]).toMatchObject({ values: { 'use-radius': 'no' } });
  });

  it('notices drift in rows the plan touches, but not elsewhere', () => {
    const ops = planChanges(snapshot, desired);
    const later = snapshot.map((r) =>
      r.id === '*2' ? { ...r, values: { ...r.values, 'use-radius': 'no' } } : r,
    );
    expect(findDrift(snapshot, later, ops)).toEqual([]);
    const touched = snapshot.map((r) =>
      r.id === '*1' ? { ...r, values: { ...r.values, 'use-radius': 'yes' } } : r,
    );
    expect(findDrift(snapshot, touched, ops)).toEqual(['/ip/hotspot/profile *1 use-radius changed']);
  });

  it('verifies the router now shows the desired state', () => {
    expect(unmetRows(snapshot, desired)).toHaveLength(3);
    const done: SnapshotRow[] = [
      {
        path: '/ppp/aaa',
        id: null,
        values: { 'use-radius': 'yes', accounting: 'yes', 'interim-update': '5m' },
      },
      { path: '/ip/hotspot/profile', id: '*1', values: { name: 'default', 'use-radius': 'yes' } },
      { path: '/ip/hotspot/profile', id: '*2', values: { name: 'hsprof1', 'use-radius': 'yes' } },
      { path: '/radius', id: '*9', values: { address: '192.0.2.1', service: 'hotspot,ppp' } },
    ];
    expect(unmetRows(done, desired)).toEqual([]);
  });
});
