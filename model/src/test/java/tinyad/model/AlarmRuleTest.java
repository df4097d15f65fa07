package tinyad.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

class AlarmRuleTest {
    static boolean[] bits(String s) {
        boolean[] b = new boolean[s.length()];
        for (int i = 0; i < b.length; i++) b[i] = s.charAt(i) == '1';
        return b;
    }

    @Test
    void legacyRuleMakesEveryRunOfWindowsOverTheThresholdOneEvent() {
        double[] s = {0, 5, 6, 0, 0, 7, 1, 9};
        AlarmRule.Result r = AlarmRule.legacy(1).run(s);
        // threshold 1: over at 1, 2, 5, 7; the score 1 at window 6 is not over (alarm when score > threshold)
        assertArrayEquals(bits("01100101"), r.alarm());
        assertEquals(List.of(new AlarmRule.Event(1, 3, 6), new AlarmRule.Event(5, 6, 7), new AlarmRule.Event(7, -1, 9)), r.events());
    }

    @Test
    void onsetNeedsKOfTheLastNWindows() {
        // k = 2 of n = 3: windows 0 and 2 are over (2 of the last 3 at window 2) -> start at 2
        AlarmRule rule = new AlarmRule(2, 3, 0, 10, 10);
        AlarmRule.Result r = rule.run(new double[] {11, 0, 12, 0, 0, 13, 0, 0, 14});
        assertEquals(2, r.events().get(0).start());
        assertEquals(3, r.events().get(0).end(), "ends at the first score <= re-arm");
        // after the end the history is empty: 5 alone, then 8 alone (5 and 8 are 4 apart), no second onset
        assertEquals(1, r.events().size());
    }

    @Test
    void holdOffKeepsTheEventOpenAndHysteresisNeedsTheLowerThreshold() {
        // threshold 10, re-arm 4, hold-off 2: start at 0; windows 1 and 2 cannot end it; window 3 (6) is above
        // the re-arm level; window 4 (4) ends it; window 5 (11) starts a new one
        AlarmRule rule = new AlarmRule(1, 1, 2, 10, 4);
        AlarmRule.Result r = rule.run(new double[] {20, 0, 0, 6, 4, 11, 30, 3});
        assertArrayEquals(bits("11110111"), r.alarm());
        assertEquals(List.of(new AlarmRule.Event(0, 4, 20), new AlarmRule.Event(5, -1, 30)), r.events());
        // the second event: start 5, hold-off covers 6 and 7, so 3 <= 4 at window 7 does not end it
    }

    @Test
    void stateReportsStartAndEndOnce() {
        AlarmRule.State st = new AlarmRule.State(new AlarmRule(1, 2, 0, 0, 0));
        assertEquals(AlarmRule.START, st.update(1));
        assertEquals(AlarmRule.NONE, st.update(5));
        assertEquals(5, st.peak());
        assertEquals(AlarmRule.END, st.update(0));
        assertFalse(st.active());
        assertEquals(AlarmRule.NONE, st.update(0));
    }

    @Test
    void historyForgetsWindowsOlderThanN() {
        // k = 2 of n = 2: over at 0 and 2 are never 2 of the last 2
        assertTrue(new AlarmRule(2, 2, 0, 0, 0).run(new double[] {1, 0, 1, 0, 1}).events().isEmpty());
        // n = 32 keeps all 32 bits: 2 overs 31 windows apart are 2 of the last 32
        double[] s = new double[32];
        s[0] = 1;
        s[31] = 1;
        assertEquals(31, new AlarmRule(2, 32, 0, 0, 0).run(s).events().get(0).start());
        double[] t = new double[33];
        t[0] = 1;
        t[32] = 1;
        assertTrue(new AlarmRule(2, 32, 0, 0, 0).run(t).events().isEmpty(), "33 apart: the first has left the history");
    }

    @Test
    void chosenRuleRaisesNoEventOnTheHeldOutWindowsItWasChosenOn() {
        double[] held = new double[100];
        for (int i = 0; i < held.length; i++) held[i] = i % 10;   // a ramp 0..9 every 10 windows: percentile 90 = 8.1
        AlarmRule r = AlarmRule.choose(held, 8.5);
        assertEquals(8, r.n());
        assertEquals(2, r.k(), "k = 1 alarms on the lone 9s, k = 2 never sees two within 8 windows");
        assertEquals(100, r.holdoff());
        assertEquals(8.1, r.rearm(), 1e-12);
        assertTrue(r.run(held).events().isEmpty());
    }

    @Test
    void rejectsImpossibleRules() {
        assertThrows(IllegalArgumentException.class, () -> new AlarmRule(3, 2, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AlarmRule(1, 33, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new AlarmRule(1, 1, 70000, 0, 0));
    }
}
