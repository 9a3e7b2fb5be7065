// Validation uses zod's functional build (`zod/mini`), whose unused parts a bundle leaves out: the
// chained build held some 4 MB more of an idle agent's memory for the same checks (`npm run bench`
// prints the idle agent's). Its English messages are set here, once; every module with a schema
// imports this one first. Import zod as `import * as z from 'zod/mini'` only: a namespace passed
// around as a value would keep all of zod in the bundle.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
