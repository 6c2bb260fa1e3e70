// Optimizer updates over float32 arrays, four lanes at a time, with the same rules as the plain
// kernels in src/backend/cpu/optim.ts (see there for the formulas).

export function sgd(
  p: usize, g: usize, buf: usize, n: i32,
  lr: f32, momentum: f32, dampening: f32, nesterov: i32, weightDecay: f32, firstStep: i32,
): void {
  // One loop per combination of the flags, so none is tested per element (inlining folds them):
  // plain SGD, the common case, runs about twice as fast as a loop that branches on them.
  const decay = weightDecay != 0;
  if (buf == 0) sgdLoop(p, g, buf, n, lr, momentum, dampening, weightDecay, decay, false, false, false);
  else if (firstStep) sgdLoop(p, g, buf, n, lr, momentum, dampening, weightDecay, decay, true, true, nesterov != 0);
  else if (nesterov) sgdLoop(p, g, buf, n, lr, momentum, dampening, weightDecay, decay, true, false, true);
  else sgdLoop(p, g, buf, n, lr, momentum, dampening, weightDecay, decay, true, false, false);
}

@inline function sgdLoop(
  p: usize, g: usize, buf: usize, n: i32, lr: f32, momentum: f32, dampening: f32, weightDecay: f32,
  decay: bool, hasBuf: bool, firstStep: bool, nesterov: bool,
): void {
  const vlr = f32x4.splat(lr);
  const vwd = f32x4.splat(weightDecay);
  const vm = f32x4.splat(momentum);
  const vd = f32x4.splat(1 - dampening);
  const lanes = n & ~3;
  for (let i = 0; i < lanes; i += 4) {
    const at = <usize>(i << 2);
    const pv = v128.load(p + at);
    let gv = v128.load(g + at);
    if (decay) gv = f32x4.add(gv, f32x4.mul(vwd, pv));
    if (hasBuf) {
      const b = firstStep ? gv : f32x4.add(f32x4.mul(vm, v128.load(buf + at)), f32x4.mul(vd, gv));
      v128.store(buf + at, b);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(vm, b)) : b;
    }
    v128.store(p + at, f32x4.sub(pv, f32x4.mul(vlr, gv)));
  }
  for (let i = lanes; i < n; i++) {
    const at = <usize>(i << 2);
    const pv = load<f32>(p + at);
    let gv = load<f32>(g + at);
    if (decay) gv += weightDecay * pv;
    if (hasBuf) {
      const b = firstStep ? gv : momentum * load<f32>(buf + at) + (1 - dampening) * gv;
      store<f32>(buf + at, b);
      gv = nesterov ? gv + momentum * b : b;
    }
    store<f32>(p + at, pv - lr * gv);
  }
}

export function adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32, decoupled: i32, stepSize: f32, bc2Sqrt: f32,
): void {
  // As for SGD, one loop per combination of the flags.
  const l2 = weightDecay != 0 && !decoupled;
  const shrink = weightDecay != 0 && decoupled != 0;
  if (vmax == 0) {
    if (l2) adamLoop(p, g, m, v, vmax, n, lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, true, false, false);
    else if (shrink) adamLoop(p, g, m, v, vmax, n, lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, false, true, false);
    else adamLoop(p, g, m, v, vmax, n, lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, false, false, false);
  } else {
    if (l2) adamLoop(p, g, m, v, vmax, n, lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, true, false, true);
    else if (shrink) adamLoop(p, g, m, v, vmax, n, lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, false, true, true);
    else adamLoop(p, g, m, v, vmax, n, lr, beta1, beta2, eps, weightDecay, stepSize, bc2Sqrt, false, false, true);
  }
}

