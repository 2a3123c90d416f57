import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalUpdateReport } from '../../../platform/contract/api-schemas';
import { reportDatabaseRestore, reportUpdateOutcome } from './update-happenings';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'update-happenings-'));
  dirs.push(dir);
  const reported: { code: string; detail?: string }[] = [];
  const agent = { report: (code: string, detail?: string) => void reported.push({ code, detail }) };
  return { dir, reported, agent };
}

const report = (outcome: TerminalUpdateReport['outcome'], at = '2026-12-01T03:00:00Z'): TerminalUpdateReport => ({
  outcome,
  at,
  installedVersion: '0.2.0',
  targetVersion: '0.2.0',
  reason: 'done',
});

describe('reportUpdateOutcome', () => {
  it('tells the county of an installed release once, across restarts', () => {
    const { dir, reported, agent } = setup();
    expect(reportUpdateOutcome(agent, report('installed'), dir)).toBe('reported');
    expect(reportUpdateOutcome(agent, report('installed'), dir)).toBe('nothing-new');
    expect(reported).toEqual([{ code: 'update-applied', detail: '0.2.0 → 0.2.0' }]);
  });

  it('reports a rollback as its own happening, and a later outcome again', () => {
    const { dir, reported, agent } = setup();
    reportUpdateOutcome(agent, report('installed'), dir);
    reportUpdateOutcome(agent, report('rolled-back', '2026-12-02T03:00:00Z'), dir);
    expect(reported.map((r) => r.code)).toEqual(['update-applied', 'update-rolled-back']);
  });

  it('says nothing when no update ran or nothing changed', () => {
    const { dir, reported, agent } = setup();
    expect(reportUpdateOutcome(agent, undefined, dir)).toBe('nothing-new');
    expect(reportUpdateOutcome(agent, report('up-to-date'), dir)).toBe('nothing-new');
    expect(reportUpdateOutcome(agent, report('deferred'), dir)).toBe('nothing-new');
    expect(reported).toEqual([]);
  });
});

describe('reportDatabaseRestore', () => {
  it("tells the county of a restore at this start as a 'database-restored' happening", () => {
    const { reported, agent } = setup();
    expect(reportDatabaseRestore(agent, null)).toBe('nothing-new');
    const problem = 'database disk image is malformed';
    expect(reportDatabaseRestore(agent, { backup: 'kiosk-20261203T010000000Z.sqlite', problem })).toBe('reported');
    expect(reportDatabaseRestore(agent, { backup: null, problem })).toBe('reported');
    expect(reported).toEqual([
      { code: 'database-restored', detail: `from kiosk-20261203T010000000Z.sqlite: ${problem}` },
      { code: 'database-restored', detail: `from no backup (empty store): ${problem}` },
    ]);
  });
});
