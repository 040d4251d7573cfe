import { describe, expect, it } from 'vitest';
import { authorisingRole, type Access, type Resource, type Role } from '../../../packages/core/index.ts';

const matrix: Array<[Role, Resource, Access, boolean]> = [
  ['product-manager', 'products', 'write', true],
  ['product-manager', 'messages', 'write', true],
  ['product-manager', 'customers', 'read', false],
  ['product-manager', 'customers', 'write', false],
  ['product-manager', 'audit', 'read', false],
  ['service-agent', 'products', 'read', true],
  ['service-agent', 'products', 'write', false],
  ['service-agent', 'customers', 'write', true],
  ['service-agent', 'messages', 'write', false],
  ['auditor', 'audit', 'read', true],
  ['auditor', 'customers', 'read', true],
  ['auditor', 'products', 'write', false],
  ['auditor', 'customers', 'write', false],
  ['compliance', 'messages', 'read', true],
  ['compliance', 'messages', 'write', false],
  ['compliance', 'reviews', 'write', true],
  ['compliance', 'products', 'read', true],
  ['compliance', 'products', 'write', false],
  ['compliance', 'consents', 'read', true],
  ['compliance', 'cases', 'read', true],
  ['compliance', 'audit', 'read', true],
  ['compliance', 'customers', 'read', false],
  ['product-manager', 'reviews', 'write', false],
  ['service-agent', 'consents', 'read', true],
  ['auditor', 'reviews', 'write', false],
  ['admin', 'reviews', 'write', true],
  ['admin', 'customers', 'write', true],
  ['admin', 'audit', 'read', true],
  // A client's SMS history: agents, auditors, compliance and admins (not product managers).
  ['service-agent', 'sms-history', 'read', true],
  ['auditor', 'sms-history', 'read', true],
  ['compliance', 'sms-history', 'read', true],
  ['admin', 'sms-history', 'read', true],
  ['product-manager', 'sms-history', 'read', false],
  // Cases: agents and admins close them; product managers read only feedback about products.
  ['service-agent', 'cases', 'write', true],
  ['admin', 'cases', 'write', true],
  ['auditor', 'cases', 'write', false],
  ['compliance', 'cases', 'write', false],
  ['product-manager', 'cases', 'read', false],
  ['product-manager', 'product-feedback', 'read', true],
  // Surveys: product managers (and admins) send them; the other staff roles read results.
  ['product-manager', 'surveys', 'write', true],
  ['admin', 'surveys', 'write', true],
  ['service-agent', 'surveys', 'write', false],
  ['service-agent', 'surveys', 'read', true],
  ['auditor', 'surveys', 'read', true],
  ['compliance', 'surveys', 'read', true],
];

describe('authorisingRole', () => {
  it.each(matrix)('%s may %s %s: %s', (role, resource, access, allowed) => {
    expect(authorisingRole([role], resource, access)).toBe(allowed ? role : undefined);
  });

  it('finds the role among several that grants the access', () => {
    expect(authorisingRole(['auditor', 'service-agent'], 'customers', 'write')).toBe('service-agent');
  });
});
