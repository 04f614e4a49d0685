// The two functions of jstat (CommonJS, no published types) that the surge test uses.
declare module 'jstat' {
  const jstat: {
    jStat: {
      /** Regularised incomplete beta I_x(a, b). */
      ibeta(x: number, a: number, b: number): number;
      /** Regularised lower incomplete gamma P(a, x). */
      lowRegGamma(a: number, x: number): number;
    };
  };
  export = jstat;
}
