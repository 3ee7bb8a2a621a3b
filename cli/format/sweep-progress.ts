import { isQuiet } from '../style.js';

/**
 * The sweep's progress bar: on stderr, with an ETA, and only when stderr is a terminal and
 * not `--quiet` (a redirected stderr or a CI log gets no bar). cli-progress is imported only when a bar is drawn.
 */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

export const progressBar = async (stream: NodeJS.WriteStream, label: string): Promise<Progress> => {
  if (stream.isTTY !== true || isQuiet()) return NONE;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage} % · {value}/{total} runs · ETA {eta_formatted}`,
      etaBuffer: 200,
      fps: 5,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
};
