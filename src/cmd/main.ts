// The `stratus` executable's entry point (bin/stratus.js loads this).
import { main } from './cli.js';

await main(process.argv);
