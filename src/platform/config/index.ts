export * from './options.js';
export * from './ini.js';
export * from './load-config.js';
export * from './platform-options.js';
