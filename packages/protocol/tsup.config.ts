import { libraryBuild } from '../../tsup.shared';

// Web-standard APIs only: the same build runs in browsers, Node, Deno, Bun and workers.
export default libraryBuild({ platform: 'neutral' });
