/**
 * The reference platform's own records for the sample ID cards (demonstration data, fictitious
 * people). A real platform asks the social-insurance system; this one answers from here, so the
 * terminal's whole path (request, PDF, print, verify) runs against records that look like real ones.
 * A card not listed here has no record: the answer says so.
 */
export interface ContributionAccount {
  /** 险种 */
  readonly scheme: string;
  /** Monthly contribution base, yuan. */
  readonly base: number;
  /** Shares of the base paid by the person and by the employer (0 for residents' schemes). */
  readonly personalRate: number;
  readonly employerRate: number;
  readonly employer: string;
  /** YYYY-MM of the first month paid. */
  readonly since: string;
}

export interface PersonRecords {
  readonly contributions?: ContributionAccount;
  /** Monthly pension paid, yuan, and the month payments started. */
  readonly pension?: { readonly monthly: number; readonly since: string; readonly bank: string };
  readonly medical?: { readonly scheme: string; readonly since: string; readonly area: string };
}

const byIdNumber: ReadonlyMap<string, PersonRecords> = new Map([
  [
    '110105194403150136', // 王建国, retired farmer
    {
      pension: { monthly: 238, since: '2009-04', bank: '农村信用社' },
      medical: { scheme: '城乡居民基本医疗保险', since: '2008-01', area: '北京市朝阳区' },
    },
  ],
  [
    '330106199007180245', // 李𠮷, employed in town
    {
      contributions: {
        scheme: '企业职工基本养老保险',
        base: 6200,
        personalRate: 0.08,
        employerRate: 0.16,
        employer: '杭州西湖茶叶合作社',
        since: '2015-07',
      },
      medical: { scheme: '职工基本医疗保险', since: '2015-07', area: '杭州市西湖区' },
    },
  ],
  [
    '440303200102030467', // 陈小红, residents' scheme
    {
      contributions: {
        scheme: '城乡居民基本养老保险',
        base: 500,
        personalRate: 1,
        employerRate: 0,
        employer: '（个人缴费）',
        since: '2021-03',
      },
      medical: { scheme: '城乡居民基本医疗保险', since: '2019-01', area: '深圳市罗湖区' },
    },
  ],
]);

export function recordsOf(idNumber: string): PersonRecords | undefined {
  return byIdNumber.get(idNumber);
}
