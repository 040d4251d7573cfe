import { describe, expect, it } from 'vitest';
import { summariseChange } from '../../../packages/core/index.ts';

describe('summariseChange', () => {
  it('keeps only the fields that changed, without bookkeeping fields', () => {
    const before = { code: 'A', name: 'old', listed: true, version: 1, updatedAt: 't1' };
    const after = { code: 'A', name: 'new', listed: true, version: 2, updatedAt: 't2' };
    expect(summariseChange(before, after)).toEqual({ before: { name: 'old' }, after: { name: 'new' } });
  });

  it('records the whole new entity on create', () => {
    expect(summariseChange(null, { code: 'A', version: 1 })).toEqual({ before: null, after: { code: 'A' } });
  });

  it('shows a removed field as null after', () => {
    expect(summariseChange({ bundle: ['X'] }, {})).toEqual({ before: { bundle: ['X'] }, after: { bundle: null } });
  });
});
