export { linear } from '@wick/core';
