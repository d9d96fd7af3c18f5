#!/usr/bin/env node
// Entry point of the `stratus` command. Runs the compiled CLI (npm run build) when it is at
// least as new as every source file, otherwise the TypeScript sources through tsx, so a fresh
// checkout works after `npm install` and an edited checkout never runs a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const compiled = join(root, 'dist', 'cmd', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const useCompiled =
  !process.env.STRATUS_FROM_SOURCE &&
  existsSync(compiled) &&
  (!existsSync(join(root, 'src')) || statSync(compiled).mtimeMs >= newestSource(join(root, 'src')));

if (useCompiled) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'src', 'cmd', 'main.ts')).href);
}
