import type { Core } from '../../src-main/core/core';

export const TEST_MANAGER_PIN = '2580';

/**
 * Signs a real manager in on a test core (creating the first manager on a fresh till), for suites
 * about something else than who may do what.
 */
export function signInManager(core: Pick<Core, 'staff'>): void {
  if (core.staff.session().needsFirstManager)
    core.staff.createFirstManager({ name: 'Test manager', pin: TEST_MANAGER_PIN });
  else core.staff.signIn(TEST_MANAGER_PIN);
}
