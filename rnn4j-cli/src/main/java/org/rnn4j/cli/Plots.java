package org.rnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The CLI's PNG plots, drawn headless with XChart: the training curves, actual vs predicted on the test part, and
 * history plus forecast. Time axes show the CSV's dates when it has a date column, else its row numbers.
 *
 * <pre>{@code
 * Plots.history(history.history(), Path.of("model.history.png"), "lstm:32 on airline-passengers.csv");
 * }</pre>
 */
final class Plots {
    static final int WIDTH = 1000;
    static final int HEIGHT = 500;
    private static final Color ACTUAL = new Color(0x22, 0x22, 0x22);
    private static final Color MODEL = new Color(0x1f, 0x77, 0xb4);
    private static final Color BASELINE = new Color(0x99, 0x99, 0x99);
    private static final Color FORECAST = new Color(0xd6, 0x27, 0x28);
    private static final Color VALIDATION = new Color(0xff, 0x7f, 0x0e);

    static {
        System.setProperty("java.awt.headless", "true"); // no display needed, on a server or in CI
    }

    private Plots() {}

    /** Loss and validation loss per epoch; {@code bestEpoch} (1-based, or 0) is marked when early stopping kept it. */
    static void history(java.util.Map<String, List<Double>> history, int bestEpoch, Path png, String title) {
        XYChart chart = chart(title, "epoch", "loss (mean squared error, scaled units)");
        double min = Double.POSITIVE_INFINITY, max = 0;
        for (String key : List.of("loss", "val_loss")) {
            List<Double> values = history.get(key);
            if (values == null || values.isEmpty()) continue;
            List<Integer> epochs = new ArrayList<>();
            for (int e = 1; e <= values.size(); e++) epochs.add(e);
            XYSeries s = chart.addSeries(key.equals("loss") ? "training loss" : "validation loss", epochs, values);
            style(s, key.equals("loss") ? MODEL : VALIDATION, 2f, false);
            for (double v : values) {
                if (v > 0) min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        // Losses often fall by orders of magnitude: a log axis keeps the late epochs readable.
        if (min > 0 && max / min > 30) chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern(max < 0.1 ? "0.0###" : "0.0##");
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        if (bestEpoch > 0) {
            chart.addAnnotation(new AnnotationLine(bestEpoch, true, false));
            int epochs = history.getOrDefault("loss", List.of()).size();
            // Beside the line, on the side with more room (the text is centred on its x).
            double offset = 0.13 * Math.max(epochs - 1, 1);
            double textX = bestEpoch > (1 + epochs) / 2.0 ? bestEpoch - offset : bestEpoch + offset;
            chart.addAnnotation(new AnnotationText("best epoch " + bestEpoch + " (weights kept)", textX, 0.5 * (min + max), false));
        }
        write(chart, png);
    }

    /** Height of the overview panel drawn above the main one when the main panel is zoomed. */
    static final int OVERVIEW_HEIGHT = 170;
    /** The main panel zooms when the window shown is less than this share of the history. */
    static final double ZOOM_BELOW = 0.25;

    /**
     * Actual vs predicted on the test part: the model's first-step predictions and the seasonal-naive ones if given.
     * When the test part is a small share of a long series, the main panel shows the test part (with a third of its
     * length of context before it) and a small overview panel above shows the whole history with the zoomed span
     * marked; the image is then {@link #OVERVIEW_HEIGHT} taller.
     */
    static void testFit(SeriesData data, Forecaster.Evaluation e, String modelName, int horizon, Path png) {
        int first = e.times()[0], last = e.times()[e.times().length - 1];
        int n = data.size();
        boolean zoom = last - first + 1 < ZOOM_BELOW * n;
        int from = zoom ? Math.max(0, first - (last - first + 1) / 3) : 0;
        XYChart chart = chart(data.targetName() + ": test part, " + Report.testPart(data, e, horizon)
                + (horizon > 1 ? " (first steps drawn)" : ""), axisTitle(data), data.targetName());
        List<Float> allY = new ArrayList<>();
        for (int t = from; t < n; t++) allY.add(data.target()[t]);
        style(chart.addSeries("actual", xs(data, from, n), allY), ACTUAL, 1.6f, false);
        List<Object> testX = new ArrayList<>();
        List<Float> predicted = new ArrayList<>(), seasonal = new ArrayList<>();
        for (int i = 0; i < e.times().length; i++) {
            testX.add(x(data, e.times()[i]));
            predicted.add(e.predicted()[i]);
            if (e.seasonal() != null) seasonal.add(e.seasonal()[i]);
        }
        if (e.seasonal() != null) style(chart.addSeries("seasonal-naive (value one season earlier)", testX, seasonal), BASELINE, 1.4f, true);
        style(chart.addSeries("model: " + modelName + (horizon == 1 ? " (one step ahead)" : " (first of " + horizon + " steps)"),
                testX, predicted), MODEL, 2.2f, false);
        chart.addAnnotation(new AnnotationLine(xValue(data, first), true, false));
        dateAxis(chart, data, from, data.dates == null ? null : data.dates[n - 1]);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        write(zoom ? withOverview(data, from, first, null, chart) : BitmapEncoder.getBufferedImage(chart), png);
    }

    /**
     * The history and the forecast, which continues from the last known value. For a long history the main panel
     * shows the forecast with as much recent history as three times its length (at least a tenth of the series), and
     * the overview panel above shows the whole history.
     */
    static void forecast(SeriesData data, float[] forecast, List<LocalDateTime> futureDates, Path png) {
        int n = data.size();
        int context = Math.max(3 * forecast.length, n / 10);
        boolean zoom = context + forecast.length < ZOOM_BELOW * (n + forecast.length);
        int from = zoom ? n - context : 0;
        XYChart chart = chart(data.targetName() + ": " + forecast.length + "-step forecast"
                + (zoom ? " after the last " + context + " values" : " after the history"), axisTitle(data), data.targetName());
        List<Float> history = new ArrayList<>();
        for (int t = from; t < n; t++) history.add(data.target()[t]);
        style(chart.addSeries("history", xs(data, from, n), history), ACTUAL, 1.6f, false);
        List<Object> fx = new ArrayList<>();
        List<Float> fy = new ArrayList<>();
        fx.add(x(data, n - 1));
        fy.add(data.target()[n - 1]);
        for (int k = 0; k < forecast.length; k++) {
            fx.add(futureDates != null ? (Object) year(futureDates.get(k)) : (Object) (n + k + 2));
            fy.add(forecast[k]);
        }
        XYSeries f = chart.addSeries("forecast", fx, fy);
        style(f, FORECAST, 2.2f, false);
        f.setMarker(SeriesMarkers.CIRCLE);
        dateAxis(chart, data, from, futureDates == null ? null : futureDates.get(futureDates.size() - 1));
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        write(zoom ? withOverview(data, from, -1, forecast, chart) : BitmapEncoder.getBufferedImage(chart), png);
    }

    /**
     * The main chart below a small overview of the whole series, on which the span the main chart shows starts at the
     * first dashed line (and the test part at the second, when given).
     */
    private static java.awt.image.BufferedImage withOverview(SeriesData data, int from, int testStart, float[] forecast,
                                                             XYChart main) {
        int n = data.size();
        XYChart overview = new XYChart(WIDTH, OVERVIEW_HEIGHT);
        overview.setTitle("whole history (" + data.label(0) + " to " + data.label(n - 1) + "); below: from " + data.label(from));
        var st = overview.getStyler();
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(new Color(0xf7, 0xf7, 0xf7));
        st.setPlotBorderVisible(true);
        st.setPlotBorderColor(new Color(0xbb, 0xbb, 0xbb));
        st.setPlotGridLinesVisible(false);
        st.setChartTitleBoxVisible(false);
        st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        st.setLegendVisible(false);
        st.setMarkerSize(0);
        st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        st.setAnnotationLineColor(new Color(0x88, 0x88, 0x88));
        st.setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        List<Float> all = new ArrayList<>();
        for (float v : data.target()) all.add(v);
        style(overview.addSeries("history", xs(data, 0, n), all), ACTUAL, 1f, false);
        overview.addAnnotation(new AnnotationLine(xValue(data, from), true, false));
        if (testStart > 0) overview.addAnnotation(new AnnotationLine(xValue(data, testStart), true, false));
        dateAxis(overview, data, 0, data.dates == null ? null : data.dates[n - 1]);
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(WIDTH, OVERVIEW_HEIGHT + HEIGHT,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.drawImage(BitmapEncoder.getBufferedImage(overview), 0, 0, null);
        g.drawImage(BitmapEncoder.getBufferedImage(main), 0, OVERVIEW_HEIGHT, null);
        g.dispose();
        return img;
    }

    // ---------------------------------------------------------------- shared look

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChart(WIDTH, HEIGHT);
        chart.setTitle(title);
        chart.setXAxisTitle(xTitle);
        chart.setYAxisTitle(yTitle);
        var s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(new Color(0xbb, 0xbb, 0xbb));
        s.setPlotGridLinesColor(new Color(0xe6, 0xe6, 0xe6));
        s.setLegendBorderColor(new Color(0xcc, 0xcc, 0xcc));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 230));
        s.setChartTitleBoxVisible(false);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setMarkerSize(0);
        s.setAnnotationLineColor(new Color(0x88, 0x88, 0x88));
        s.setAnnotationLineStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
        s.setAnnotationTextFontColor(new Color(0x55, 0x55, 0x55));
        return chart;
    }

