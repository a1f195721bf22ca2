#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx soglasie …` works right after install.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
