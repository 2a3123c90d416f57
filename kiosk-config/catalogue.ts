import type { Catalogue, Localized, Question } from './catalogue-schema';

/**
 * The embedded service catalogue: real village services with real texts. The reference platform
 * serves this with an ETag; a terminal with no network works from its cached copy.
 */
const t = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

const phone: Question = {
  id: 'phone',
  type: 'phone',
  required: true,
  label: t('您的手机号码', 'Your mobile phone number'),
  help: t('办理进度会发短信告诉您', 'We will send you progress by text message'),
  waysOut: ['no-phone', 'family-phone'],
};
/** Which card first, then its number: the resident has the card in hand before typing from it. */
const paidToCard: Question[] = [
  {
    id: 'payment-card',
    type: 'choice',
    required: true,
    label: t('钱发到哪张卡上？', 'Which card should the money go to?'),
    options: [
      { value: 'bank-card', label: t('银行卡', 'Bank card') },
      { value: 'social-security-card', label: t('社保卡', 'Social security card') },
    ],
  },
  {
    id: 'bank-account',
    type: 'bank-account',
    required: true,
    label: t('这张卡的卡号', 'The number of that card'),
    help: t(
      '拿着刚才选的那张卡（要在您本人名下），照着卡正面的号码输入',
      'Hold the card you just chose (in your own name) and type the number on its front',
    ),
  },
];
const address: Question = {
  id: 'address',
  type: 'address',
  required: true,
  prefill: 'card.address',
  label: t('现在的居住地址', 'Where you live now'),
  help: t('已从身份证读出，住址变了请修改', 'Read from your ID card; change it if you have moved'),
};

