import { Diagnostics } from '../../app/Diagnostics';
import { useTillStore } from '../../store/store';
import { DojoSettings } from './DojoSettings';
import { ManagerPinSettings } from './ManagerPinSettings';
import { ProductsEditor } from './ProductsEditor';
import { ShopSettings } from './ShopSettings';
import { TillSettings } from './TillSettings';

export function SettingsScreen() {
  const settings = useTillStore((s) => s.settings);
  return (
    <div className="settings">
      <h1 className="sr-only">Settings</h1>
      <DojoSettings key={`dojo-${settings?.softwareHouseId ?? ''}-${settings?.resellerId ?? ''}`} />
      {settings ? <TillSettings settings={settings} /> : <p>Loading settings…</p>}
      <ManagerPinSettings />
      <ShopSettings />
      <ProductsEditor />
      <Diagnostics />
    </div>
  );
}
