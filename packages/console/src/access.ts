import { authorisingRole, type Access, type Resource, type Role } from '../../core/index.ts';
import type { MessageKey } from './i18n/index.ts';
import { session } from './session.ts';

/** The role matrix is the API's (packages/core/access.ts): the console shows what the API would allow. */
export function can(resource: Resource, access: Access = 'read', role: Role | undefined = session.value?.role): boolean {
  return role !== undefined && authorisingRole([role], resource, access) !== undefined;
}

export interface Screen {
  id: 'products' | 'messages' | 'review' | 'customers' | 'cases' | 'surveys' | 'audit' | 'outbox';
  nav: MessageKey;
  /** Whether a role may use it. */
  allowed(role: Role): boolean;
  localOnly?: boolean;
}

/** The navigation, in order; each screen shows only to the roles that may use it. */
export const SCREENS: Screen[] = [
  { id: 'products', nav: 'nav.products', allowed: (role) => can('products', 'read', role) },
  { id: 'messages', nav: 'nav.messages', allowed: (role) => can('messages', 'read', role) },
  { id: 'review', nav: 'nav.review', allowed: (role) => can('reviews', 'write', role) },
  { id: 'customers', nav: 'nav.customers', allowed: (role) => can('customers', 'read', role) },
  // Product managers see the feedback cases on their products (the API lists those only).
  { id: 'cases', nav: 'nav.cases', allowed: (role) => can('product-feedback', 'read', role) },
  { id: 'surveys', nav: 'nav.surveys', allowed: (role) => can('surveys', 'read', role) },
  { id: 'audit', nav: 'nav.audit', allowed: (role) => can('audit', 'read', role) },
  // The local runtime's SMS outbox: a developer's tool, for whoever is signed in locally.
  { id: 'outbox', nav: 'nav.outbox', allowed: () => true, localOnly: true },
];

export function visibleScreens(role: Role, local: boolean): Screen[] {
  return SCREENS.filter((screen) => screen.allowed(role) && (local || !screen.localOnly));
}
