import type { Branding } from '../api/types.ts';
import { DEFAULT_PRODUCT_NAME, safeBranding } from '../branding.ts';

/** The product's logo and name: the tenant's brand when it has one. */
export function BrandMark({ branding }: { branding: Branding | undefined }) {
  const safe = safeBranding(branding);
  const name = safe.productName ?? DEFAULT_PRODUCT_NAME;
  return (
    <span className="brand-mark">
      {safe.logoUrl ? (
        <img className="brand-logo" src={safe.logoUrl} alt="" width={28} height={28} />
      ) : (
        <span className="brand-logo brand-logo-letter" aria-hidden="true">
          {name.charAt(0)}
        </span>
      )}
      <span className="brand-name">{name}</span>
    </span>
  );
}
