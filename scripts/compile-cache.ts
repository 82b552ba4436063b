/**
 * Preloaded by `npm start` (`node --import`): Node keeps the code it compiles (the TypeScript it strips
 * of its types included) in its compile cache (NODE_COMPILE_CACHE, else a folder in the system's
 * temporary folder), so a second start does not compile Guichet and its libraries again. Node checks
 * each entry against its source; where the folder cannot be written, nothing is kept and nothing else
 * changes.
 */
import module from 'node:module';

module.enableCompileCache();
