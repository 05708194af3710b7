// Light and dark themes: the system's preference (prefers-color-scheme, followed live) unless the
// user picked one with the toggle, remembered per browser. The page's data-theme says which is on.
import { html, useEffect, useState } from './html.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'weir-console-theme';
const NEXT: Readonly<Record<ThemeChoice, ThemeChoice>> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Readonly<Record<ThemeChoice, string>> = { system: '◐ auto', light: '☀ light', dark: '☾ dark' };
const PREFERS_DARK = '(prefers-color-scheme: dark)';

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function applyTheme(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && matchMedia(PREFERS_DARK).matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Sets the theme before the first render, so the page does not flash the other one. */
export function applyStoredTheme(): void {
  applyTheme(stored());
}

export function ThemeToggle() {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  useEffect(() => {
    applyTheme(choice);
    try {
      if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage may be off (private windows): the choice lasts for this page only.
    }
    if (choice !== 'system') return;
    const query = matchMedia(PREFERS_DARK);
    const follow = (): void => applyTheme('system');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, [choice]);
  return html`<button class="theme-toggle" type="button" data-testid="theme-toggle" title="Theme: follows the system, light or dark" onClick=${() => setChoice(NEXT[choice])}>${LABEL[choice]}</button>`;
}