    private static void style(XYSeries s, Color color, float width, boolean dashed) {
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineWidth(width);
        if (dashed) s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
    }

    private static String axisTitle(SeriesData data) { return data.dateColumn != null ? data.dateColumn : "row"; }

    private static List<Object> xs(SeriesData data, int from, int to) {
        List<Object> out = new ArrayList<>();
        for (int t = from; t < to; t++) out.add(x(data, t));
        return out;
    }

    /** The x value of step {@code t}: its date as a fractional year, or its spreadsheet row number (header = 1). */
    private static Object x(SeriesData data, int t) {
        return data.dates != null ? (Object) year(data.dates[t]) : (Object) (t + 2);
    }

    private static double xValue(SeriesData data, int t) {
        return data.dates != null ? year(data.dates[t]) : t + 2;
    }

    /*
     * Dates are drawn on a numeric axis of fractional years, labelled by a formatter that turns each tick back into a
     * date. XChart's own date axis puts its ticks a little off the calendar, so a tick at 1981-01-01 could read "1980".
     */
    static double year(LocalDateTime d) {
        LocalDateTime start = LocalDateTime.of(d.getYear(), 1, 1, 0, 0);
        double length = Duration.between(start, start.plusYears(1)).getSeconds();
        return d.getYear() + Duration.between(start, d).getSeconds() / length;
    }

