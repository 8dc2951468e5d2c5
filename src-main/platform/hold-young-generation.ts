// Imported first by each process entry (Electron main, browser mode, the bench's core): V8's young
// generation is held before the modules load and grow it (to 16 MiB by the time the core starts;
// held from here, 2–4 MiB). See young-generation.ts.
import { holdYoungGeneration } from './young-generation';

holdYoungGeneration();
