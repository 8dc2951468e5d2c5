import { useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';

/**
 * Choosing a variant (one tap, or its number key) and the modifiers of a product, before it goes
 * into the basket — or to change a line already there. A product with variants and no modifier
 * groups is added by the variant's tap alone.
 */
export function ProductOptionsDialog() {
  const choosing = useTillStore((s) => s.choosing);
  const setChoosing = useTillStore((s) => s.setChoosing);
  const confirm = useTillStore((s) => s.confirmChoice);
  const money = useMoney();
  const [error, setError] = useState<string | null>(null);
  const product = choosing?.product;
  const askVariant = !!product && product.variants.length > 0 && !choosing?.variantId;

  const pickVariant = (variantId: string) => {
    if (!choosing || !product) return;
    setError(null);
    setChoosing({ ...choosing, variantId });
    // One tap: a product with only sizes goes straight into the basket (the store's set is
    // synchronous, so confirm sees the variant just chosen).
    if (product.modifierGroups.length === 0) setError(confirm());
  };

  useEffect(() => {
    if (!askVariant || !product) return;
    const onKey = (e: KeyboardEvent) => {
      if (!/^[1-9]$/.test(e.key) || e.altKey || e.ctrlKey || e.metaKey) return;
      const v = product.variants[Number(e.key) - 1];
      if (!v) return;
      e.preventDefault();
      e.stopPropagation();
      pickVariant(v.id);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  if (!choosing || !product) return null;
  const variant = product.variants.find((v) => v.id === choosing.variantId);
  const title = askVariant
    ? `${product.name}: which one?`
    : `${variant ? `${product.name} (${variant.name})` : product.name}: options`;

  const toggle = (groupId: string, modifierId: string) => {
    const group = product.modifierGroups.find((g) => g.id === groupId);
    if (!group) return;
    const inGroup = new Set(group.modifiers.map((m) => m.id));
    let ids = choosing.modifierIds;
    if (ids.includes(modifierId)) ids = ids.filter((x) => x !== modifierId);
    else if (group.maxChoices === 1) ids = [...ids.filter((x) => !inGroup.has(x)), modifierId];
    else if (ids.filter((x) => inGroup.has(x)).length >= group.maxChoices) {
      setError(`Choose at most ${group.maxChoices} of ${group.name}`);
      return;
    } else ids = [...ids, modifierId];
    setError(null);
    setChoosing({ ...choosing, modifierIds: ids });
  };

  return (
    <Dialog title={title} onClose={() => setChoosing(null)} wide>
      {askVariant ? (
        <div className="variant-keys" role="group" aria-label={`${product.name} variants`}>
          {product.variants.map((v, i) => (
            <button
              key={v.id}
              type="button"
              className="product-key"
              aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
              aria-label={`${v.name}, ${money(v.priceMinor)}`}
              onClick={() => pickVariant(v.id)}
            >
              <span className="product-name">{v.name}</span>
              <span className="product-foot">
                <span className="product-price">{money(v.priceMinor)}</span>
                {i < 9 && (
                  <kbd className="kbd" aria-hidden="true">
                    {i + 1}
                  </kbd>
                )}
              </span>
            </button>
          ))}
        </div>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setError(confirm());
          }}
        >
          {product.modifierGroups.map((g) => (
            <fieldset key={g.id} className="modifier-group" aria-label={g.name}>
              <legend>
                {g.name}{' '}
                <span className="muted">
                  {g.minChoices > 0
                    ? g.minChoices === g.maxChoices
                      ? `(choose ${g.minChoices})`
                      : `(choose ${g.minChoices} to ${g.maxChoices})`
                    : `(optional, up to ${g.maxChoices})`}
                </span>
              </legend>
              <div className="modifier-keys">
                {g.modifiers.map((m) => {
                  const on = choosing.modifierIds.includes(m.id);
                  return (
                    <button
                      key={m.id}
                      type="button"
                      className={`modifier-key${on ? ' is-on' : ''}`}
                      aria-pressed={on}
                      onClick={() => toggle(g.id, m.id)}
                    >
                      {m.name}
                      {m.priceMinor > 0 && <span className="muted"> +{money(m.priceMinor)}</span>}
                    </button>
                  );
                })}
              </div>
            </fieldset>
          ))}
          {error && <p role="alert">{error}</p>}
          <div className="button-row">
            <button type="submit" data-autofocus>
              {choosing.lineKey ? 'Change line' : 'Add to basket'}
            </button>
            {product.variants.length > 0 && (
              <button
                type="button"
                className="btn-secondary"
                onClick={() => setChoosing({ ...choosing, variantId: null })}
              >
                Change size
              </button>
            )}
            <button type="button" className="btn-secondary" onClick={() => setChoosing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {askVariant && error && <p role="alert">{error}</p>}
    </Dialog>
  );
}
