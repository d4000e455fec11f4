#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx slipway` works right after `npm ci`
// with no build step. See docs/decisions/0002-run-typescript-with-tsx.md.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
