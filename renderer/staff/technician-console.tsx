import { useState } from 'preact/hooks';
import type { KioskClient } from '../api/kiosk-client';
import type { MessageKey } from '../i18n/messages-zh';
import { ConfigView } from './tech-config';
import { DevicesView } from './tech-devices';
import { AccessView, AuditView, DiagnosticsView, EnrolView, LogsView } from './tech-tools';
import { StaffFrame } from './staff-frame';

/** The technician console: one tab per job, every change audited on the service side. */
type Tab = 'devices' | 'config' | 'enrol' | 'logs' | 'diagnostics' | 'audit' | 'access';
const tabs: ReadonlyArray<{ id: Tab; label: MessageKey }> = [
  { id: 'devices', label: 'tech.tab.devices' },
  { id: 'config', label: 'tech.tab.config' },
  { id: 'enrol', label: 'tech.tab.enrol' },
  { id: 'logs', label: 'tech.tab.logs' },
  { id: 'diagnostics', label: 'tech.tab.diagnostics' },
  { id: 'audit', label: 'tech.tab.audit' },
  { id: 'access', label: 'tech.tab.access' },
];

export function TechnicianConsole({
  client,
  onLanguage,
  onSignOut,
}: {
  client: KioskClient;
  onLanguage: () => void;
  onSignOut: () => void;
}) {
  const [tab, setTab] = useState<Tab>('devices');
  return (
    <StaffFrame
      screenId={`tech-${tab}`}
      title="tech.title"
      tabs={tabs}
      tab={tab}
      onTab={setTab}
      onLanguage={onLanguage}
      onSignOut={onSignOut}
    >
      {tab === 'devices' && <DevicesView client={client} />}
      {tab === 'config' && <ConfigView client={client} />}
      {tab === 'enrol' && <EnrolView client={client} />}
      {tab === 'logs' && <LogsView client={client} />}
      {tab === 'diagnostics' && <DiagnosticsView client={client} />}
      {tab === 'audit' && <AuditView client={client} />}
      {tab === 'access' && <AccessView client={client} />}
    </StaffFrame>
  );
}
