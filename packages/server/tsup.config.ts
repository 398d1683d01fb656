import { libraryBuild } from '../../tsup.shared';

export default libraryBuild({
  platform: 'node',
  // Keep `node:buffer`: Deno and edge runtimes resolve built-ins only with the `node:` prefix.
  removeNodeProtocol: false,
});
