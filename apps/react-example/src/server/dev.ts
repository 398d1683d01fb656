import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { listenOn } from './listen';
import { createNotesApp } from './notes-app';

// Development, one command (`npm run example` at the repository root): the Express backend on
// BACKEND_PORT (3001), and Vite's dev server on PORT (5173), which serves the page with hot reload
// and forwards /api and /events to the backend through its proxy (vite.config.ts).

const notes = createNotesApp();
const backend = await listenOn(notes.app, Number(process.env.BACKEND_PORT ?? 3001));
process.env.BACKEND_URL = `http://127.0.0.1:${backend.port}`;
const vite = await createServer({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  server: { port: Number(process.env.PORT ?? 5173), host: '127.0.0.1' },
});
await vite.listen();
vite.printUrls();
console.log(`  Backend (API and /events): ${process.env.BACKEND_URL}\n`);
// One Ctrl-C can arrive twice at once (from the terminal, and passed on by `npm run example`): the
// servers are closed once, and the process ends when they are. Another press, later, forces it.
let closingSince: number | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closingSince !== undefined) {
      if (performance.now() - closingSince >= 500) process.exit(1);
      return;
    }
    closingSince = performance.now();
    await notes.close();
    backend.server.close();
    await vite.close();
  });
}
