/**
 * The design tokens of styles.css for what CSS cannot style: Glide's canvas grid and CodeMirror. The colour scheme
 * follows the OS (prefers-color-scheme); components re-read the tokens when it changes.
 */
import { useSyncExternalStore } from 'react';

export type ColorScheme = 'light' | 'dark';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
const subscribe = (onChange: () => void) => {
  const q = darkQuery();
  q.addEventListener('change', onChange);
  return () => q.removeEventListener('change', onChange);
};

export function useColorScheme(): ColorScheme {
  return useSyncExternalStore(subscribe, () => (darkQuery().matches ? 'dark' : 'light'));
}

/** A token's value as styles.css defines it for the scheme in force, e.g. token('--danger'). */
export const token = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** Glide Data Grid's theme from the tokens, plus the overrides for ready, failing and invalid cells. */
export function gridThemes() {
  const text = token('--text-m');
  return {
    grid: {
      accentColor: token('--accent'),
      accentFg: token('--accent-ink'),
      accentLight: token('--accent-select'),
      textDark: token('--text'),
      textMedium: token('--muted'),
      textLight: token('--muted'),
      textBubble: token('--text'),
      bgIconHeader: token('--muted'),
      fgIconHeader: token('--panel'),
      textHeader: token('--text'),
      textGroupHeader: token('--muted'),
      textHeaderSelected: token('--accent-ink'),
      bgCell: token('--panel'),
      bgCellMedium: token('--sunken'),
      bgHeader: token('--bg'),
      bgHeaderHasFocus: token('--sunken'),
      bgHeaderHovered: token('--sunken'),
      bgBubble: token('--sunken'),
      bgBubbleSelected: token('--panel'),
      bgSearchResult: token('--find-bg'),
      borderColor: token('--line'),
      horizontalBorderColor: token('--line'),
      drilldownBorder: token('--line'),
      linkColor: token('--accent'),
      fontFamily: token('--font-ui'),
      baseFontStyle: text,
      headerFontStyle: `${token('--weight-strong')} ${text}`,
    },
    invalid: { bgCell: token('--danger-bg'), textDark: token('--danger-text') },
    ok: { textDark: token('--ok') },
    bad: { textDark: token('--danger') },
  };
}
