// One place the views take preact from: htm's tagged templates instead of JSX, so the console needs
// no JSX toolchain, only esbuild's bundling.
export { html } from 'htm/preact';
export { render } from 'preact';
export type { ComponentChildren, VNode } from 'preact';
export { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
