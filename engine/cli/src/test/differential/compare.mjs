// Joins, per scenario, the documented expectation (requests.jsonl), Keyward's verdict (keyward can
// --format jsonl output) and iam-simulate's verdict (simulate.mjs output), and prints a Markdown report:
// the totals, then every request on which iam-simulate or Keyward differs from the expectation.
//
// Usage: node compare.mjs <scenarios-dir> <results-dir>
//   <results-dir>/<scenario>.keyward.jsonl and <results-dir>/<scenario>.iamsim.tsv per scenario.
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [scenariosDir, resultsDir] = process.argv.slice(2);
const rows = [];
for (const name of readdirSync(scenariosDir).sort()) {
  const dir = join(scenariosDir, name);
  if (!statSync(dir).isDirectory()) continue;
  const expected = readFileSync(join(dir, 'requests.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  const keyward = new Map();
  const kwFile = join(resultsDir, `${name}.keyward.jsonl`);
  if (existsSync(kwFile)) {
    for (const l of readFileSync(kwFile, 'utf8').split('\n').filter((x) => x.trim())) {
      const d = JSON.parse(l);
      keyward.set(d.id, d.decision);
    }
  }
  const sim = new Map();
  for (const l of readFileSync(join(resultsDir, `${name}.iamsim.tsv`), 'utf8').split('\n').filter((x) => x.trim())) {
    const [id, verdict, detail] = l.split('\t');
    sim.set(id, { verdict, detail: detail ?? '' });
  }
  for (const e of expected) {
    rows.push({
      scenario: name,
      id: e.id,
      expect: e.expect,
      open: e.open === true,
      doc: e.doc,
      why: e.why,
      keyward: keyward.get(e.id) ?? 'n/a',
      sim: sim.get(e.id)?.verdict ?? 'n/a',
      simDetail: sim.get(e.id)?.detail ?? ''
    });
  }
}

const count = (f) => rows.filter(f).length;
const hasKeyward = rows.some((r) => r.keyward !== 'n/a');
const out = [];
out.push(`| | requests |`);
out.push(`| --- | ---: |`);
out.push(`| scenario requests | ${rows.length} |`);
out.push(`| iam-simulate agrees with the documented expectation | ${count((r) => r.sim === r.expect)} |`);
out.push(`| iam-simulate disagrees | ${count((r) => r.sim !== r.expect && r.sim !== 'ERROR')} |`);
out.push(`| iam-simulate rejects the input (ERROR) | ${count((r) => r.sim === 'ERROR')} |`);
if (hasKeyward) {
  out.push(`| Keyward agrees with the documented expectation | ${count((r) => r.keyward === r.expect)} |`);
  out.push(`| Keyward and iam-simulate agree | ${count((r) => r.keyward === r.sim)} |`);
}
out.push('');
out.push('| request | expected | Keyward | iam-simulate | iam-simulate note | source |');
out.push('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  if (r.sim === r.expect && (!hasKeyward || r.keyward === r.expect)) continue;
  const detail = r.simDetail.slice(0, 160).replace(/\|/g, '\\|');
  out.push(
    `| \`${r.scenario}/${r.id}\`${r.open ? ' (open)' : ''} | ${r.expect} | ${r.keyward} | ${r.sim} | ${detail} | [doc](${r.doc}) |`
  );
}
console.log(out.join('\n'));
