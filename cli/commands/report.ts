import type { Argv } from 'yargs';
import { InputError } from '../../src/scenario/input-error.js';

export const reportCommand = {
  command: 'report <files..>',
  describe: 'Markdown report with SVG charts (and report.html) from sweep files',
  builder: (y: Argv) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'sweep files (JSON Lines from `livesim sweep`; shards of one sweep are joined)' })
      .option('out', {
        type: 'string',
        requiresArg: true,
        demandOption: 'the report directory, e.g. --out report/',
        describe: 'directory for README.md, the SVG charts and report.html',
      })
      .option('force', { type: 'boolean', describe: 'replace an existing report in --out' })
      .example('livesim report s.jsonl --out report/', 'report/README.md, report/*.svg, report/report.html'),
  handler: async (argv: { files?: readonly string[]; out?: string; force?: boolean }) => {
    if (argv.out === undefined) throw new InputError('report: --out DIR is required');
    const { writeReport } = await import('../../src/report/report.js');
    const r = await writeReport({ files: (argv.files ?? []).map(String), out: argv.out, force: argv.force === true });
    const runs = r.sweeps.reduce((n, s) => n + s.runs, 0);
    process.stderr.write(
      `report: ${r.sweeps.length} sweep${r.sweeps.length > 1 ? 's' : ''}, ${runs} runs → ${r.dir}/README.md (+ ${r.written.length - 1} files)\n`,
    );
  },
};
