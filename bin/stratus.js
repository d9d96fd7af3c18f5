#!/usr/bin/env node
// Entry point of the `stratus` command. Runs the compiled CLI when it exists (npm run build),
// otherwise the TypeScript sources through tsx, so a fresh checkout works after `npm install`.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'cmd', 'main.js');
if (existsSync(compiled) && !process.env.STRATUS_FROM_SOURCE) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cmd', 'main.ts')).href);
}
