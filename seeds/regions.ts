/**
 * The demo region tree: 重庆市 → 渝中区 → its 11 streets (real names and 9-digit statistical codes) →
 * communities (12-digit codes = street code + 3 digits). Community names are real Yuzhong community names,
 * a few per street, used here as synthetic demo data: the list is illustrative, not an authoritative register.
 */
import type { RegionLevel } from '../prisma/generated/enums';

export interface RegionSeed {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

export const CHONGQING = { code: '500000', name: '重庆市' } as const;
export const YUZHONG = { code: '500103', name: '渝中区' } as const;

/** 渝中区 streets, code → name, with communities as [3-digit suffix, name]. */
export const YUZHONG_STREETS: ReadonlyArray<{ code: string; name: string; communities: [string, string][] }> = [
  {
    code: '500103001',
    name: '七星岗街道',
    communities: [
      ['003', '华一坡社区'],
      ['011', '领事巷社区'],
      ['015', '金汤街社区'],
      ['017', '捍卫路社区'],
    ],
  },
  {
    code: '500103003',
    name: '解放碑街道',
    communities: [
      ['016', '莲花池社区'],
      ['019', '大井巷社区'],
      ['022', '邹容路社区'],
      ['023', '沧白路社区'],
    ],
  },
  {
    code: '500103004',
    name: '两路口街道',
    communities: [
      ['002', '中山二路社区'],
      ['003', '枇杷山正街社区'],
      ['010', '重庆村社区'],
      ['013', '国际村社区'],
    ],
  },
  {
    code: '500103005',
    name: '上清寺街道',
    communities: [
      ['008', '桂花园社区'],
      ['009', '春森路社区'],
      ['011', '学田湾社区'],
      ['014', '曾家岩社区'],
    ],
  },
  {
    code: '500103007',
    name: '菜园坝街道',
    communities: [
      ['001', '渝铁村社区'],
      ['011', '石板坡社区'],
      ['012', '菜袁路社区'],
    ],
  },
  {
    code: '500103008',
    name: '南纪门街道',
    communities: [
      ['009', '解放西路社区'],
      ['010', '凉亭子社区'],
      ['012', '凯旋路社区'],
      ['013', '邮政局巷社区'],
    ],
  },
  {
    code: '500103010',
    name: '朝天门街道',
    communities: [
      ['006', '陕西路社区'],
      ['007', '朝千路社区'],
      ['008', '棉花街社区'],
      ['012', '巴县衙门社区'],
    ],
  },
  {
    code: '500103011',
    name: '大溪沟街道',
    communities: [
      ['013', '建设路社区'],
      ['018', '张家花园社区'],
      ['019', '双钢路社区'],
      ['020', '胜利路社区'],
    ],
  },
  {
    code: '500103012',
    name: '大坪街道',
    communities: [
      ['011', '马家堡社区'],
      ['012', '浮图关社区'],
      ['016', '大黄路社区'],
      ['019', '大坪正街社区'],
    ],
  },
  {
    code: '500103013',
    name: '化龙桥街道',
    communities: [
      ['001', '李子坝社区'],
      ['003', '红岩村社区'],
      ['008', '虎头岩社区'],
    ],
  },
  {
    code: '500103014',
    name: '石油路街道',
    communities: [
      ['001', '煤建新村社区'],
      ['005', '金银湾社区'],
      ['006', '民乐村社区'],
      ['011', '彭家花园社区'],
    ],
  },
];

/** The whole tree, parents before children (the order a single insert statement needs). */
export function yuzhongRegionTree(): RegionSeed[] {
  const rows: RegionSeed[] = [
    { ...CHONGQING, level: 'CITY', parentCode: null },
    { ...YUZHONG, level: 'DISTRICT', parentCode: CHONGQING.code },
  ];
  for (const street of YUZHONG_STREETS) {
    rows.push({ code: street.code, name: street.name, level: 'STREET', parentCode: YUZHONG.code });
  }
  for (const street of YUZHONG_STREETS) {
    for (const [suffix, name] of street.communities) {
      rows.push({ code: street.code + suffix, name, level: 'COMMUNITY', parentCode: street.code });
    }
  }
  return rows;
}
