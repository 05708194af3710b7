// The console's login page: one form that posts the cluster's secret to /login. Plain HTML with its
// own small style (the console's bundle is behind the login), light and dark like the console.
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export function loginPage(error: string | undefined): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Weir · log in</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { display: grid; place-items: center; min-height: 100vh; margin: 0; background: Canvas; color: CanvasText; }
  form { display: grid; gap: 0.75rem; width: min(22rem, 90vw); padding: 2rem; border: 1px solid color-mix(in srgb, CanvasText 20%, transparent); border-radius: 8px; }
  h1 { margin: 0; font-size: 1.25rem; }
  input, button { font: inherit; padding: 0.5rem 0.6rem; border-radius: 6px; border: 1px solid color-mix(in srgb, CanvasText 30%, transparent); }
  button { cursor: pointer; }
  .error { color: #d33; margin: 0; }
  .hint { margin: 0; font-size: 0.85rem; opacity: 0.75; }
</style>
</head>
<body>
<form method="post" action="/login">
  <h1>Weir</h1>
  <label for="secret">The cluster's secret</label>
  <input id="secret" name="secret" type="password" autocomplete="current-password" autofocus required>
  ${error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(error)}</p>`}
  <button type="submit">Log in</button>
  <p class="hint">security.auth.secret of the cluster's weir.yaml</p>
</form>
</body>
</html>
`;
}
