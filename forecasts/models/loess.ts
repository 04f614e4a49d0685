// Local regression (Cleveland's loess as used inside STL): tricube weights over the q nearest
// integer positions, degree 0 or 1, optionally evaluated every `jump` points and linearly
// interpolated between (STL's speed-up).

/** Fitted value at position xq (may lie outside 0..n-1) from y[0..n-1] at positions 0..n-1. */
export function loessAt(y: ArrayLike<number>, n: number, q: number, degree: 0 | 1, xq: number): number {
  let left: number;
  let right: number;
  let h: number;
  if (q >= n) {
    left = 0;
    right = n - 1;
    h = Math.max(xq - left, right - xq) + Math.floor((q - n) / 2);
  } else {
    left = Math.min(Math.max(0, Math.round(xq - (q - 1) / 2)), n - q);
    right = left + q - 1;
    // slide the window towards xq while that brings nearer points in
    while (left > 0 && xq - (left - 1) < right - xq) {
      left--;
      right--;
    }
    while (right < n - 1 && right + 1 - xq < xq - left) {
      left++;
      right++;
    }
    h = Math.max(xq - left, right - xq);
  }
  if (h <= 0) h = 1;
  const hi = 0.999 * h;
  const lo = 0.001 * h;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let j = left; j <= right; j++) {
    const r = Math.abs(j - xq);
    if (r > hi) continue;
    let w = 1;
    if (r > lo) {
      const u = r / h;
      const c = 1 - u * u * u;
      w = c * c * c;
    }
    const v = y[j]!;
    sw += w;
    sy += w * v;
    if (degree === 1) {
      const dx = j - xq;
      sx += w * dx;
      sxx += w * dx * dx;
      sxy += w * dx * v;
    }
  }
  if (sw <= 0) return y[Math.min(n - 1, Math.max(0, Math.round(xq)))]!;
  if (degree === 0) return sy / sw;
  // weighted least squares line through (dx, v), evaluated at dx = 0
  const mx = sx / sw;
  const my = sy / sw;
  const varx = sxx / sw - mx * mx;
  if (varx <= 1e-12 * h * h) return my;
  const slope = (sxy / sw - mx * my) / varx;
  return my - slope * mx;
}

/** Loess fit at every position 0..n-1, computed every `jump` points and interpolated. */
export function loessSmooth(y: ArrayLike<number>, q: number, degree: 0 | 1, jump = 1): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  const step = Math.max(1, Math.min(jump, n - 1));
  let prev = 0;
  out[0] = loessAt(y, n, q, degree, 0);
  for (let i = step; ; i += step) {
    const x = Math.min(i, n - 1);
    out[x] = loessAt(y, n, q, degree, x);
    for (let k = prev + 1; k < x; k++) out[k] = out[prev]! + ((out[x]! - out[prev]!) * (k - prev)) / (x - prev);
    prev = x;
    if (x === n - 1) break;
  }
  return out;
}
