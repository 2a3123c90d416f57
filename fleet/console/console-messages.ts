/** The console's words in Chinese and English; both languages have every key (the type says so). */
import type { AlertCode, DeviceRole, FleetCommandKind } from '../contract/fleet-payloads';
import type { Health } from './console-store';

export type ConsoleLanguage = 'zh' | 'en';

interface Messages {
  title: string;
  terminals: string;
  summary: string;
  language: string;
  health: Record<Health, string>;
  alerts: Record<AlertCode, string>;
  commands: Record<FleetCommandKind, string>;
  filterStatus: string;
  filterAlert: string;
  filterText: string;
  any: string;
  apply: string;
  noTerminals: string;
  pages: string;
  previousPage: string;
  nextPage: string;
  pageOf: (page: number, pages: number, from: number, to: number, total: number) => string;
  lastSeen: string;
  openAlerts: string;
  none: string;
  village: string;
  version: string;
  assignedVersion: string;
  uptime: string;
  devices: string;
  outbox: string;
  outboxValue: (depth: number, oldest: string | null) => string;
  diskFree: string;
  clockOffset: string;
  lastActivity: string;
  auditHead: string;
  notice: string;
  acknowledge: string;
  acknowledgedBy: (who: string, when: string) => string;
  since: string;
  events: string;
  history: string;
  availability: string;
  days: (n: number) => string;
  unknown: string;
  sendCommand: string;
  send: string;
  device: string;
  noticeText: string;
  noticeHours: string;
  commandLog: string;
  waitingReply: string;
  outcome: Record<'done' | 'failed' | 'refused', string>;
  phase: Record<'raised' | 'cleared' | 'once', string>;
  offlineReason: Record<'connection-lost' | 'shutdown', string>;
  dailySummary: string;
  date: string;
  print: string;
  total: string;
  online: string;
  alertsRaised: string;
  stillOpen: string;
  acknowledged: string;
  /** The day's availability in bands, for a county of thousands. */
  availabilityBands: (full: number, most: number, low: number) => string;
  lowestShown: (shown: number, total: number) => string;
  firstShown: (shown: number, total: number) => string;
  terminal: string;
  raisedAt: string;
  clearedAt: string;
  back: string;
  live: string;
  notFound: string;
  commandSent: string;
  commandFailed: string;
  deviceRole: Record<DeviceRole, string>;
  /** The device states the kiosk's drivers report; an unknown one is shown as sent. */
  deviceState: Record<DeviceStateName, string>;
  signOut: string;
  viewOnly: string;
}

export const deviceStateNames = [
  'ready',
  'busy',
  'connecting',
  'connected',
  'disconnected',
  'no-device',
  'paper-near-end',
  'paper-out',
  'cover-open',
  'error',
] as const;
export type DeviceStateName = (typeof deviceStateNames)[number];

