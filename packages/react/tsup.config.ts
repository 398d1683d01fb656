import { libraryBuild } from '../../tsup.shared';

// Web-standard APIs only (the hooks run in browsers and in server renderers); `react`,
// `@app/sse-client` and `@tanstack/react-query` are peers, never bundled.
export default libraryBuild({
  entry: ['src/index.ts', 'src/query.ts'],
  platform: 'neutral',
  external: ['react', '@app/sse-client', '@tanstack/react-query'],
});
