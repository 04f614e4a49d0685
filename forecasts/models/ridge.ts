// Ridge least squares from accumulated normal equations; the factorisation is ml-matrix's.
import { CholeskyDecomposition, LuDecomposition, Matrix } from 'ml-matrix';

/** Accumulates XᵀX and Xᵀy from sparse rows (most design columns are zero on any given row). */
export class NormalEquations {
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  rows = 0;
  constructor(readonly k: number) {
    this.xtx = new Float64Array(k * k);
    this.xty = new Float64Array(k);
  }

  add(index: Int32Array, value: Float64Array, nnz: number, y: number): void {
    const { k, xtx, xty } = this;
    for (let a = 0; a < nnz; a++) {
      const ia = index[a]!;
      const va = value[a]!;
      xty[ia] = xty[ia]! + va * y;
      const rowBase = ia * k;
      for (let b = 0; b < nnz; b++) xtx[rowBase + index[b]!] = xtx[rowBase + index[b]!]! + va * value[b]!;
    }
    this.rows++;
  }

  /**
   * Adds every row that shares one periodic part `a` (the non-zeros, trend column excluded)
   * and differs only in the trend value τ: Σ (a + τe)(a + τe)ᵀ from c = count, Στ, Στ², Σy, Σyτ.
   * Lets a calendar regression accumulate one group per weekly slot instead of one row per point.
   */
  addGroup(
    index: Int32Array,
    value: Float64Array,
    nnz: number,
    trend: number,
    g: { c: number; st: number; stt: number; sy: number; syt: number },
  ): void {
    const { k, xtx, xty } = this;
    for (let a = 0; a < nnz; a++) {
      const ia = index[a]!;
      const va = value[a]!;
      xty[ia] = xty[ia]! + va * g.sy;
      const rowBase = ia * k;
      const cva = g.c * va;
      for (let b = 0; b < nnz; b++) xtx[rowBase + index[b]!] = xtx[rowBase + index[b]!]! + cva * value[b]!;
      xtx[rowBase + trend] = xtx[rowBase + trend]! + g.st * va;
      xtx[trend * k + ia] = xtx[trend * k + ia]! + g.st * va;
    }
    xtx[trend * k + trend] = xtx[trend * k + trend]! + g.stt;
    xty[trend] = xty[trend]! + g.syt;
    this.rows += g.c;
  }

  /** Solves (XᵀX + λ·D)β = Xᵀy, D = diag(penalised columns). */
  solve(lambda: number, unpenalised: ReadonlySet<number>): Float64Array {
    const { k } = this;
    const a = new Matrix(k, k);
    for (let i = 0; i < k; i++) {
      // averaging both triangles removes round-off asymmetry (Cholesky insists on symmetry)
      for (let j = 0; j < k; j++) a.set(i, j, (this.xtx[i * k + j]! + this.xtx[j * k + i]!) / 2);
      if (!unpenalised.has(i)) a.set(i, i, a.get(i, i) + lambda);
    }
    const b = Matrix.columnVector(Array.from(this.xty));
    const chol = new CholeskyDecomposition(a);
    const x = chol.isPositiveDefinite() ? chol.solve(b) : new LuDecomposition(a).solve(b);
    return Float64Array.from(x.getColumn(0));
  }
}
