/** Roles of the admin API (API.md) and what each may do. */
export const ROLES = ['product-manager', 'service-agent', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export type Resource = 'products' | 'messages' | 'customers' | 'audit';
export type Access = 'read' | 'write';

const GRANTS: Record<Role, Partial<Record<Resource, readonly Access[]>>> = {
  'product-manager': { products: ['read', 'write'], messages: ['read', 'write'] },
  'service-agent': { products: ['read'], customers: ['read', 'write'] },
  auditor: { products: ['read'], messages: ['read'], customers: ['read'], audit: ['read'] },
  admin: {
    products: ['read', 'write'],
    messages: ['read', 'write'],
    customers: ['read', 'write'],
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