const zh: Messages = {
  title: '终端运维台',
  terminals: '终端',
  summary: '每日汇总',
  language: 'English',
  health: { red: '故障', amber: '注意', green: '正常', grey: '离线' },
  alerts: {
    'printer-paper-near-end': '打印纸将尽',
    'printer-paper-out': '打印机缺纸',
    'printer-unplugged': '打印机未连接',
    'printer-fault': '打印机故障',
    'id-reader-unplugged': '读卡器未连接',
    'id-reader-fault': '读卡器故障',
    'scanner-unplugged': '扫码器未连接',
    'outbox-stuck': '申请积压未发出',
    'disk-low': '磁盘空间不足',
    'clock-skew': '终端时钟偏差',
    'database-restored': '数据库已从备份恢复',
    'update-applied': '软件已更新',
    'update-rolled-back': '软件更新已回退',
  },
  commands: {
    'refresh-catalogue': '刷新事项目录',
    'upload-diagnostics': '上传诊断包',
    'set-assigned-version': '指定软件版本',
    'self-test': '设备自检',
    'show-notice': '待机屏通知',
  },
  filterStatus: '状态',
  filterAlert: '告警',
  filterText: '终端或村名',
  any: '全部',
  apply: '筛选',
  noTerminals: '没有符合条件的终端',
  pages: '分页',
  previousPage: '上一页',
  nextPage: '下一页',
  pageOf: (page, pages, from, to, total) => `第 ${page}/${pages} 页 · 第 ${from}–${to} 台，共 ${total} 台`,
  lastSeen: '最近联系',
  openAlerts: '未解除告警',
  none: '无',
  village: '村（服务点）',
  version: '软件版本',
  assignedVersion: '指定版本',
  uptime: '运行时长',
  devices: '设备',
  outbox: '待发申请',
  outboxValue: (depth, oldest) => (depth === 0 ? '无' : `${depth} 件，最早 ${oldest ?? ''}`),
  diskFree: '磁盘剩余',
  clockOffset: '时钟偏差',
  lastActivity: '最近居民使用',
  auditHead: '审计链头',
  notice: '通知',
  acknowledge: '确认',
  acknowledgedBy: (who, when) => `${who} 于 ${when} 确认`,
  since: '开始于',
  events: '事件',
  history: '状态历史',
  availability: '在线率',
  days: (n) => `近 ${n} 天`,
  unknown: '未知',
  sendCommand: '下发指令',
  send: '下发',
  device: '设备',
  noticeText: '通知内容（留空则撤下）',
  noticeHours: '显示小时数',
  commandLog: '指令记录',
  waitingReply: '等待终端回复',
  outcome: { done: '已执行', failed: '执行失败', refused: '被拒绝' },
  phase: { raised: '发生', cleared: '解除', once: '发生' },
  offlineReason: { 'connection-lost': '连接中断', shutdown: '正常关机' },
  dailySummary: '终端运行日报',
  date: '日期',
  print: '打印',
  total: '终端总数',
  online: '在线',
  alertsRaised: '当日告警',
  stillOpen: '仍未解除',
  acknowledged: '已确认',
  availabilityBands: (full, most, low) => `在线率 ≥ 99%：${full} 台 · 90–99%：${most} 台 · 低于 90%：${low} 台`,
  lowestShown: (shown, total) => `在线率最低的 ${shown} 台（共 ${total} 台）`,
  firstShown: (shown, total) => `最早的 ${shown} 条（共 ${total} 条）`,
  terminal: '终端',
  raisedAt: '发生时间',
  clearedAt: '解除时间',
  back: '返回列表',
  live: '实时更新',
  notFound: '没有这个终端',
  commandSent: '指令已下发，等待终端回复',
  commandFailed: '指令未能下发',
  deviceRole: { 'id-reader': '身份证读卡器', printer: '打印机', scanner: '扫描仪' },
  deviceState: {
    ready: '正常',
    busy: '忙',
    connecting: '正在连接',
    connected: '已连接',
    disconnected: '连接断开',
    'no-device': '未接设备',
    'paper-near-end': '纸将用完',
    'paper-out': '缺纸',
    'cover-open': '盖子打开',
    error: '故障',
  },
  signOut: '退出登录',
  viewOnly: '您的账号只能查看；确认告警和发送指令需要技术员账号。',
};

