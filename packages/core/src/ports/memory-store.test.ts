import { describeStoreContract } from '../../../../test/support/store-contract.js';
import { MemoryStore } from './memory-store.js';

describeStoreContract('MemoryStore', () => new MemoryStore());
