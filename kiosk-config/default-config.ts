import type { KioskConfig } from './config-schema';

/**
 * The embedded defaults `npm start` runs on: simulated devices, the reference platform on
 * loopback, Chinese first. A real terminal gets its own file through `--config`.
 */
export const defaultConfig: KioskConfig = {
  terminal: { id: 'QS-LX-0001', code: 'QSLX01', name: '柳溪村自助服务终端' },
  servicePoint: {
    name: '青石镇柳溪村便民服务站',
    address: '青石镇柳溪村村委会一楼',
    phone: '',
    villageGroups: ['一组', '二组', '三组', '四组', '五组', '六组', '七组', '八组', '九组', '十组'],
  },
  platform: { mode: 'embedded', requestTimeoutSeconds: 15 },
  ui: {
    defaultLanguage: 'zh-CN',
    languages: ['zh-CN', 'en'],
    idleTimeoutSeconds: 120,
    idleWarningSeconds: 30,
    largeTextByDefault: false,
    voiceByDefault: false,
  },
  devices: {
    idReader: { kind: 'simulated' },
    printer: { kind: 'simulated' },
    printerPaperWidth: 80,
    scanner: { kind: 'simulated' },
    keypad: { kind: 'simulated' },
    a4Printer: { kind: 'simulated' },
    cameraLabel: '',
  },
  privacy: { retentionDays: 7, failedRetentionDays: 30, crashDumpDays: 14 },
  accessibility: { headphones: 'detect' },
  // On, so `npm start` shows the video call to the hall (the embedded platform answers it).
  remoteHelp: { enabled: true, noAnswerSeconds: 90, maxVideoKbps: 300 },
};
