package tinyad.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import tinyad.common.DataException;

/** Plots for reports other than the evaluation's (the tune leaderboard), with the same look. */
public final class Charts {
    private Charts() {}

    /**
     * A scatter plot of named point series ({@code {xs, ys}} each) as PNG at {@code png} (".png" added by XChart);
     * {@code logX} when the x values span decades (cycles per window).
     */
    public static void scatter(Path png, String title, String xLabel, String yLabel, Map<String, double[][]> series, boolean logX) {
        XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(7);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        series.forEach((name, xy) -> {
            if (xy[0].length > 0) c.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.CIRCLE);
        });
        String file = png.toString();
        if (file.endsWith(".png")) file = file.substring(0, file.length() - 4);
        try {
            BitmapEncoder.saveBitmap(c, file, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new DataException(png + ": cannot write the plot: " + e.getMessage());
        }
    }
}
