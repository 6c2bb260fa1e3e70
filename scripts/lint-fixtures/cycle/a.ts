// An import cycle: a.ts -> b.ts -> a.ts.
import { b } from './b';

export const a = (): number => b() + 1;
