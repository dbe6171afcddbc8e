import { startServer } from '../serve/serve-app.js';
import { EXIT_CODES } from '../exit-codes.js';
import { withWorkspace } from './with-workspace.js';

export interface ServeCommandOptions {
  file: string;
  state?: string;
  host: string;
  port: number;
}

/**
 * `segflow serve FILE`: runs until SIGTERM or Ctrl-C, then stops accepting,
 * answers the requests in flight, stores what the journals hold and exits 0.
 */
export async function serveCommand(options: ServeCommandOptions): Promise<number> {
  return withWorkspace(options.file, options.state, async (workspace) => {
    const server = await startServer(workspace, { host: options.host, port: options.port });
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        resolve();
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    await server.close();
    return EXIT_CODES.done;
  });
}
