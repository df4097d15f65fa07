package tinyad.tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import tinyad.common.DataException;
import tinyad.datasets.SensorTable;
import tinyad.model.Detector;

/**
 * {@code tinyad tune} from its inputs to the chosen model: the tasks (held-out normal rows with injected faults, or the
 * user's labelled validation recordings), the search, and the chosen candidate trained on all the training rows as
 * {@code tinyad train} would with the same options (the model file is an ordinary float model).
 */
public final class Tune {
    private Tune() {}

    /** A labelled validation recording and its name. */
    public record Validation(String name, SensorTable table) {}

    public record Request(SensorTable train, List<Validation> validation, Tuner.Space space, CostModel cost, long seed, int threads,
                          double sampleRateHz, String sha256) {}

    /** The search's result, the chosen model, and what the candidates were judged on. */
    public record Outcome(Tuner.Result result, Detector model, String judgedOn) {}

    public static Outcome run(Request r, BiConsumer<Integer, Integer> progress) {
        List<Tuner.Task> tasks = new ArrayList<>();
        String judged;
        if (r.validation().isEmpty()) {
            tasks.add(SyntheticFaults.task(r.train(), r.seed()));
            judged = "the training rows' held-out last " + Math.round(SyntheticFaults.TAIL * 100)
                    + " %, as they are and with injected faults (step, noise, drift, stuck)";
        } else {
            List<Tuner.Eval> evals = new ArrayList<>();
            for (Validation v : r.validation()) {
                if (!v.table().hasLabels() || java.util.Arrays.stream(v.table().labels()).noneMatch(l -> l == 1))
                    throw new DataException(v.name() + ": a --validation recording needs labelled anomalies (a label column with 1s)");
                evals.add(new Tuner.Eval(v.table().select(r.train().channels()), 0, 1, v.name()));
            }
            tasks.add(new Tuner.Task(r.train(), evals));
            judged = "the labelled --validation recordings (" + String.join(", ", r.validation().stream().map(Validation::name).toList()) + ")";
        }
        Tuner.Result res = Tuner.run(tasks, r.space(), r.cost(), r.seed(), r.threads(), progress);
        Detector d = res.best().candidate().train(r.train(), r.seed(), r.sampleRateHz(), r.sha256());
        return new Outcome(res, d, judged);
    }
}
