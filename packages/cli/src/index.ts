export { type DemoSeedResult, seedDemoData } from './demo-seed.js';
