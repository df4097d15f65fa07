package tinyad.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;

class ThresholdsTest {
    @Test
    void percentileOfTheHeldOutScoresWhenTheyVary() {
        double[] held = {1, 2, 3, 4, 5};
        assertEquals(5, Thresholds.fromTraining(held, new double[] {0, 10}, 100), 0);
        assertEquals(3, Thresholds.fromTraining(held, new double[] {0, 10}, 50), 0);
    }

    @Test
    void constantHeldOutScoresTakeTheThresholdFromTheFittedScores() {
        double[] held = {1e-15, 1e-15, 1e-15};
        double[] fitted = {0.5, 1.0, 2.0, 4.0};
        assertEquals(4.0, Thresholds.fromTraining(held, fitted, 100), 0, "never ~1e-15");
        assertEquals(1.5, Thresholds.fromTraining(held, fitted, 50), 1e-12);
    }

    @Test
    void noSpreadAnywhereIsRefused() {
        DataException e = assertThrows(DataException.class,
                () -> Thresholds.fromTraining(new double[] {0, 0}, new double[] {1e-16, 0}, 99.5));
        assertTrue(e.getMessage().contains("scores alike"), e.getMessage());
    }
}