    static LocalDateTime dateOf(double year) {
        int y = (int) Math.floor(year);
        LocalDateTime start = LocalDateTime.of(y, 1, 1, 0, 0);
        double length = Duration.between(start, start.plusYears(1)).getSeconds();
        // Round to the minute so that a tick at 1983.0 reads 1983, not 1982-12-31T23:59.
        long minutes = Math.round((year - y) * length / 60);
        return start.plusMinutes(minutes);
    }

    /** Tick labels fitted to the span shown: years, months, days or times. */
    static String dateLabel(double year, double spanYears) {
        LocalDateTime d = dateOf(year);
        boolean yearStart = d.getDayOfYear() == 1 && d.toLocalTime().equals(LocalTime.MIDNIGHT);
        if (spanYears >= 4 && yearStart) return Integer.toString(d.getYear());
        if (spanYears >= 0.25) return YearMonth.from(d).toString();
        if (spanYears >= 3 / 365.0) return d.toLocalDate().toString();
        return d.toLocalDate() + " " + d.toLocalTime();
    }

    private static void dateAxis(XYChart chart, SeriesData data, int from, LocalDateTime last) {
        if (data.dates == null) {
            chart.getStyler().setXAxisDecimalPattern("#");
            return;
        }
        double span = year(last) - year(data.dates[from]);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> dateLabel(v, span));
    }

    private static void write(XYChart chart, Path png) { write(BitmapEncoder.getBufferedImage(chart), png); }

    private static void write(java.awt.image.BufferedImage image, Path png) {
        try {
            Path parent = png.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            org.rnn4j.io.AtomicFiles.write(png, out -> javax.imageio.ImageIO.write(image, "png", out));
        } catch (IOException e) {
            throw new UserInputException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }
}
