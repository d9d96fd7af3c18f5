// The database contract on a private PostgreSQL 15 server started for this file.
import { dialectSuite } from '../../../test/harness/dialects.js';
import { registerDbContract } from './db-contract.js';

dialectSuite('postgres', 'database contract', registerDbContract);
