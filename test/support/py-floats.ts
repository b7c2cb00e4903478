/**
 * Finite floats and the text Python's repr(float) gives them -- also what
 * json.dumps writes. Shared by the repr and the json.dumps tests, which
 * differ only in how they spell NaN and the infinities.
 */
export const FINITE_FLOAT_REPRS: readonly (readonly [number, string])[] = [
  [5, '5.0'],
  [30, '30.0'],
  [0, '0.0'],
  [-0, '-0.0'],
  [1e-5, '1e-05'],
  [2.5e-7, '2.5e-07'],
  [0.0001, '0.0001'],
  [0.1 + 0.2, '0.30000000000000004'],
  [-0.5, '-0.5'],
  [123.456, '123.456'],
  [1e15, '1000000000000000.0'],
  [1e16, '1e+16'],
  [12345678901234567, '1.2345678901234568e+16'],
  [1.5e300, '1.5e+300'],
  [1717171717.123456, '1717171717.123456'],
];
