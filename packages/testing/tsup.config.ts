import { libraryBuild } from '../../tsup.shared';

// Web-standard APIs only: the same mocks run under msw's setupServer (Node) and setupWorker
// (browsers). `msw` and `zod` are peers, never bundled.
export default libraryBuild({ platform: 'neutral', external: ['msw', 'zod'] });
