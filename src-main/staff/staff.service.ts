import { randomBytes, randomUUID } from 'node:crypto';
import {
  newPinSchema,
  permissionLabels,
  roleLabels,
  roleMay,
  rolePermissions,
  staffConfigSchema,
  type Approval,
  type Permission,
  type StaffConfig,
  type StaffMember,
  type StaffRole,
  type StaffSession,
} from '../../src-shared/domain/staff';
import { TillError } from '../../src-shared/errors';
import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import { hashPin, pinMatches } from './manager-pin';
import { readSetting, writeSetting } from '../platform/key-value';
import { audit } from '../platform/audit';
import { runAs, type Actor } from './actor';
import type { SharedStaff, SharedStaffRecord } from './shared-staff';
import { assertNotLocked, lockedUntil, recordRight, recordWrong, type Clock } from './pin-lockout';
import {
  activeManagers,
  getStaff,
  insertStaff,
  listStaff,
  publicMember,
  updateStaffRow,
  type StaffWithPin,
} from './staff.repo';

const CONFIG_KEY = 'staff.config';
const DEFAULT_CONFIG: StaffConfig = { idleMinutes: 5, discountLimitBp: 1000 };
const DEMO_NAME = 'Demo manager (training)';

export type StaffServiceDeps = {
  db: Db;
  logger: Logger;
  /** Training mode offers a demo manager. */
  training: () => boolean;
  clock?: Clock;
  onChange?: () => void;
};

export type StaffService = ReturnType<typeof createStaffService>;

const badPin = (message: string) => new TillError('VALIDATION', message);

/**
 * Staff accounts and who is signed in on this till. The session lives in the core (one till, one
 * drawer), so every channel can check the signed-in person's role here, never only in the UI.
 */
