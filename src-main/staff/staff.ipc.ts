import type { Handlers } from '../../src-shared/contract';
import type { staffChannels } from '../../src-shared/contract/staff.contract';
import type { StaffService } from './staff.service';

type StaffChannel = Extract<keyof typeof staffChannels, `staff:${string}`>;

export function createStaffHandlers(staff: StaffService): Pick<Handlers, StaffChannel> {
  return {
    'staff:session': () => staff.session(),
    'staff:sign-in': ({ pin }) => staff.signIn(pin),
    'staff:sign-out': () => staff.signOut(),
    'staff:demo-sign-in': () => staff.signInDemo(),
    'staff:first-manager': (input) => staff.createFirstManager(input),
    'staff:list': () => staff.list(),
    'staff:create': ({ name, role, pin }) => staff.create({ name, role, pin }),
    'staff:update': ({ id, name, role, active }) =>
      staff.update({
        id,
        ...(name !== undefined ? { name } : {}),
        ...(role !== undefined ? { role } : {}),
        ...(active !== undefined ? { active } : {}),
      }),
    'staff:reset-pin': ({ id, pin }) => staff.resetPin({ id, pin }),
    'staff:set-config': ({ idleMinutes, discountLimitBp }) =>
      staff.setConfig({ idleMinutes, discountLimitBp }),
  };
}
