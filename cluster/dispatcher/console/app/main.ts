// The web console's entry: theme first (no flash of the other one), then the app into <body>.
import { App } from './ui/app.ts';
import { html, render } from './ui/html.ts';
import { applyStoredTheme } from './ui/theme.ts';

applyStoredTheme();
const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
