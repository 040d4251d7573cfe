import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIER_THRESHOLDS,
  ValidationError,
  computeTier,
  maskPhone,
  normalisePhone,
  type TierThresholds,
} from '../../../packages/core/index.ts';

const thresholds: TierThresholds = {
  silver: { assetsFen: 100, annualCommissionFen: 10 },
  gold: { assetsFen: 1_000, annualCommissionFen: 100 },
  platinum: { assetsFen: 10_000, annualCommissionFen: 1_000 },
};

describe('computeTier', () => {
  it('grades by assets at each threshold, inclusive', () => {
    expect(computeTier({ assetsFen: 99 }, thresholds)).toBe('normal');
    expect(computeTier({ assetsFen: 100 }, thresholds)).toBe('silver');
    expect(computeTier({ assetsFen: 999 }, thresholds)).toBe('silver');
    expect(computeTier({ assetsFen: 1_000 }, thresholds)).toBe('gold');
    expect(computeTier({ assetsFen: 10_000 }, thresholds)).toBe('platinum');
  });

  it('takes the higher of the assets tier and the commission tier', () => {
    expect(computeTier({ assetsFen: 0, annualCommissionFen: 100 }, thresholds)).toBe('gold');
    expect(computeTier({ assetsFen: 10_000, annualCommissionFen: 0 }, thresholds)).toBe('platinum');
  });

  it('uses the default thresholds in yuan expressed as fen', () => {
    expect(computeTier({ assetsFen: 49_999_999 }, DEFAULT_TIER_THRESHOLDS)).toBe('normal');
    expect(computeTier({ assetsFen: 50_000_000 }, DEFAULT_TIER_THRESHOLDS)).toBe('silver');
  });
});

describe('normalisePhone', () => {
  it('turns common Chinese formats into E.164', () => {
    expect(normalisePhone('13800138000')).toBe('+8613800138000');
    expect(normalisePhone('+86 138 0013 8000')).toBe('+8613800138000');
    expect(normalisePhone('138-0013-8000')).toBe('+8613800138000');
  });

  it('keeps numbers with another country code', () => {
    expect(normalisePhone('+1 206 555 0100', 'CN')).toBe('+12065550100');
  });

  it('rejects a bad number with a field error on phone', () => {
    for (const bad of ['12345', 'not a phone', '+86 000']) {
      try {
        normalisePhone(bad);
        expect.unreachable(`${bad} should be rejected`);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        expect((error as ValidationError).fieldErrors[0]?.field).toBe('phone');
      }
    }
  });
});

describe('maskPhone', () => {
  it('hides the middle digits', () => {
    expect(maskPhone('+8613800138000')).toBe('+86138****8000');
  });

  it('masks after normalising, whatever format the number came in', () => {
    expect(maskPhone('13800000008')).toBe('+86138****0008');
    expect(maskPhone('+86 138 0000 0009')).toBe('+86138****0009');
    expect(maskPhone('138-0000-0009')).toBe('+86138****0009');
  });

  it('hides a number that does not parse whole', () => {
    for (const raw of ['not a number', '12', '+8613800138000a', '']) expect(maskPhone(raw)).toBe('****');
  });
});

describe('normalisePhone', () => {
  it('refuses a number with letters instead of repairing it into another number', () => {
    for (const raw of ['+8613800138000a', '1380013800O', 'tel:13800138000', '138\u000013800138']) {
      expect(() => normalisePhone(raw)).toThrow(ValidationError);
    }
    expect(normalisePhone(' +86 (138) 0013-8000 ')).toBe('+8613800138000');
  });
});
