/** This package's version (torch.__version__), kept equal to package.json's by a test. */
export const version = '0.2.0';

const KEY = Symbol.for('@wick/core');

/**
 * One @wick/core per process or page. A tensor, the grad mode and the backend belong to the copy
 * that made them, so a second copy (two installs of different versions, or a bundle holding both
 * the ESM and the CommonJS build) would split them silently: `instanceof Tensor` false across
 * copies, noGrad() and useBackend() not reaching the other copy's ops. The first copy registers
 * itself under a global symbol; a second refuses to load, saying why.
 */
function registerInstance(): void {
  const registry = globalThis as { [KEY]?: { version: string } };
  const loaded = registry[KEY];
  if (loaded !== undefined) {
    throw new Error(
      `@wick/core ${version} is being loaded while @wick/core ${loaded.version} is already loaded in this process: two copies would not share tensors, grad mode or backend. ` +
        'Install one version (`npm ls @wick/core` lists them; @wick/nn takes it as a peer dependency), and import it one way everywhere, so a bundle holds one build',
    );
  }
  registry[KEY] = { version };
}

registerInstance();
