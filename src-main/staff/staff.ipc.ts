import type { Handlers } from '../../src-shared/contract';
import type { staffChannels } from '../../src-shared/contract/staff.contract';
import type { SharedStaff } from './shared-staff';
import type { StaffService } from './staff.service';

type StaffChannel = Extract<keyof typeof staffChannels, `staff:${string}`>;

/**
 * Thin handlers. On a till joined to a shop (`shared.joined()`), accounts are the shop's: adding,
 * changing and re-PINning a person goes to the shop database first (docs/SHOP-DATABASE.md).
 */
export function createStaffHandlers(
  staff: StaffService,
  shared?: SharedStaff,
): Pick<Handlers, StaffChannel> {
  const shop = () => (shared?.joined() ? shared : null);
  return {
    'staff:session': () => staff.session(),
    'staff:sign-in': ({ pin }) => staff.signIn(pin),
    'staff:sign-out': () => staff.signOut(),
    'staff:demo-sign-in': () => staff.signInDemo(),
    'staff:first-manager': (input) => {
      const s = shop();
      return s ? staff.createFirstManagerInShop(input, s) : staff.createFirstManager(input);
    },
    'staff:list': () => staff.list(),
    'staff:create': ({ name, role, pin }) => {
      const s = shop();
      return s ? staff.createInShop({ name, role, pin }, s) : staff.create({ name, role, pin });
    },
    'staff:update': ({ id, name, role, active }) => {
      const patch = {
        id,
        ...(name !== undefined ? { name } : {}),
        ...(role !== undefined ? { role } : {}),
        ...(active !== undefined ? { active } : {}),
      };
      const s = shop();
      return s ? staff.updateInShop(patch, s) : staff.update(patch);
    },
    'staff:reset-pin': ({ id, pin }) => {
      const s = shop();
      return s ? staff.resetPinInShop({ id, pin }, s) : staff.resetPin({ id, pin });
    },
    'staff:set-config': ({ idleMinutes, discountLimitBp }) =>
      staff.setConfig({ idleMinutes, discountLimitBp }),
  };
}
