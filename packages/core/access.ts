/** Roles of the admin API (API.md) and what each may do. */
export const ROLES = ['product-manager', 'service-agent', 'auditor', 'compliance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Resource = 'products' | 'messages' | 'reviews' | 'customers' | 'sms-history' | 'consents' | 'cases' | 'product-feedback' | 'surveys' | 'audit';
export type Access = 'read' | 'write';

const GRANTS: Record<Role, Partial<Record<Resource, readonly Access[]>>> = {
  // Feedback cases about their products (not complaints); surveys they send.
  'product-manager': { products: ['read', 'write'], messages: ['read', 'write'], 'product-feedback': ['read'], surveys: ['read', 'write'] },
  'service-agent': { products: ['read'], customers: ['read', 'write'], 'sms-history': ['read'], consents: ['read'], cases: ['read', 'write'], 'product-feedback': ['read'], surveys: ['read'] },
  auditor: { products: ['read'], messages: ['read'], customers: ['read'], 'sms-history': ['read'], consents: ['read'], cases: ['read'], 'product-feedback': ['read'], surveys: ['read'], audit: ['read'] },
  // 合规: sees what goes to clients and decides on it; changes nothing else.
  compliance: { products: ['read'], messages: ['read'], reviews: ['write'], 'sms-history': ['read'], consents: ['read'], cases: ['read'], 'product-feedback': ['read'], surveys: ['read'], audit: ['read'] },
  admin: {
    products: ['read', 'write'],
    messages: ['read', 'write'],
    reviews: ['write'],
    customers: ['read', 'write'],
    // What each client was sent (GET /admin/customers/{id}/messages): compliance reads it without the customer records.
    'sms-history': ['read'],
    consents: ['read'],
    cases: ['read', 'write'],
    'product-feedback': ['read'],
    surveys: ['read', 'write'],
    audit: ['read'],
  },
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The first of `roles` that grants `access` to `resource`, or undefined when none does. */
export function authorisingRole(roles: readonly Role[], resource: Resource, access: Access): Role | undefined {
  return roles.find((role) => GRANTS[role][resource]?.includes(access));
}

/** Who did something, in which role, through which channel: stamped on every audit record. */
export interface Actor {
  actor: string;
  role: Role | 'system' | 'client';
  channel: 'admin-api' | 'sms' | 'event' | 'schedule';
}
