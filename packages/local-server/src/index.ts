export { type LocalPortal, type LocalPortalOptions, startLocalPortal } from './local-portal.js';
