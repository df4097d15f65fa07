package tinyad.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * NAB's scoring on hand-computed cases. Expected values were worked out by hand from the published formula
 * (scaled sigmoid 2 / (1 + e^(5y)) - 1; TP weight normalised by its value at y = -1), not by this code:
 * sigma(-1) = 0.9866142982, sigma(-0.5) = 0.8482836400, sigma(6/9) = -0.9311096087.
 */
class NabScoreTest {
    // three windows of 10 rows: A = 10..19, B = 40..49, C = 70..79, in 100 rows
    static final List<NabScore.Window> W = List.of(new NabScore.Window(10, 19), new NabScore.Window(40, 49), new NabScore.Window(70, 79));

    static boolean[] at(int n, int... rows) {
        boolean[] d = new boolean[n];
        for (int r : rows) d[r] = true;
        return d;
    }

    @Test
    void onTimeLateFalsePositivesAndAMissedWindow() {
        // row 10: first row of A (+1); row 45: late in B, y = -(49 - 45 + 1) / 10 = -0.5 -> 0.8482836400 / 0.9866142982
        // = 0.8597925669; row 47 in B does not count again; row 55: 6 rows after B, y = 6 / 9 -> 0.11 * -0.9311096087;
        // row 5: before any window -> 0.11 * -1; C missed -> -1
        boolean[] d = at(100, 5, 10, 45, 47, 55);
        NabScore.Result r = NabScore.score(d, W, 0, NabScore.STANDARD);
        assertEquals(1 + 0.8597925669 - 0.11 * 0.9311096087 - 0.11 - 1, r.raw(), 1e-9);
        assertEquals(0.6473705100, r.raw(), 1e-9);
        assertEquals(-3, r.nullScore());
        assertEquals(3, r.perfect());
        assertEquals(2, r.tp());
        assertEquals(2, r.fp());
        assertEquals(1, r.fn());
        assertEquals(100 * (0.6473705100 + 3) / 6, r.normalised(), 1e-7);   // 60.79
        assertEquals(0.4349484530, NabScore.score(d, W, 0, NabScore.LOW_FP).raw(), 1e-9);   // FPs weigh 0.22
        assertEquals(-0.3526294900, NabScore.score(d, W, 0, NabScore.LOW_FN).raw(), 1e-9);   // the miss weighs 2
    }

    @Test
    void nullAndPerfectDetectorsScoreZeroAndHundred() {
        assertEquals(0, NabScore.score(new boolean[100], W, 0, NabScore.STANDARD).normalised(), 1e-12);
        assertEquals(100, NabScore.score(at(100, 10, 40, 70), W, 0, NabScore.STANDARD).normalised(), 1e-12);
        // a detection at a window's last row earns almost nothing: y = -1/10
        double last = (2 / (1 + Math.exp(-0.5)) - 1) / (2 / (1 + Math.exp(-5)) - 1);
        assertEquals(0.2482, last, 1e-4);
        assertEquals(last - 2, NabScore.score(at(100, 19), W, 0, NabScore.STANDARD).raw(), 1e-12);
    }

    @Test
    void falsePositivesFarPastAWindowCostTheFullWeightAndProbationIsNotScored() {
        // row 119 is 40 rows past C: y = 40 / 9 > 3 -> -1 * 0.11; row 99, 20 past: y = 20 / 9 -> sigma = -0.99997
        assertEquals(-0.11 - 3, NabScore.score(at(120, 119), W, 0, NabScore.STANDARD).raw(), 1e-12);
        assertEquals(-0.11 * 0.9999701 - 3, NabScore.score(at(120, 99), W, 0, NabScore.STANDARD).raw(), 1e-8);
        // probation 30: window A lies inside it and is not counted; the detection at 10 is ignored
        NabScore.Result r = NabScore.score(at(100, 10, 40), W, 30, NabScore.STANDARD);
        assertEquals(1 - 1, r.raw(), 1e-12);
        assertEquals(-2, r.nullScore());
        assertEquals(750, NabScore.probation(22695));
        assertEquals(150, NabScore.probation(1000));
    }

    @Test
    void windowsAreRunsOfLabelledRows() {
        assertEquals(List.of(new NabScore.Window(1, 2), new NabScore.Window(5, 5)), NabScore.windows(new int[] {0, 1, 1, 0, 0, 1}));
    }
}
