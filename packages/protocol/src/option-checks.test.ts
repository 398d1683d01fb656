import { describe, expect, it } from 'vitest';
import { numberOptionProblem } from './option-checks';

describe('numberOptionProblem', () => {
  it('accepts what the range allows', () => {
    expect([
      numberOptionProblem('a', 0, { min: 0 }),
      numberOptionProblem('a', 2.5, { min: 1, max: 3 }),
      numberOptionProblem('a', 7, { min: 0, integer: true }),
      numberOptionProblem('a', Number.POSITIVE_INFINITY, { min: 0, infinity: true }),
      numberOptionProblem('a', 0.1, { min: 0, minInclusive: false }),
    ]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('names the option, the range and the value it refuses', () => {
    expect([
      numberOptionProblem('retryMs', -1, { min: 0, max: 10, integer: true }),
      numberOptionProblem('maxClients', 1.5, { min: 0, integer: true, infinity: true }),
      numberOptionProblem('factor', Number.POSITIVE_INFINITY, { min: 1 }),
      numberOptionProblem('size', 0, { min: 0, minInclusive: false }),
      numberOptionProblem('size', Number.NaN, { min: 0 }),
      numberOptionProblem('size', '5', { min: 0 }),
      numberOptionProblem('size', undefined, { min: 0 }),
    ]).toEqual([
      'retryMs must be an integer at least 0 and at most 10, got -1',
      'maxClients must be an integer at least 0, or Infinity, got 1.5',
      'factor must be a number at least 1, got Infinity',
      'size must be a number above 0, got 0',
      'size must be a number at least 0, got NaN',
      'size must be a number at least 0, got "5"',
      'size must be a number at least 0, got undefined',
    ]);
  });
});
