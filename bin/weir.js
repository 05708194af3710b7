#!/usr/bin/env node
// The `weir` command. Runs the TypeScript CLI through tsx, so job modules can be TypeScript too.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
