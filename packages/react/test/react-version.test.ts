import { version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, it } from 'vitest';

it('runs the suites on the React major this project is for', () => {
  const major = process.env.EXPECTED_REACT_MAJOR ?? '19';
  expect({ react: version.split('.')[0], reactDom: domVersion.split('.')[0] }).toEqual({
    react: major,
    reactDom: major,
  });
});
