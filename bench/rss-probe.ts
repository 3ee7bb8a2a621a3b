/**
 * Loaded with `node --import dist/bench/rss-probe.js <script>`: when the process exits, writes its
 * peak resident set size (getrusage ru_maxrss) to stderr as one JSON line, so a benchmark can
 * measure any command — the CLI itself — without an external `time` binary.
 */
process.on('exit', () => {
  process.stderr.write(`\n${JSON.stringify({ livesimPeakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
});
