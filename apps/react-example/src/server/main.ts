import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listenOn } from './listen';
import { createNotesApp } from './notes-app';

// Production: one Express server for the built page, the API and the stream.
// `pnpm --filter @app/react-example build && pnpm --filter @app/react-example start` (PORT=3000).

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
if (!existsSync(dist)) {
  console.error(
    '@app/react-example: dist/ is missing; build the page first: pnpm --filter @app/react-example build',
  );
  process.exit(1);
}
const notes = createNotesApp({ staticDir: dist });
const { server, port } = await listenOn(notes.app, Number(process.env.PORT ?? 3000));
console.log(`\n  Notes board at http://localhost:${port}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await notes.close();
    server.close();
  });
}
