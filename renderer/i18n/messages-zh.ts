/**
 * Simplified Chinese, the default. Every text on screen comes from here or from the catalogue;
 * the English catalogue must have exactly the same keys (the type checks it).
 */
export const zhMessages = {
  'app.title': '自助服务终端',
  'chrome.language': 'English',
  'chrome.languageLabel': '切换到英文',
  'chrome.largeText': '大字',
  'chrome.largeTextOn': '大字：开',
  'chrome.largeTextOff': '大字：关',
  'chrome.callStaff': '呼叫工作人员',
  'chrome.staffCalled': '已通知工作人员，请稍等',
  'chrome.back': '返回',
  'chrome.home': '回到首页',
  'chrome.progress': '第 {step} 步，共 {total} 步',
  'idle.welcome': '欢迎使用',
  'idle.canDo': '在这里可以办理：',
  'idle.touchToStart': '轻触屏幕开始办理',
  'idle.orCard': '也可以直接把身份证放在读卡区',
  'idle.moreServices': '等 {count} 项服务',
  'categories.title': '请选择要办的事情类别',
  'categories.instruction': '点一下您要办的事情',
  'services.title': '{category}',
  'services.instruction': '请选择要办理的事项',
  'services.popular': '常用',
  'notice.title': '办理须知',
  'notice.purpose': '办什么',
  'notice.whoCanApply': '谁可以办',
  'notice.needed': '需要准备',
  'notice.duration': '需要多久',
  'notice.afterwards': '办完以后',
  'notice.start': '开始办理',
  'timeout.title': '您还在办理吗？',
  'timeout.body': '{seconds} 秒后将回到首页，您填写的内容会被清除。',
  'timeout.continue': '继续办理',
  'timeout.speak': '您还在办理吗？如果还要继续，请点“继续办理”。',
  'connection.lost': '正在连接，请稍候……',
} as const;

export type MessageKey = keyof typeof zhMessages;