export const embeddedCatalogue: Catalogue = {
  version: '2026.11.1',
  halls: [
    {
      id: 'qingshi-hall',
      name: t('青石镇便民服务中心', 'Qingshi Town Service Centre'),
      address: t('青石镇人民路18号', '18 Renmin Road, Qingshi Town'),
      hours: t('周一至周五 8:30–12:00，14:00–17:30', 'Mon–Fri 8:30–12:00, 14:00–17:30'),
      phone: '0571-8888 1234',
    },
  ],
  categories: [
    {
      id: 'social-security',
      icon: 'pension',
      name: t('社会保障', 'Social security'),
      description: t('养老保险、缴费记录', 'Pension insurance, contribution records'),
    },
    {
      id: 'medical',
      icon: 'medical',
      name: t('医疗保障', 'Medical insurance'),
      description: t('医保参保登记', 'Medical insurance enrolment'),
    },
    {
      id: 'elderly',
      icon: 'elderly',
      name: t('养老服务', 'Care for the elderly'),
      description: t('高龄津贴', 'Old-age allowance'),
    },
    {
      id: 'agriculture',
      icon: 'farm',
      name: t('农业补贴', 'Farm subsidies'),
      description: t('耕地地力保护补贴', 'Farmland protection subsidy'),
    },
    {
      id: 'disability',
      icon: 'disability',
      name: t('残疾人服务', 'Disability services'),
      description: t('残疾人两项补贴', 'Two disability subsidies'),
    },
  ],
  services: [
    {
      code: 'PENSION-CERT',
      categoryId: 'social-security',
      icon: 'pension',
      popularity: 95,
      hallId: 'qingshi-hall',
      suggestedFor: { minAge: 60 },
      name: t('城乡居民养老保险待遇资格认证', 'Pension eligibility check (rural and urban residents)'),
      summary: t('每年认证一次，养老金才能继续按月发放', 'Once a year, so your monthly pension keeps being paid'),
      notice: {
        purpose: t(
          '确认您本人健在，养老金继续按月发到您的卡上。',
          'Confirms you are alive so your pension keeps being paid to your card.',
        ),
        whoCanApply: t('正在领取城乡居民养老保险待遇的本人。', 'People who receive the residents’ basic pension.'),
        needed: [
          t('本人身份证', 'Your ID card'),
          t('拍一张本人正面照片（也可由工作人员核验）', 'A photo of your face (or a check by staff)'),
        ],
        duration: t('大约 3 分钟', 'About 3 minutes'),
        afterwards: t('5 个工作日内完成审核，结果短信通知。', 'Checked within 5 working days; you get a text message.'),
      },
      materialsToBring: [],
      questions: [
        phone,
        {
          id: 'living-at-address',
          type: 'yes-no',
          required: true,
          label: t('您现在还住在身份证上的地址吗？', 'Do you still live at the address on your ID card?'),
        },
      ],
      documents: [
        {
          id: 'face',
          kind: 'face',
          required: true,
          label: t('本人正面照片', 'Photo of your face'),
          hint: t('请正对摄像头，摘下帽子和眼镜', 'Look at the camera; take off hat and glasses'),
        },
      ],
    },
    {
      code: 'MEDICAL-ENROL',
      categoryId: 'medical',
      icon: 'medical',
      popularity: 90,
      hallId: 'qingshi-hall',
      name: t('城乡居民基本医疗保险参保登记', 'Residents’ basic medical insurance enrolment'),
      summary: t('参加医保，看病可以报销', 'Join medical insurance so treatment costs are reimbursed'),
      notice: {
        purpose: t('为您登记参加城乡居民基本医疗保险。', 'Registers you for residents’ basic medical insurance.'),
        whoCanApply: t(
          '本地户籍、未参加职工医保的居民。',
          'Local residents not covered by employee medical insurance.',
        ),
        needed: [t('本人身份证', 'Your ID card'), t('户口簿本人页', 'Your page of the household register')],
        duration: t('大约 5 分钟', 'About 5 minutes'),
        afterwards: t('登记后按年度缴费，次月起享受待遇。', 'Pay the yearly contribution; cover starts next month.'),
      },
      materialsToBring: [t('户口簿原件', 'Household register (original)')],
      questions: [
        phone,
        address,
        {
          id: 'insured-group',
          type: 'choice',
          required: true,
          label: t('您属于哪一类？', 'Which group are you in?'),
          options: [
            { value: 'ordinary', label: t('普通居民', 'Ordinary resident') },
            { value: 'subsistence', label: t('低保对象', 'Minimum living allowance') },
            { value: 'extreme-poverty', label: t('特困人员', 'Extreme poverty support') },
            { value: 'severe-disability', label: t('重度残疾人', 'Severe disability') },
          ],
        },
        {
          id: 'household-size',
          type: 'number',
          required: true,
          min: 1,
          max: 20,
          integer: true,
          label: t('家里一共几口人？', 'How many people live in your household?'),
          unit: t('人', 'people'),
        },
      ],
      documents: [
        {
          id: 'household-register',
          kind: 'document',
          required: true,
          label: t('户口簿本人页', 'Your household register page'),
          hint: t('把本人页平放在框内', 'Lay your page flat inside the frame'),
        },
      ],
    },
    {
      code: 'OLD-AGE-ALLOWANCE',
      categoryId: 'elderly',
      icon: 'elderly',
      popularity: 85,
      hallId: 'qingshi-hall',
      suggestedFor: { minAge: 80 },
      name: t('高龄津贴申请', 'Old-age allowance'),
      summary: t('80 周岁以上老人每月领取津贴', 'A monthly allowance for people aged 80 and over'),
      notice: {
        purpose: t(
          '为 80 周岁以上的老人申请每月高龄津贴。',
          'Applies for the monthly allowance for people aged 80 and over.',
        ),
        whoCanApply: t(
          '本地户籍、年满 80 周岁的老人，或家人代办。',
          'Local residents aged 80 or over, or family on their behalf.',
        ),
        needed: [
          t('本人身份证', 'Your ID card'),
          t('户口簿本人页', 'Your page of the household register'),
          t('本人银行卡或社保卡', 'Your bank card or social security card'),
        ],
        duration: t('大约 5 分钟', 'About 5 minutes'),
        afterwards: t(
          '15 个工作日内审核，通过后次月起按月发放。',
          'Checked within 15 working days; paid monthly from the next month.',
        ),
      },
      materialsToBring: [
        t('户口簿原件', 'Household register (original)'),
        t('银行卡或社保卡原件', 'Bank or social security card (original)'),
      ],
      questions: [
        phone,
        address,
        ...paidToCard,
        { id: 'lives-alone', type: 'yes-no', required: true, label: t('您是一个人住吗？', 'Do you live alone?') },
      ],
      documents: [
        {
          id: 'household-register',
          kind: 'document',
          required: true,
          label: t('户口簿本人页', 'Your household register page'),
          hint: t('把本人页平放在框内', 'Lay your page flat inside the frame'),
        },
        {
          id: 'bank-card',
          kind: 'document',
          required: false,
          label: t('银行卡或社保卡正面', 'Front of the bank or social security card'),
          hint: t('卡号要拍清楚', 'Make sure the number is readable'),
        },
      ],
    },
    {
      code: 'FARMLAND-SUBSIDY',
      categoryId: 'agriculture',
      icon: 'farm',
      popularity: 70,
      hallId: 'qingshi-hall',
      name: t('耕地地力保护补贴申领', 'Farmland fertility protection subsidy'),
      summary: t('承包耕地的农户每年申领一次', 'Claimed once a year by households farming contracted land'),
      notice: {
        purpose: t(
          '按承包耕地面积申领当年的耕地地力保护补贴。',
          'Claims this year’s subsidy by the area of contracted farmland.',
        ),
        whoCanApply: t('拥有耕地承包权、种地的农户。', 'Households holding a land contract and farming it.'),
        needed: [
          t('本人身份证', 'Your ID card'),
          t('土地承包经营权证', 'Land contract certificate'),
          t('本人银行卡', 'Your bank card'),
        ],
        duration: t('大约 5 分钟', 'About 5 minutes'),
        afterwards: t(
          '村里公示 7 天后，补贴打到银行卡。',
          'Posted publicly in the village for 7 days, then paid to your card.',
        ),
      },
      materialsToBring: [t('土地承包经营权证原件', 'Land contract certificate (original)')],
      questions: [
        phone,
        {
          id: 'village-group',
          type: 'village-group',
          required: true,
          label: t('您家在哪个村民小组？', 'Which village group is your household in?'),
          help: t('点您家所在的组', 'Tap your household’s group'),
        },
        {
          id: 'land-area',
          type: 'number',
          required: true,
          min: 0.1,
          max: 500,
          integer: false,
          label: t('承包耕地面积', 'Area of contracted farmland'),
          unit: t('亩', 'mu'),
        },
        ...paidToCard,
      ],
      documents: [
        {
          id: 'land-certificate',
          kind: 'document',
          required: true,
          label: t('土地承包经营权证', 'Land contract certificate'),
          hint: t('拍有面积的那一页', 'Photograph the page showing the area'),
        },
      ],
    },
    {
      code: 'DISABILITY-SUBSIDY',
      categoryId: 'disability',
      icon: 'disability',
      popularity: 60,
      hallId: 'qingshi-hall',
      name: t('残疾人两项补贴申请', 'Two disability subsidies'),
      summary: t(
        '困难残疾人生活补贴和重度残疾人护理补贴',
        'Living subsidy and care subsidy for people with disabilities',
      ),
      notice: {
        purpose: t(
          '申请困难残疾人生活补贴、重度残疾人护理补贴。',
          'Applies for the living subsidy and/or the severe-disability care subsidy.',
        ),
        whoCanApply: t(
          '持有第二代残疾人证的本地户籍残疾人，或家人代办。',
          'Local residents holding a disability certificate, or family on their behalf.',
        ),
        needed: [
          t('本人身份证', 'Your ID card'),
          t('残疾人证', 'Disability certificate'),
          t('本人银行卡', 'Your bank card'),
        ],
        duration: t('大约 6 分钟', 'About 6 minutes'),
        afterwards: t(
          '乡镇审核、县残联审定，20 个工作日内完成。',
          'Checked by the town and decided by the county within 20 working days.',
        ),
      },
      materialsToBring: [t('残疾人证原件', 'Disability certificate (original)')],
      questions: [
        phone,
        {
          id: 'subsidy-type',
          type: 'choice',
          required: true,
          label: t('申请哪一项补贴？', 'Which subsidy are you applying for?'),
          options: [
            { value: 'living', label: t('困难残疾人生活补贴', 'Living subsidy') },
            { value: 'care', label: t('重度残疾人护理补贴', 'Care subsidy (severe disability)') },
            { value: 'both', label: t('两项都申请', 'Both') },
          ],
        },
        {
          id: 'certificate-number',
          type: 'certificate-number',
          required: true,
          // 残疾人证号: the 18-character ID number (X possible at 18) and two digits for kind and grade.
          length: 20,
          xAt: 18,
          label: t('残疾人证号码', 'Disability certificate number'),
          help: t(
            '照着残疾人证上的号码输入，共 20 位，有 X 就按 X 键',
            'Type the 20 characters on the certificate; press X for an X',
          ),
        },
        ...paidToCard,
      ],
      documents: [
        {
          id: 'disability-certificate',
          kind: 'document',
          required: true,
          label: t('残疾人证（有照片的一页）', 'Disability certificate (photo page)'),
          hint: t('把证件平放在框内', 'Lay the certificate flat inside the frame'),
        },
      ],
    },
    {
      code: 'CONTRIBUTION-RECORD',
      categoryId: 'social-security',
      icon: 'certificate',
      popularity: 80,
      hallId: 'qingshi-hall',
      name: t('社保缴费记录打印', 'Social insurance contribution record'),
      summary: t('当场打印本人社会保险缴费记录', 'Print the record of your social insurance contributions here'),
      notice: {
        purpose: t(
          '打印本人社会保险个人缴费记录（缴费年月、险种、缴费基数和金额），用于贷款、子女入学、购房等。',
          'Prints your social insurance contribution record (months, scheme, base and amounts), e.g. for a loan, a school or buying a home.',
        ),
        whoCanApply: t(
          '参加社会保险的本人，刷本人身份证。',
          'You, if you pay into social insurance, with your own ID card.',
        ),
        needed: [t('本人身份证', 'Your ID card')],
        duration: t('大约 1 分钟', 'About 1 minute'),
        afterwards: t(
          '在本机当场打印在 A4 纸上，不用再去镇里盖章；带二维码和验证码，收件单位可在网上核验真伪。',
          'Printed here on A4 at once, no trip to town for a stamp; its QR code and verification code let whoever receives it check it online.',
        ),
      },
      materialsToBring: [],
      questions: [],
      documents: [],
      document: { type: 'social-insurance-contributions', months: [12, 24, 36] },
    },
    {
      code: 'PENSION-LEVEL',
      categoryId: 'social-security',
      icon: 'pension',
      popularity: 40,
      hallId: 'qingshi-hall',
      name: t('城乡居民养老保险缴费档次变更', 'Change of residents’ pension contribution level'),
      summary: t('选择每年缴多少养老保险费', 'Choose how much you pay into the residents’ pension each year'),
      notice: {
        purpose: t(
          '变更您每年缴纳城乡居民基本养老保险费的档次。多缴多得，档次越高，将来领的养老金越多。',
          'Changes how much you pay into the residents’ basic pension each year. The more you pay, the larger your pension later.',
        ),
        whoCanApply: t(
          '已参加城乡居民基本养老保险、未满 60 周岁的本人。',
          'People under 60 enrolled in the residents’ basic pension scheme.',
        ),
        needed: [t('本人身份证', 'Your ID card')],
        duration: t('大约 2 分钟', 'About 2 minutes'),
        afterwards: t(
          '镇便民服务中心 5 个工作日内办理，下一个缴费年度起按新档次扣款，结果短信通知。',
          'Handled by the town service centre within 5 working days; the new level is collected from the next contribution year. You get a text message.',
        ),
      },
      materialsToBring: [],
      questions: [
        {
          id: 'level',
          type: 'choice',
          required: true,
          label: t('以后每年缴多少钱？', 'How much will you pay each year from now on?'),
          options: [
            { value: '300', label: t('每年 300 元', '300 yuan a year') },
            { value: '500', label: t('每年 500 元', '500 yuan a year') },
            { value: '1000', label: t('每年 1000 元', '1000 yuan a year') },
            { value: '2000', label: t('每年 2000 元', '2000 yuan a year') },
          ],
        },
        {
          id: 'collection',
          type: 'choice',
          required: true,
          label: t('从哪里扣款？', 'Where should the money be collected from?'),
          options: [
            { value: 'social-security-card', label: t('社保卡金融账户', 'Social security card account') },
            { value: 'bank-card', label: t('本人银行卡', 'Your bank card') },
          ],
        },
        phone,
      ],
      documents: [],
    },
    {
      code: 'PENSION-RECORD',
      categoryId: 'elderly',
      icon: 'pension',
      popularity: 50,
      hallId: 'qingshi-hall',
      name: t('养老金发放记录打印', 'Pension payment record'),
      summary: t('当场打印每月养老金发放记录', 'Print the record of your monthly pension payments'),
      notice: {
        purpose: t(
          '打印本人养老金发放记录，用于证明收入、办理贷款等。',
          'Prints the record of your pension payments, e.g. as proof of income or for a loan.',
        ),
        whoCanApply: t('正在领取养老金的本人，刷本人身份证。', 'You, if you receive a pension, with your own ID card.'),
        needed: [t('本人身份证', 'Your ID card')],
        duration: t('大约 1 分钟', 'About 1 minute'),
        afterwards: t(
          '在本机当场打印在 A4 纸上，带二维码和验证码，可在网上核验真伪。',
          'Printed here on A4 at once, with a QR code and a verification code that can be checked online.',
        ),
      },
      materialsToBring: [],
      questions: [],
      documents: [],
      document: { type: 'pension-payments', months: [6, 12] },
    },
    {
      code: 'MEDICAL-PROOF',
      categoryId: 'medical',
      icon: 'medical',
      popularity: 45,
      hallId: 'qingshi-hall',
      name: t('医保参保证明打印', 'Medical insurance enrolment proof'),
      summary: t('当场打印基本医疗保险参保证明', 'Print proof that you are enrolled in basic medical insurance'),
      notice: {
        purpose: t(
          '打印本人基本医疗保险参保证明，用于就医、入学、异地办事等。',
          'Prints proof of your medical insurance enrolment, e.g. for a hospital, a school or matters elsewhere.',
        ),
        whoCanApply: t('本人，刷本人身份证。', 'You, with your own ID card.'),
        needed: [t('本人身份证', 'Your ID card')],
        duration: t('大约 1 分钟', 'About 1 minute'),
        afterwards: t(
          '在本机当场打印在 A4 纸上，自出具之日起三个月内有效，可在网上核验真伪。',
          'Printed here on A4 at once; valid for three months and can be checked online.',
        ),
      },
      materialsToBring: [],
      questions: [],
      documents: [],
      document: { type: 'medical-insurance-enrolment', months: [1] },
    },
  ],
};