@inline function adamLoop(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  lr: f32, beta1: f32, beta2: f32, eps: f32, weightDecay: f32, stepSize: f32, bc2Sqrt: f32,
  l2: bool, shrink: bool, amsgrad: bool,
): void {
  const vwd = f32x4.splat(weightDecay);
  const decay = f32x4.splat(1 - lr * weightDecay);
  const b1 = f32x4.splat(1 - beta1);
  const b2 = f32x4.splat(beta2);
  const b2c = f32x4.splat(1 - beta2);
  const vs = f32x4.splat(stepSize);
  const vbc = f32x4.splat(bc2Sqrt);
  const veps = f32x4.splat(eps);
  const lanes = n & ~3;
  for (let i = 0; i < lanes; i += 4) {
    const at = <usize>(i << 2);
    let pv = v128.load(p + at);
    let gv = v128.load(g + at);
    if (l2) gv = f32x4.add(gv, f32x4.mul(vwd, pv));
    if (shrink) pv = f32x4.mul(pv, decay);
    const mv = v128.load(m + at);
    const mNew = f32x4.add(mv, f32x4.mul(b1, f32x4.sub(gv, mv)));
    v128.store(m + at, mNew);
    let vv = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(b2c, gv), gv));
    v128.store(v + at, vv);
    if (amsgrad) {
      vv = f32x4.max(v128.load(vmax + at), vv);
      v128.store(vmax + at, vv);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vv), vbc), veps);
    v128.store(p + at, f32x4.sub(pv, f32x4.div(f32x4.mul(vs, mNew), denom)));
  }
  for (let i = lanes; i < n; i++) {
    const at = <usize>(i << 2);
    let pv = load<f32>(p + at);
    let gv = load<f32>(g + at);
    if (l2) gv += weightDecay * pv;
    if (shrink) pv *= 1 - lr * weightDecay;
    const mv = load<f32>(m + at);
    const mNew = mv + (1 - beta1) * (gv - mv);
    store<f32>(m + at, mNew);
    let vv = load<f32>(v + at) * beta2 + (1 - beta2) * gv * gv;
    store<f32>(v + at, vv);
    if (amsgrad) {
      vv = max(load<f32>(vmax + at), vv);
      store<f32>(vmax + at, vv);
    }
    store<f32>(p + at, pv - (stepSize * mNew) / (sqrt<f32>(vv) / bc2Sqrt + eps));
  }
}

/**
 * One Adadelta step in place (cpu/optim.ts's adadeltaStep, in float32): g = sign * grad + wd p;
 * v = rho v + (1 - rho) g^2; delta = sqrt(u + eps) / sqrt(v + eps) * g; u = rho u + (1 - rho) delta^2;
 * p -= lr delta. sign is -1 to maximize.
 */
export function adadelta(p: usize, g: usize, v: usize, u: usize, n: i32, lr: f32, rho: f32, eps: f32, weightDecay: f32, sign: f32): void {
  const vlr = f32x4.splat(lr);
  const vrho = f32x4.splat(rho);
  const vkeep = f32x4.splat(1 - rho);
  const veps = f32x4.splat(eps);
  const vwd = f32x4.splat(weightDecay);
  const vsign = f32x4.splat(sign);
  const lanes = n & ~3;
  for (let i = 0; i < lanes; i += 4) {
    const at = <usize>(i << 2);
    const pv = v128.load(p + at);
    const gv = f32x4.add(f32x4.mul(vsign, v128.load(g + at)), f32x4.mul(vwd, pv));
    const sq = f32x4.add(f32x4.mul(v128.load(v + at), vrho), f32x4.mul(f32x4.mul(vkeep, gv), gv));
    v128.store(v + at, sq);
    const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(v128.load(u + at), veps)), f32x4.sqrt(f32x4.add(sq, veps))), gv);
    v128.store(u + at, f32x4.add(f32x4.mul(v128.load(u + at), vrho), f32x4.mul(f32x4.mul(vkeep, delta), delta)));
    v128.store(p + at, f32x4.sub(pv, f32x4.mul(vlr, delta)));
  }
  for (let i = lanes; i < n; i++) {
    const at = <usize>(i << 2);
    const pv = load<f32>(p + at);
    const gv = sign * load<f32>(g + at) + weightDecay * pv;
    const sq = load<f32>(v + at) * rho + (1 - rho) * gv * gv;
    store<f32>(v + at, sq);
    const delta = (Mathf.sqrt(load<f32>(u + at) + eps) / Mathf.sqrt(sq + eps)) * gv;
    store<f32>(u + at, load<f32>(u + at) * rho + (1 - rho) * delta * delta);
    store<f32>(p + at, pv - lr * delta);
  }
}
