// The database contract on SQLite, each test on its own temp file.
import { dialectSuite } from '../../../test/harness/dialects.js';
import { registerDbContract } from './db-contract.js';

dialectSuite('sqlite', 'database contract', registerDbContract);
