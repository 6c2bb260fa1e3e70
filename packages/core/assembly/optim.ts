// Optimizer updates over float32 arrays, four lanes at a time, with the same rules as the plain
// kernels in src/backend/cpu/optim.ts (see there for the formulas).

export function sgd(
  p: usize, g: usize, buf: usize, n: i32,
  lr: f32, momentum: f32, dampening: f32, nesterov: i32, weightDecay: f32, firstStep: i32,
): void {
  const vlr = f32x4.splat(lr);
  const vwd = f32x4.splat(weightDecay);
  const vm = f32x4.splat(momentum);
  const vd = f32x4.splat(1 - dampening);
  const lanes = n & ~3;
  for (let i = 0; i < lanes; i += 4) {
    const at = <usize>(i << 2);
    const pv = v128.load(p + at);
    let gv = f32x4.add(v128.load(g + at), f32x4.mul(vwd, pv));
    if (buf != 0) {
      const b = firstStep ? gv : f32x4.add(f32x4.mul(vm, v128.load(buf + at)), f32x4.mul(vd, gv));
      v128.store(buf + at, b);
      gv = nesterov ? f32x4.add(gv, f32x4.mul(vm, b)) : b;
    }
    v128.store(p + at, f32x4.sub(pv, f32x4.mul(vlr, gv)));
  }
  for (let i = lanes; i < n; i++) {
    const at = <usize>(i << 2);
    const pv = load<f32>(p + at);
    let gv = load<f32>(g + at) + weightDecay * pv;
    if (buf != 0) {
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
  const decay = f32x4.splat(decoupled ? 1 - lr * weightDecay : 1);
  const l2 = f32x4.splat(decoupled ? 0 : weightDecay);
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
    const gv = f32x4.add(v128.load(g + at), f32x4.mul(l2, pv));
    pv = f32x4.mul(pv, decay);
    const mv = v128.load(m + at);
    const mNew = f32x4.add(mv, f32x4.mul(b1, f32x4.sub(gv, mv)));
    v128.store(m + at, mNew);
    let vv = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(b2c, gv), gv));
    v128.store(v + at, vv);
    if (vmax != 0) {
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
    if (weightDecay != 0) {
      if (decoupled) pv *= 1 - lr * weightDecay;
      else gv += weightDecay * pv;
    }
    const mv = load<f32>(m + at);
    const mNew = mv + (1 - beta1) * (gv - mv);
    store<f32>(m + at, mNew);
    let vv = load<f32>(v + at) * beta2 + (1 - beta2) * gv * gv;
    store<f32>(v + at, vv);
    if (vmax != 0) {
      vv = max(load<f32>(vmax + at), vv);
      store<f32>(vmax + at, vv);
    }
    store<f32>(p + at, pv - (stepSize * mNew) / (sqrt<f32>(vv) / bc2Sqrt + eps));
  }
}
