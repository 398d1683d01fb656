import { libraryBuild } from '../../tsup.shared';

// Node only (a Redis connection is a TCP socket). The Redis client and zod are never bundled.
export default libraryBuild({ platform: 'node', external: ['@redis/client', '@app/sse-server', 'zod'] });