const en: Messages = {
  title: 'Terminal fleet',
  terminals: 'Terminals',
  summary: 'Daily summary',
  language: '中文',
  health: { red: 'Fault', amber: 'Attention', green: 'OK', grey: 'Offline' },
  alerts: {
    'printer-paper-near-end': 'Paper nearly out',
    'printer-paper-out': 'Printer out of paper',
    'printer-unplugged': 'Printer unplugged',
    'printer-fault': 'Printer fault',
    'id-reader-unplugged': 'Card reader unplugged',
    'id-reader-fault': 'Card reader fault',
    'scanner-unplugged': 'Scanner unplugged',
    'outbox-stuck': 'Applications stuck in the outbox',
    'disk-low': 'Disk space low',
    'clock-skew': 'Terminal clock off',
    'database-restored': 'Database restored from backup',
    'update-applied': 'Software updated',
    'update-rolled-back': 'Software update rolled back',
  },
  commands: {
    'refresh-catalogue': 'Refresh the catalogue',
    'upload-diagnostics': 'Upload diagnostics',
    'set-assigned-version': 'Assign software version',
    'self-test': 'Device self-test',
    'show-notice': 'Idle-screen notice',
  },
  filterStatus: 'Status',
  filterAlert: 'Alert',
  filterText: 'Terminal or village',
  any: 'All',
  apply: 'Filter',
  noTerminals: 'No terminal matches',
  pages: 'Pages',
  previousPage: 'Previous',
  nextPage: 'Next',
  pageOf: (page, pages, from, to, total) => `Page ${page} of ${pages} · ${from}–${to} of ${total}`,
  lastSeen: 'Last seen',
  openAlerts: 'Open alerts',
  none: 'none',
  village: 'Village (service point)',
  version: 'Software version',
  assignedVersion: 'Assigned version',
  uptime: 'Uptime',
  devices: 'Devices',
  outbox: 'Outbox',
  outboxValue: (depth, oldest) => (depth === 0 ? 'empty' : `${depth} waiting, oldest ${oldest ?? ''}`),
  diskFree: 'Disk free',
  clockOffset: 'Clock offset',
  lastActivity: 'Last resident activity',
  auditHead: 'Audit chain head',
  notice: 'Notice',
  acknowledge: 'Acknowledge',
  acknowledgedBy: (who, when) => `acknowledged by ${who} at ${when}`,
  since: 'since',
  events: 'Events',
  history: 'State history',
  availability: 'Availability',
  days: (n) => `last ${n} days`,
  unknown: 'unknown',
  sendCommand: 'Send a command',
  send: 'Send',
  device: 'Device',
  noticeText: 'Notice text (empty takes it down)',
  noticeHours: 'Hours shown',
  commandLog: 'Commands',
  waitingReply: 'waiting for the terminal',
  outcome: { done: 'done', failed: 'failed', refused: 'refused' },
  phase: { raised: 'raised', cleared: 'cleared', once: 'happened' },
  offlineReason: { 'connection-lost': 'connection lost', shutdown: 'shut down' },
  dailySummary: 'Daily fleet summary',
  date: 'Date',
  print: 'Print',
  total: 'Terminals',
  online: 'Online',
  alertsRaised: 'Alerts that day',
  stillOpen: 'Still open',
  acknowledged: 'Acknowledged',
  availabilityBands: (full, most, low) => `99 % or more: ${full} · 90–99 %: ${most} · below 90 %: ${low}`,
  lowestShown: (shown, total) => `The ${shown} lowest of ${total}`,
  firstShown: (shown, total) => `The first ${shown} of ${total}`,
  terminal: 'Terminal',
  raisedAt: 'Raised',
  clearedAt: 'Cleared',
  back: 'Back to the list',
  live: 'Live',
  notFound: 'No such terminal',
  commandSent: 'Command sent; waiting for the reply',
  commandFailed: 'The command could not be sent',
  deviceRole: { 'id-reader': 'ID card reader', printer: 'Printer', scanner: 'Scanner' },
  deviceState: {
    ready: 'ready',
    busy: 'busy',
    connecting: 'connecting',
    connected: 'connected',
    disconnected: 'disconnected',
    'no-device': 'not attached',
    'paper-near-end': 'paper nearly out',
    'paper-out': 'out of paper',
    'cover-open': 'cover open',
    error: 'fault',
  },
  signOut: 'Sign out',
  viewOnly: 'Your account can only view; acknowledging alerts and sending commands needs a technician account.',
};

export const consoleMessages: Record<ConsoleLanguage, Messages> = { zh, en };
export type ConsoleMessages = Messages;
