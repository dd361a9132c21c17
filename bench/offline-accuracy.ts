import { checkLine, type Line, readLines } from '../test/support/command-lines.ts';

// `npm run bench:commands [-- files…] [--show]`: how many lines of commands files the offline
// command model gets right, each line in a fresh world with the demo data. Without files it
// scores the shared examples and the suite's own phrasings; `--show` prints each failure.
const args = process.argv.slice(2);
const show = args.includes('--show');
const files = args.filter((a) => a !== '--show');
const sources = files.length
  ? files
  : [
      new URL('../../shared/agents/commands.jsonl', import.meta.url).pathname,
      new URL('../test/agents/fixtures/paraphrases.jsonl', import.meta.url).pathname,
    ];

let passed = 0;
let scored = 0;
for (const file of sources) {
  const lines: Line[] = readLines(file);
  let ok = 0;
  let absent = 0;
  const started = performance.now();
  for (const line of lines) {
    const outcome = await checkLine(line);
    if (outcome.status === 'absent') absent++;
    else if (outcome.status === 'pass') ok++;
    else if (show)
      console.log(
        `  ✗ ${line.id} (${line.as}): "${line.say}"\n    ${outcome.shown.replace(/\n/g, '\n    ')}`,
      );
  }
  const n = lines.length - absent;
  const ms = (performance.now() - started) / Math.max(lines.length, 1);
  console.log(
    `${file}: ${ok}/${n} right (${((100 * ok) / Math.max(n, 1)).toFixed(1)}%)` +
      (absent ? `, ${absent} lines whose tools are absent` : '') +
      `, ${ms.toFixed(0)} ms a line including a fresh world`,
  );
  passed += ok;
  scored += n;
}
console.log(`all: ${passed}/${scored} right (${((100 * passed) / Math.max(scored, 1)).toFixed(1)}%)`);
process.exit(0);
