import type { Branding } from './api/types.ts';

export const DEFAULT_PRODUCT_NAME = 'BizOSaaS';
const CACHE_KEY = 'bizosaas.branding';
const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** Only colours and logo URLs that cannot smuggle anything into CSS or fetch another origin's scripts. */
export function safeBranding(branding: Branding | undefined): Branding {
  const safe: Branding = {};
  if (branding?.productName?.trim()) safe.productName = branding.productName.trim().slice(0, 60);
  if (branding?.primaryColor && HEX_COLOUR.test(branding.primaryColor))
    safe.primaryColor = branding.primaryColor;
  if (branding?.logoUrl && /^(https:\/\/|\/)/.test(branding.logoUrl)) safe.logoUrl = branding.logoUrl;
  return safe;
}

/** Black or white, whichever reads better on the colour. */
function inkFor(hex: string): string {
  const full = hex.length === 4 ? hex.replace(/[0-9a-f]/gi, (c) => c + c) : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.4 ? '#111827' : '#ffffff';
}

/** Themes the page: brand colour, its ink, the product name in the title; remembered for the sign-in page. */
export function applyBranding(branding: Branding | undefined): void {
  const safe = safeBranding(branding);
  const root = document.documentElement.style;
  if (safe.primaryColor) {
    root.setProperty('--brand', safe.primaryColor);
    root.setProperty('--brand-ink', inkFor(safe.primaryColor));
  } else {
    root.removeProperty('--brand');
    root.removeProperty('--brand-ink');
  }
  document.title = safe.productName ?? DEFAULT_PRODUCT_NAME;
  try {
    localStorage.setItem(CACHE_KEY, JSON.stringify(safe));
  } catch {
    // Private windows may refuse storage; the sign-in page then shows the default brand.
  }
}

/** The brand this browser last showed, for the sign-in page (before anyone is known). */
export function rememberedBranding(): Branding {
  try {
    return safeBranding(JSON.parse(localStorage.getItem(CACHE_KEY) ?? '{}') as Branding);
  } catch {
    return {};
  }
}
