// `node --import ./register.mjs out/main/index.js`: the built main bundle with `electron` resolved to the stand-in.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
