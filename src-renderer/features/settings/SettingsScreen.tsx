import { useTillStore } from '../../store/store';
import { BackupSettings } from './BackupSettings';
import { DojoSettings } from './DojoSettings';
import { ManagerPinSettings } from './ManagerPinSettings';
import { ProductsEditor } from './ProductsEditor';
import { ShopSettings } from './ShopSettings';
import { TillSettings } from './TillSettings';
import { UpdateSettings } from './UpdateSettings';
import { StaffSettings } from '../staff/StaffSettings';

export function SettingsScreen() {
  const settings = useTillStore((s) => s.settings);
  return (
    <div className="settings">
      <h1 className="sr-only">Settings</h1>
      <DojoSettings key={`dojo-${settings?.softwareHouseId ?? ''}-${settings?.resellerId ?? ''}`} />
      {settings ? <TillSettings settings={settings} /> : <p>Loading settings…</p>}
      <ManagerPinSettings />
      <UpdateSettings />
      {settings && <BackupSettings keep={settings.backupKeep} />}
      <ShopSettings />
      <StaffSettings />
      <ProductsEditor />
    </div>
  );
}
