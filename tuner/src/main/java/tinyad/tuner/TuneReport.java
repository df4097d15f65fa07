package tinyad.tuner;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tinyad.common.AtomicFiles;
import tinyad.report.Charts;

/** The leaderboard of a tune run: report.md (table), leaderboard.csv (every structure) and leaderboard.png. */
public final class TuneReport {
    private TuneReport() {}

    /** The table's rows: rank, candidate, F1, FAR, ROC-AUC, flash, RAM, cycles. */
    public static String table(List<Tuner.Entry> board, int rows) {
        StringBuilder b = new StringBuilder("| # | candidate | alarm F1 | FAR | ROC-AUC | flash | RAM | cycles/window |\n|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < Math.min(rows, board.size()); i++) {
            Tuner.Entry e = board.get(i);
            b.append(String.format(Locale.ROOT, "| %d | %s | %.3f | %.3f | %.4f | %,d B | %,d B | %,d |%n", i + 1, e.candidate().describe(),
                    e.f1(), e.far(), e.auc(), e.cost().flash(), e.cost().ram(), e.cost().cycles()));
        }
        return b.toString();
    }

    public static String csv(List<Tuner.Entry> board) {
        StringBuilder b = new StringBuilder("rank,window,hop,features,detector,k,score,layers,percentile,rule_k,rule_n,holdoff,hysteresis,f1,far,roc_auc,flash,ram,cycles\n");
        for (int i = 0; i < board.size(); i++) {
            Tuner.Entry e = board.get(i);
            Structure s = e.candidate().structure();
            RuleShape r = e.candidate().rule();
            b.append(String.format(Locale.ROOT, "%d,%d,%d,%s,%s,%d,%s,%s,%s,%d,%d,%d,%b,%.5f,%.5f,%.5f,%d,%d,%d%n", i + 1, s.window(), s.hop(), s.features(), s.kind(), s.k(),
                    s.isAutoencoder() ? "" : s.radius() ? "radius" : "distance", s.layers(), Candidate.pct(e.candidate().percentile()), r.k(), r.n(), r.holdoff(), r.hysteresis(),
                    e.f1(), e.far(), e.auc(), e.cost().flash(), e.cost().ram(), e.cost().cycles()));
        }
        return b.toString();
    }

    /** Writes the report directory: every file complete before it appears. */
    public static void write(java.nio.file.Path dir, Tuner.Result r, String title, Map<String, String> provenance) {
        AtomicFiles.writeTree(dir, tmp -> {
            Map<String, double[][]> series = new LinkedHashMap<>();
            for (String f : r.leaderboard().stream().map(e -> e.candidate().structure().features()).distinct().toList()) {
                List<Tuner.Entry> es = r.leaderboard().stream().filter(e -> e.candidate().structure().features().equals(f)).toList();
                double[][] xy = new double[2][es.size()];
                for (int i = 0; i < es.size(); i++) { xy[0][i] = es.get(i).cost().cycles(); xy[1][i] = es.get(i).f1(); }
                series.put(f, xy);
            }
            Charts.scatter(tmp.resolve("leaderboard.png"), title, "cycles per window (features + score, estimated)", "alarm F1 (tuning data)", series, true);
            Files.writeString(tmp.resolve("leaderboard.csv"), csv(r.leaderboard()), StandardCharsets.UTF_8);
            StringBuilder b = new StringBuilder("# ").append(title).append("\n\n");
            b.append(String.format(Locale.ROOT, "%d structures trained, %d dropped (over the target's budget, or too little data to train); each "
                    + "with every threshold percentile and alarm rule. Best first, one row per structure (its best alarm decision):%n%n",
                    r.leaderboard().size(), r.dropped().size()));
            b.append(table(r.leaderboard(), 20)).append('\n');
            b.append("![leaderboard](leaderboard.png)\n\nEvery structure: `leaderboard.csv`.\n\n");
            if (!r.dropped().isEmpty()) {
                b.append("Dropped:\n\n");
                r.dropped().forEach(d -> b.append("- ").append(d.structure().describe()).append(": ").append(d.why()).append('\n'));
                b.append('\n');
            }
            b.append("## Provenance\n\n| | |\n|---|---|\n");
            provenance.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
            Files.writeString(tmp.resolve("report.md"), b.toString(), StandardCharsets.UTF_8);
        });
    }
}
