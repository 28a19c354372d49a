// The DuckDB side of scripts/bench-vs-duckdb.sh.
//
// Ranks the files of `go run ./internal/synth/gen` as
// `afkar rank --scores SCORES --format csv rubric.json` does (no projects
// file: every project in the group ""), in one SQL statement, COPY (… GROUP
// BY … ORDER BY …) TO, in float64, and writes the same CSV columns:
//
//   node rank_duckdb.js rubric.json wide.csv|long.csv|dataset.json out.csv
//
// It follows the rubric's mean aggregation, relative or exact weights,
// quorum (min_judges), rounding to its places (half away from zero, on
// doubles), and the tie-break chain criterion:<c>, submitted_at (the
// generated projects have none) and id, competition ranks and top. It is a
// yardstick for speed and memory, not an exact engine: float64 means and
// sums can split or merge ties that the exact engine decides otherwise.
// Run it with @duckdb/node-api installed beside it (the bench script does).
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

async function main(rubricPath, scoresPath, outPath) {
  const ds = JSON.parse(fs.readFileSync(rubricPath, 'utf8'));
  const rubric = ds.rubric, ranking = ds.ranking || {};
  const scale = rubric.scale || {};
  const crit = rubric.criteria.map((c) => ({
    id: c.id,
    lo: Number(c.min ?? scale.min ?? 0),
    hi: Number(c.max ?? scale.max ?? 20),
    w: Number(c.weight),
  }));
  const wsum = rubric.weights === 'relative' ? crit.reduce((s, c) => s + c.w, 0) : 1;
  const totalMax = Number(rubric.total_max ?? 100);
  const places = rubric.rounding?.places ?? 2;
  const minJudges = rubric.min_judges ?? 1;
  const top = ranking.top ?? 0;
  const by = (ranking.tie_break || []).filter((r) => r.startsWith('criterion:')).map((r) => r.slice(10));
  const q = (s) => "'" + s.replaceAll("'", "''") + "'";

  let source, agg;
  if (scoresPath.endsWith('.json')) {
    source = `(SELECT s.project, s.judge, s.criterion, CAST(s.score AS DOUBLE) AS score FROM
      (SELECT unnest(scores) AS s FROM read_json(${q(scoresPath)}, maximum_object_size=4000000000)))`;
  } else {
    source = `read_csv(${q(scoresPath)}, header=true, types={'project': 'VARCHAR', 'judge': 'VARCHAR'})`;
  }
  const long = scoresPath.endsWith('.json') || fs.readFileSync(scoresPath, { encoding: 'utf8', end: 200 }).split('\n')[0].includes('criterion');
  if (long) {
    agg = crit.map((c) => `avg(score) FILTER (WHERE criterion = ${q(c.id)}) AS "m_${c.id}", count(score) FILTER (WHERE criterion = ${q(c.id)}) AS "n_${c.id}"`).join(', ');
  } else {
    agg = crit.map((c) => `avg("${c.id}") AS "m_${c.id}", count("${c.id}") AS "n_${c.id}"`).join(', ');
  }
  const total = crit.map((c) => `${totalMax * c.w / wsum / (c.hi - c.lo)} * ("m_${c.id}" - ${c.lo})`).join(' + ');
  const eligible = crit.map((c) => `"n_${c.id}" >= ${minJudges}`).join(' AND ');
  const fmt = (x) => `printf('%.${places}f', ${x})`;
  const order = ['total DESC', ...by.map((c) => `"r_${c}" DESC`), 'id'].join(', ');
  // What put each project ahead of the next: the total, a criterion, or the id.
  let decided = `'id'`;
  for (const c of [...by].reverse()) {
    decided = `CASE WHEN "r_${c}" <> lead("r_${c}") OVER w THEN 'criterion:${c}' ELSE ${decided} END`;
  }
  decided = `CASE WHEN lead(total) OVER w IS NULL THEN '' WHEN total <> lead(total) OVER w THEN 'total' ELSE ${decided} END`;
  const sql = `COPY (
    WITH a AS (SELECT project AS id, count(DISTINCT judge) AS judges, ${agg} FROM ${source} GROUP BY project),
    t AS (SELECT *, round(${total}, ${places}) AS total, ${crit.map((c) => `round("m_${c.id}", ${places}) AS "r_${c.id}"`).join(', ')},
                 ${eligible} AS eligible FROM a),
    r AS (SELECT *, row_number() OVER w AS rank, ${decided} AS decided_by FROM t WHERE eligible WINDOW w AS (ORDER BY ${order}))
    SELECT rank, id, '' AS title, '' AS "group", rank AS group_rank, ${fmt('total')} AS total,
           ${crit.map((c) => `${fmt(`"r_${c.id}"`)} AS "${c.id}"`).join(', ')},
           judges, 'true' AS eligible, CASE WHEN rank <= ${top} THEN 'true' ELSE 'false' END AS selected, decided_by, '' AS reasons
    FROM r ORDER BY rank
  ) TO ${q(outPath)} (HEADER, DELIMITER ',', QUOTE '')`;
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  await con.run(sql);
}

if (process.argv.length !== 5) {
  console.error('usage: node rank_duckdb.js rubric.json SCORES out.csv');
  process.exit(2);
}
main(...process.argv.slice(2)).catch((e) => { console.error(e); process.exit(1); });