export function createStaffService(deps: StaffServiceDeps) {
  const { db } = deps;
  const log = deps.logger.child('staff');
  const clock = deps.clock ?? Date.now;
  let signedIn: string | null = null;

  const current = (): StaffWithPin | null => {
    if (signedIn === null) return null;
    const s = getStaff(db, signedIn);
    // The demo manager is signed out the moment the till leaves training mode.
    if (!s || !s.active || (s.demo && !deps.training())) {
      signedIn = null;
      return null;
    }
    return s;
  };

  const config = (): StaffConfig => {
    const parsed = staffConfigSchema.safeParse(readSetting(db, CONFIG_KEY));
    return parsed.success ? parsed.data : DEFAULT_CONFIG;
  };

  const session = (): StaffSession => {
    const me = current();
    const c = config();
    return {
      staff: me ? publicMember(me) : null,
      permissions: me ? [...rolePermissions[me.role]] : [],
      needsFirstManager: activeManagers(db) === 0,
      demoAvailable: deps.training(),
      idleMinutes: c.idleMinutes,
      discountLimitBp: c.discountLimitBp,
      lockedUntil: lockedUntil(db, clock()),
    };
  };

  const changed = () => deps.onChange?.();

  /**
   * The active person whose PIN this is, counting wrong PINs towards the lockout. A PIN is unique
   * among active staff, so it names one person.
   */
  const byPin = (pin: string): StaffWithPin | null => {
    const now = clock();
    assertNotLocked(db, now);
    const found =
      listStaff(db).find((s) => s.active && !s.demo && pinMatches(s.pinHash, pin)) ?? null;
    if (found) recordRight(db);
    else recordWrong(db, now);
    return found;
  };

  /** New PINs: not trivial, and not already someone's (without saying whose). */
  const checkNewPin = (pin: string, exceptId: string | null) => {
    const parsed = newPinSchema.safeParse(pin);
    if (!parsed.success) throw badPin(parsed.error.issues[0]?.message ?? 'A PIN is 4 to 8 digits');
    if (listStaff(db).some((s) => s.active && s.id !== exceptId && pinMatches(s.pinHash, pin)))
      throw badPin('That PIN cannot be used: choose another.');
  };

  const requireMember = (id: string): StaffWithPin => {
    const s = getStaff(db, id);
    if (!s || s.demo) throw new TillError('NOT_FOUND', 'That person is not on the staff list.');
    return s;
  };

  const asMe = <T>(fn: () => T): T => {
    const me = current();
    return runAs(me ? { staffId: me.id, approvedBy: null } : null, fn);
  };

  return {
    session,
    config,
    current: (): StaffMember | null => {
      const me = current();
      return me ? publicMember(me) : null;
    },

    signIn(pin: string): StaffSession {
      const s = byPin(pin);
      if (!s) throw new TillError('STAFF_PIN_INVALID', 'That PIN is not right.');
      signedIn = s.id;
      runAs({ staffId: s.id, approvedBy: null }, () => audit(db, s.name, 'staff.sign-in', s.id));
      log.info('signed in', { staffId: s.id, role: s.role });
      changed();
      return session();
    },

    signOut(): StaffSession {
      const me = current();
      if (me) {
        runAs({ staffId: me.id, approvedBy: null }, () =>
          audit(db, me.name, 'staff.sign-out', me.id),
        );
        log.info('signed out', { staffId: me.id });
      }
      signedIn = null;
      changed();
      return session();
    },

    /** Training mode only: a ready manager, clearly labelled, never counted as a real one. */
    signInDemo(): StaffSession {
      if (!deps.training())
        throw new TillError('PERMISSION_DENIED', 'The demo manager exists only in training mode.');
      let demo = listStaff(db).find((s) => s.demo);
      if (!demo) {
        // Its PIN is random text no keypad can type: the demo manager signs in only by this button.
        const id = randomUUID();
        insertStaff(db, {
          id,
          name: DEMO_NAME,
          role: 'manager',
          pinHash: hashPin(randomBytes(24).toString('base64')),
          demo: true,
        });
        demo = requireDemo(id);
      }
      signedIn = demo.id;
      runAs({ staffId: demo.id, approvedBy: null }, () =>
        audit(db, demo.name, 'staff.sign-in', demo.id, { demo: true }),
      );
      changed();
      return session();
    },

    /** A fresh till: the first manager, allowed only while there is no real manager. */
    createFirstManager(input: { name: string; pin: string }): StaffSession {
      checkFirstManager(input.pin);
      const id = randomUUID();
      db.transaction(() => {
        insertStaff(db, { id, name: input.name, role: 'manager', pinHash: hashPin(input.pin) });
        runAs({ staffId: id, approvedBy: null }, () =>
          audit(db, input.name, 'staff.first-manager', id),
        );
      })();
      signedIn = id;
      changed();
      return session();
    },

    list: (): StaffMember[] =>
      listStaff(db)
        .filter((s) => !s.demo)
        .map(publicMember),

    create(input: { name: string; role: StaffRole; pin: string }): StaffMember {
      checkNewPin(input.pin, null);
      const id = randomUUID();
      asMe(() =>
        db.transaction(() => {
          insertStaff(db, { id, name: input.name, role: input.role, pinHash: hashPin(input.pin) });
          audit(db, current()?.name ?? 'till', 'staff.created', id, {
            name: input.name,
            role: input.role,
          });
        })(),
      );
      changed();
      return publicMember(requireMember(id));
    },

    update(input: { id: string; name?: string; role?: StaffRole; active?: boolean }): StaffMember {
      checkKeepsManager(input);
      asMe(() =>
        db.transaction(() => {
          updateStaffRow(db, input.id, input);
          audit(db, current()?.name ?? 'till', 'staff.updated', input.id, {
            name: input.name,
            role: input.role,
            active: input.active,
          });
        })(),
      );
      if (input.active === false && signedIn === input.id) signedIn = null;
      changed();
      return publicMember(requireMember(input.id));
    },

    resetPin(input: { id: string; pin: string }): StaffMember {
      requireMember(input.id);
      checkNewPin(input.pin, input.id);
      asMe(() =>
        db.transaction(() => {
          updateStaffRow(db, input.id, { pinHash: hashPin(input.pin) });
          audit(db, current()?.name ?? 'till', 'staff.pin-reset', input.id);
        })(),
      );
      return publicMember(requireMember(input.id));
    },

    /**
     * A joined till's staff edits go to the shop (docs/SHOP-DATABASE.md): checked here by the same
     * rules as a local edit, written to the shop database by `shop.publish` (which holds the
     * last-manager rule shop-wide) and only then to this till's copy and journal. Nothing is
     * written when the shop database cannot be reached.
     */
    async createInShop(
      input: { name: string; role: StaffRole; pin: string },
      shop: SharedStaff,
    ): Promise<StaffMember> {
      checkNewPin(input.pin, null);
      const record: SharedStaffRecord = {
        id: randomUUID(),
        name: input.name,
        role: input.role,
        pinHash: hashPin(input.pin),
        active: true,
      };
      await shop.publish(record);
      return journalShared(record.id, 'staff.created', { name: input.name, role: input.role });
    },

    async updateInShop(
      input: { id: string; name?: string; role?: StaffRole; active?: boolean },
      shop: SharedStaff,
    ): Promise<StaffMember> {
      const before = checkKeepsManager(input);
      await shop.publish({
        id: before.id,
        name: input.name ?? before.name,
        role: input.role ?? before.role,
        pinHash: before.pinHash,
        active: input.active ?? before.active,
      });
      if (input.active === false && signedIn === input.id) signedIn = null;
      return journalShared(input.id, 'staff.updated', {
        name: input.name,
        role: input.role,
        active: input.active,
      });
    },

    async resetPinInShop(
      input: { id: string; pin: string },
      shop: SharedStaff,
    ): Promise<StaffMember> {
      const before = requireMember(input.id);
      checkNewPin(input.pin, input.id);
      await shop.publish({
        id: before.id,
        name: before.name,
        role: before.role,
        pinHash: hashPin(input.pin),
        active: before.active,
      });
      return journalShared(input.id, 'staff.pin-reset', undefined);
    },

    /** A joined till with no manager at all: the first manager is the shop's (if it has none). */
    async createFirstManagerInShop(
      input: { name: string; pin: string },
      shop: SharedStaff,
    ): Promise<StaffSession> {
      checkFirstManager(input.pin);
      const id = randomUUID();
      await shop.publish(
        { id, name: input.name, role: 'manager', pinHash: hashPin(input.pin), active: true },
        { firstManager: true },
      );
      runAs({ staffId: id, approvedBy: null }, () =>
        audit(db, input.name, 'staff.first-manager', id, { shop: true }),
      );
      signedIn = id;
      changed();
      return session();
    },

    /** The shop's list arrived: whoever was switched off is signed out, and screens follow. */
    sharedListChanged(): void {
      current();
      changed();
    },

    setConfig(next: StaffConfig): StaffConfig {
      asMe(() =>
        db.transaction(() => {
          writeSetting(db, CONFIG_KEY, next);
          audit(db, current()?.name ?? 'till', 'staff.config', null, next);
        })(),
      );
      changed();
      return config();
    },

    /**
     * Who does this action: the person signed in, when their role has the permission, or with a
     * supervisor's or manager's PIN approving this one action (an override). Throws in plain words
     * otherwise; writes nothing but the override's journal row.
     */
    authorize(permission: Permission | null, approval: Approval | undefined): Actor {
      const me = current();
      if (!me)
        throw new TillError(
          'SIGN_IN_REQUIRED',
          'Nobody is signed in: sign in with your PIN first.',
        );
      if (!permission) return { staffId: me.id, approvedBy: null };
      if (!approval) {
        if (roleMay(me.role, permission)) return { staffId: me.id, approvedBy: null };
        throw new TillError(
          'PERMISSION_DENIED',
          `${me.name} (${roleLabels[me.role].toLowerCase()}) may not ${permissionLabels[permission]}: a supervisor or manager can approve it with their PIN.`,
        );
      }
      const approver = byPin(approval.pin);
      if (!approver)
        throw new TillError(
          'MANAGER_PIN_INVALID',
          'That approval PIN is not right: nothing was done.',
        );
      if (!roleMay(approver.role, permission))
        throw new TillError(
          'PERMISSION_DENIED',
          approver.role === 'cashier'
            ? `${approver.name} is a cashier and cannot approve this: ask a supervisor or manager.`
            : `${approver.name} (${roleLabels[approver.role].toLowerCase()}) cannot approve this: ask a manager.`,
        );
      return { staffId: me.id, approvedBy: approver.id };
    },

    /** After an approved action succeeded: both people go in the journal. */
    journalOverride(actor: Actor, permission: Permission, what: string): void {
      if (!actor.approvedBy || actor.approvedBy === actor.staffId) return;
      const name = (id: string) => getStaff(db, id)?.name ?? id;
      runAs(actor, () =>
        audit(db, name(actor.staffId), 'staff.override', null, {
          permission,
          action: what,
          staff: name(actor.staffId),
          approvedBy: name(actor.approvedBy ?? ''),
        }),
      );
    },

    /** For older flows that ask "a manager's PIN": any active real manager's PIN. */
    managerPinMatches(pin: string): boolean {
      const s = byPin(pin);
      return s?.role === 'manager';
    },
  };

  /** A first manager only while there is none; their PIN by the rules of any new PIN. */
  function checkFirstManager(pin: string): void {
    if (activeManagers(db) > 0)
      throw new TillError(
        'CONFLICT',
        'This till already has a manager: a manager adds staff from Staff.',
      );
    checkNewPin(pin, null);
  }

  /** The last-manager rule on this till's list; answers the person as they are before the edit. */
  function checkKeepsManager(input: {
    id: string;
    role?: StaffRole;
    active?: boolean;
  }): StaffWithPin {
    const before = requireMember(input.id);
    const stillManager =
      (input.role ?? before.role) === 'manager' && (input.active ?? before.active);
    if (before.role === 'manager' && before.active && !stillManager && activeManagers(db) <= 1)
      throw new TillError(
        'CONFLICT',
        `${before.name} is the last active manager: add or promote another manager first.`,
      );
    return before;
  }

  /** After the shop accepted an edit (and this till's copy follows): the journal and screens. */
  function journalShared(
    id: string,
    action: string,
    details: Record<string, unknown> | undefined,
  ): StaffMember {
    asMe(() => audit(db, current()?.name ?? 'till', action, id, { ...details, shop: true }));
    changed();
    return publicMember(requireMember(id));
  }

  function requireDemo(id: string): StaffWithPin {
    const s = getStaff(db, id);
    if (!s) throw new Error('demo manager not stored');
    return s;
  }
}
