package org.rnn4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.rnn4j.io.AtomicFiles;
import org.rnn4j.layers.InputLayer;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.Layer;
import org.rnn4j.layers.Node;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Shapes;

/**
 * Keras's {@code keras.utils.plot_model(model, show_shapes=True)} as a PNG drawn with Java2D, headless: one box per
 * layer, top to bottom in graph order, each with {@code name (ClassName)} on a dark band and Keras's
 * {@code Input shape: (None, 5, 1)} / {@code Output shape: (None, 5, 2)} cells under it, and an arrow from each layer
 * to every layer that consumes its output. Boxes sit in ranks (the longest path from the inputs), side by side and
 * centred; an arrow that skips ranks runs in its own lane between the boxes of the ranks it crosses.
 *
 * <p>As Keras with {@code expand_nested=False}, a nested model is one box ({@code encoder (Functional)}) and a
 * wrapper names what it wraps ({@code bidirectional (Bidirectional(LSTM))}). A Sequential model gets an
 * {@code input_layer (InputLayer)} box on top (the InputLayer its saved Keras 3 config holds), so its input shape
 * shows too. The drawing is split in two: {@link #layout} gives the boxes' text and the edges (what a test checks),
 * {@link #paint} draws them.
 *
 * <pre>{@code
 * ModelDiagram.write(model, Path.of("model.png"), "--plot-model");
 * }</pre>
 */
final class ModelDiagram {
    static {
        System.setProperty("java.awt.headless", "true"); // no display needed, on a server or in CI
    }

    /** One layer's box: the title {@code name (ClassName)} and the shape lines under it. */
    record Box(String title, List<String> shapes) {
        /** Every line of text in the box, the title first. */
        List<String> lines() {
            List<String> all = new ArrayList<>();
            all.add(title);
            all.addAll(shapes);
            return all;
        }
    }

    /** An arrow from box {@code from} (the layer producing a tensor) to box {@code to} (a layer consuming it). */
    record Edge(int from, int to) {}

    /** The diagram before drawing: boxes in graph order, edges, and each box's rank (0 for the inputs). */
    record Layout(List<Box> boxes, List<Edge> edges, int[] rank) {
        int rankCount() {
            int max = -1;
            for (int r : rank) max = Math.max(max, r);
            return max + 1;
        }
    }

    private ModelDiagram() {}

    // ---------------------------------------------------------------- what the diagram says

    /** The boxes, edges and ranks of a built model. */
    static Layout layout(Model model) {
        List<Box> boxes = new ArrayList<>();
        Set<Edge> edges = new LinkedHashSet<>(); // a layer fed twice by the same layer gets one arrow, as in Keras
        if (model instanceof Sequential seq) {
            int[] shape = seq.inputShape();
            if (shape == null || !seq.isBuilt()) throw notBuilt(model);
            boxes.add(new Box("input_layer (InputLayer)", List.of("Output shape: " + Shapes.toString(shape))));
            for (Layer l : seq.layers()) {
                List<int[]> out = l.outputShapes(List.of(shape));
                boxes.add(new Box(title(l), List.of("Input shape: " + shapesText(List.of(shape)), "Output shape: " + shapesText(out))));
                edges.add(new Edge(boxes.size() - 2, boxes.size() - 1));
                shape = out.get(0);
            }
        } else if (model instanceof Functional f) {
            List<Layer> layers = f.layers();
            Map<Layer, Integer> index = new IdentityHashMap<>();
            for (int i = 0; i < layers.size(); i++) index.put(layers.get(i), i);
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                List<Node> calls = new ArrayList<>();
                for (Node n : l.inboundNodes()) if (f.contains(n)) calls.add(n);
                String in = null, out = null;
                for (Node n : calls) {
                    List<int[]> ins = new ArrayList<>();
                    for (KerasTensor t : n.inputs()) {
                        ins.add(t.shape());
                        Integer from = index.get(t.layer());
                        if (from != null) edges.add(new Edge(from, i));
                    }
                    List<int[]> outs = new ArrayList<>();
                    for (KerasTensor t : n.outputs()) outs.add(t.shape());
                    in = same(in, shapesText(ins));
                    out = same(out, shapesText(outs));
                }
                boxes.add(l instanceof InputLayer
                        ? new Box(title(l), List.of("Output shape: " + out))
                        : new Box(title(l), List.of("Input shape: " + in, "Output shape: " + out)));
            }
        } else {
            throw new IllegalArgumentException("Cannot draw model \"" + model.name() + "\" (" + model.getClass().getSimpleName()
                    + "): only Sequential and functional models have a layer graph");
        }
        List<Edge> edgeList = List.copyOf(edges);
        return new Layout(List.copyOf(boxes), edgeList, ranks(boxes.size(), edgeList));
    }

    private static IllegalArgumentException notBuilt(Model model) {
        return new IllegalArgumentException("Model \"" + model.name() + "\" has not been built yet, so its shapes are unknown: "
                + "give the first layer an input shape, or fit or predict first");
    }

    /** {@code name (ClassName)}; a wrapper names the class it wraps, {@code Bidirectional(LSTM)}. */
    static String title(Layer l) {
        String type = l.className();
        if (l instanceof Bidirectional b) type += "(" + b.forwardLayer().className() + ")";
        else if (l instanceof TimeDistributed td) type += "(" + td.layer().className() + ")";
        return l.name() + " (" + type + ")";
    }

    /** Python's repr of Keras's shapes: a tuple for one tensor, a list of tuples for several. */
    private static String shapesText(List<int[]> shapes) {
        if (shapes.size() == 1) return Shapes.toString(shapes.get(0));
        List<String> parts = new ArrayList<>();
        for (int[] s : shapes) parts.add(Shapes.toString(s));
        return "[" + String.join(", ", parts) + "]";
    }

    /** A shared layer whose calls see different shapes reads {@code multiple}, as in the summary. */
    private static String same(String before, String now) {
        return before == null || before.equals(now) ? now : "multiple";
    }

    /**
     * Rank = the longest path from a box with no inputs. Boxes come in a topological order (Keras's layer order), so
     * one pass suffices; an edge against that order (a shared layer fed by a later one) does not count.
     */
    private static int[] ranks(int count, List<Edge> edges) {
        int[] rank = new int[count];
        for (int to = 0; to < count; to++) {
            for (Edge e : edges) if (e.to() == to && e.from() < to) rank[to] = Math.max(rank[to], rank[e.from()] + 1);
        }
        return rank;
    }

    // ---------------------------------------------------------------- drawing

    /** Keras draws at 200 dpi; twice the layout's pixel sizes keeps the text sharp when zoomed. */
    static final int SCALE = 2;
    private static final int PAD = 10;       // Keras's cellpadding
    private static final int BOX_GAP = 30;   // between boxes of one rank
    private static final int RANK_GAP = 44;  // between ranks, room for the arrows
    private static final int LANE = 12;      // width of an arrow's lane through a rank it crosses
    private static final int MARGIN = 20;
    private static final int BACK_EDGE_ROOM = 50;
    private static final int ARROW = 9;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 16);
    private static final Font TITLE_BOLD = TITLE.deriveFont(Font.BOLD);
    private static final Font CELL = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
    private static final Font CELL_BOLD = CELL.deriveFont(Font.BOLD);
    private static final Color HEADER = Color.BLACK;
    private static final Color LINE = new Color(0x44, 0x44, 0x44);

    /** A box or an arrow's lane in one rank: {@code box} >= 0, or {@code edge} >= 0 for a lane. */
    private static final class Slot {
        final int box, edge;
        double x, width, order;

        Slot(int box, int edge) { this.box = box; this.edge = edge; }
    }

    /** Draws the layout; the image is {@link #SCALE} times the layout's size. */
    static BufferedImage paint(Layout layout) {
        FontRenderContext frc = new FontRenderContext(null, true, true);
        int n = layout.boxes().size();
        double[] width = new double[n], height = new double[n], titleHeight = new double[n];
        double[][] cellWidth = new double[n][];
        double titleLine = lineHeight(TITLE_BOLD, frc) + 2 * PAD, cellLine = lineHeight(CELL_BOLD, frc) + 2 * PAD;
        for (int b = 0; b < n; b++) {
            Box box = layout.boxes().get(b);
            String[] t = splitTitle(box.title());
            double titleWidth = textWidth(TITLE_BOLD, t[0], frc) + textWidth(TITLE, t[1], frc) + 2 * PAD;
            double cells = 0;
            cellWidth[b] = new double[box.shapes().size()];
            for (int c = 0; c < cellWidth[b].length; c++) {
                String[] s = splitShape(box.shapes().get(c));
                cellWidth[b][c] = textWidth(CELL, s[0], frc) + textWidth(CELL_BOLD, s[1], frc) + 2 * PAD;
                cells += cellWidth[b][c];
            }
            width[b] = Math.ceil(Math.max(titleWidth, cells));
            // Cells share out the room a wider title leaves, as Graphviz's table does.
            for (int c = 0; c < cellWidth[b].length; c++) cellWidth[b][c] += (width[b] - cells) / cellWidth[b].length;
            titleHeight[b] = Math.ceil(titleLine);
            height[b] = titleHeight[b] + (cellWidth[b].length > 0 ? Math.ceil(cellLine) : 0);
        }

        // Ranks: the boxes, plus a lane wherever an arrow passes through a rank it neither starts nor ends in.
        int ranks = layout.rankCount();
        List<List<Slot>> rows = new ArrayList<>();
        for (int r = 0; r < ranks; r++) rows.add(new ArrayList<>());
        Slot[] boxSlot = new Slot[n];
        for (int b = 0; b < n; b++) {
            boxSlot[b] = new Slot(b, -1);
            boxSlot[b].width = width[b];
            boxSlot[b].order = b;
            rows.get(layout.rank()[b]).add(boxSlot[b]);
        }
        List<Edge> edges = layout.edges();
        List<List<Slot>> lanes = new ArrayList<>(); // per edge, its lanes from top to bottom
        for (int e = 0; e < edges.size(); e++) {
            List<Slot> path = new ArrayList<>();
            Edge edge = edges.get(e);
            if (edge.from() < edge.to()) {
                for (int r = layout.rank()[edge.from()] + 1; r < layout.rank()[edge.to()]; r++) {
                    Slot lane = new Slot(-1, e);
                    lane.width = LANE;
                    rows.get(r).add(lane);
                    path.add(lane);
                }
            }
            lanes.add(path);
        }
        // Order each rank by the mean position of what feeds it in the rank above (fewer crossings); rank 0 keeps
        // the model's order. Ties keep graph order.
        for (int r = 1; r < ranks; r++) {
            List<Slot> above = rows.get(r - 1);
            for (Slot s : rows.get(r)) {
                double sum = 0;
                int count = 0;
                for (int e = 0; e < edges.size(); e++) {
                    Slot prev = predecessor(edges.get(e), lanes.get(e), s, boxSlot);
                    if (prev != null && above.contains(prev)) {
                        sum += above.indexOf(prev);
                        count++;
                    }
                }
                s.order = count > 0 ? sum / count : above.size();
            }
            rows.get(r).sort(Comparator.comparingDouble((Slot s) -> s.order)
                    .thenComparingInt(s -> s.box >= 0 ? s.box : edges.get(s.edge).to()));
        }

        double contentWidth = 0;
        for (List<Slot> row : rows) contentWidth = Math.max(contentWidth, rowWidth(row));
        boolean backEdges = edges.stream().anyMatch(e -> e.from() >= e.to());
        double imageWidth = contentWidth + 2 * MARGIN + (backEdges ? BACK_EDGE_ROOM : 0);
        double[] rowTop = new double[ranks], rowHeight = new double[ranks];
        double y = MARGIN;
        for (int r = 0; r < ranks; r++) {
            for (Slot s : rows.get(r)) if (s.box >= 0) rowHeight[r] = Math.max(rowHeight[r], height[s.box]);
            rowTop[r] = y;
            double x = MARGIN + (contentWidth - rowWidth(rows.get(r))) / 2;
            for (Slot s : rows.get(r)) {
                s.x = x;
                x += s.width + BOX_GAP;
            }
            y += rowHeight[r] + RANK_GAP;
        }
        double imageHeight = y - RANK_GAP + MARGIN;
        double[] boxTop = new double[n];
        for (int b = 0; b < n; b++) {
            int r = layout.rank()[b];
            boxTop[b] = rowTop[r] + (rowHeight[r] - height[b]) / 2;
        }

        BufferedImage image = new BufferedImage((int) Math.ceil(imageWidth * SCALE), (int) Math.ceil(imageHeight * SCALE),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.scale(SCALE, SCALE);

            // Arrows first, so that boxes cover their ends cleanly. Each box spreads its outgoing arrows along its
            // bottom and its incoming ones along its top, in the left-to-right order of where they go or come from.
            g.setColor(LINE);
            g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            double[] startX = new double[edges.size()], endX = new double[edges.size()];
            for (int b = 0; b < n; b++) {
                spread(b, edges, lanes, boxSlot, true, startX);
                spread(b, edges, lanes, boxSlot, false, endX);
            }
            for (int e = 0; e < edges.size(); e++) {
                Edge edge = edges.get(e);
                Slot from = boxSlot[edge.from()], to = boxSlot[edge.to()];
                if (edge.from() >= edge.to()) {
                    // Leaves low and comes back high on the right-hand side, so a self-loop shows as a loop.
                    backEdge(g, from.x + from.width, boxTop[edge.from()] + height[edge.from()] * 0.7,
                            to.x + to.width, boxTop[edge.to()] + height[edge.to()] * 0.3, MARGIN + contentWidth);
                    continue;
                }
                double x0 = startX[e], y0 = boxTop[edge.from()] + height[edge.from()];
                for (Slot lane : lanes.get(e)) {
                    int r = layout.rank()[edge.from()] + 1 + lanes.get(e).indexOf(lane);
                    double cx = lane.x + lane.width / 2;
                    curve(g, x0, y0, cx, rowTop[r]);
                    g.draw(new Line2D.Double(cx, rowTop[r], cx, rowTop[r] + rowHeight[r]));
                    x0 = cx;
                    y0 = rowTop[r] + rowHeight[r];
                }
                double x1 = endX[e], y1 = boxTop[edge.to()];
                curve(g, x0, y0, x1, y1 - ARROW);
                arrowHead(g, x1, y1);
            }

            for (int b = 0; b < n; b++) {
                drawBox(g, layout.boxes().get(b), boxSlot[b].x, boxTop[b], width[b], titleHeight[b], height[b], cellWidth[b], frc);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    /** The slot just above {@code s} on an edge's way (its source box or the lane before), or null if not on it. */
    private static Slot predecessor(Edge edge, List<Slot> lanes, Slot s, Slot[] boxSlot) {
        if (edge.from() >= edge.to()) return null;
        List<Slot> way = new ArrayList<>();
        way.add(boxSlot[edge.from()]);
        way.addAll(lanes);
        way.add(boxSlot[edge.to()]);
        int i = way.indexOf(s);
        return i > 0 ? way.get(i - 1) : null;
    }

    private static double rowWidth(List<Slot> row) {
        double w = 0;
        for (Slot s : row) w += s.width;
        return w + BOX_GAP * Math.max(0, row.size() - 1);
    }

    /** Where a box's outgoing ({@code out}) or incoming arrows meet it: evenly along its bottom or top edge. */
    private static void spread(int b, List<Edge> edges, List<List<Slot>> lanes, Slot[] boxSlot, boolean out, double[] at) {
        List<Integer> mine = new ArrayList<>();
        List<Double> otherX = new ArrayList<>();
        for (int e = 0; e < edges.size(); e++) {
            Edge edge = edges.get(e);
            if (edge.from() >= edge.to() || (out ? edge.from() : edge.to()) != b) continue;
            List<Slot> way = lanes.get(e);
            Slot other = way.isEmpty() ? boxSlot[out ? edge.to() : edge.from()] : way.get(out ? 0 : way.size() - 1);
            mine.add(e);
            otherX.add(other.x + other.width / 2);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < mine.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble(otherX::get));
        Slot s = boxSlot[b];
        for (int k = 0; k < order.size(); k++) at[mine.get(order.get(k))] = s.x + s.width * (k + 1) / (order.size() + 1);
    }

    /** An S-shaped curve leaving and arriving vertically. */
    private static void curve(Graphics2D g, double x0, double y0, double x1, double y1) {
        double mid = (y0 + y1) / 2;
        g.draw(new CubicCurve2D.Double(x0, y0, x0, mid, x1, mid, x1, y1));
    }

    /** A filled arrowhead whose tip touches the box top at (x, y). */
    private static void arrowHead(Graphics2D g, double x, double y) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x, y);
        p.lineTo(x - ARROW * 0.55, y - ARROW);
        p.lineTo(x + ARROW * 0.55, y - ARROW);
        p.closePath();
        g.fill(p);
    }

    /** An arrow against the rank order (a shared layer fed by a later layer): round the right-hand side. */
    private static void backEdge(Graphics2D g, double x0, double y0, double x1, double y1, double contentRight) {
        double out = contentRight + BACK_EDGE_ROOM * 0.9;
        g.draw(new CubicCurve2D.Double(x0, y0, out, y0, out, y1, x1 + ARROW, y1));
        Path2D.Double p = new Path2D.Double();
        p.moveTo(x1, y1);
        p.lineTo(x1 + ARROW, y1 - ARROW * 0.55);
        p.lineTo(x1 + ARROW, y1 + ARROW * 0.55);
        p.closePath();
        g.fill(p);
    }

    /** Keras's table: the title in white on black, the shape cells in black on white, side by side under it. */
    private static void drawBox(Graphics2D g, Box box, double x, double y, double w, double titleH, double h,
                                double[] cellWidth, FontRenderContext frc) {
        g.setColor(Color.WHITE);
        g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
        g.setColor(HEADER);
        g.fill(new java.awt.geom.Rectangle2D.Double(x, y, w, titleH));
        String[] t = splitTitle(box.title());
        g.setColor(Color.WHITE);
        double tw = textWidth(TITLE_BOLD, t[0], frc) + textWidth(TITLE, t[1], frc);
        drawPair(g, TITLE_BOLD, t[0], TITLE, t[1], x + (w - tw) / 2, y, titleH, frc);
        g.setStroke(new BasicStroke(1f));
        double cx = x;
        for (int c = 0; c < cellWidth.length; c++) {
            String[] s = splitShape(box.shapes().get(c));
            g.setColor(Color.BLACK);
            double cw = textWidth(CELL, s[0], frc) + textWidth(CELL_BOLD, s[1], frc);
            drawPair(g, CELL, s[0], CELL_BOLD, s[1], cx + (cellWidth[c] - cw) / 2, y + titleH, h - titleH, frc);
            g.draw(new java.awt.geom.Rectangle2D.Double(cx, y + titleH, cellWidth[c], h - titleH));
            cx += cellWidth[c];
        }
        g.setColor(Color.BLACK);
        g.draw(new java.awt.geom.Rectangle2D.Double(x, y, w, h));
    }

    /** Two runs of text on one baseline, centred vertically in a band of the given height. */
    private static void drawPair(Graphics2D g, Font f1, String s1, Font f2, String s2, double x, double top, double bandHeight,
                                 FontRenderContext frc) {
        LineMetrics m = f1.getLineMetrics("Ag", frc);
        float baseline = (float) (top + (bandHeight - m.getAscent() - m.getDescent()) / 2 + m.getAscent());
        g.setFont(f1);
        g.drawString(s1, (float) x, baseline);
        g.setFont(f2);
        g.drawString(s2, (float) (x + textWidth(f1, s1, frc)), baseline);
    }

    /** {@code lstm (LSTM)} -> the bold name and the plain {@code " (LSTM)"}, as Keras prints them. */
    private static String[] splitTitle(String title) {
        int i = title.indexOf(" (");
        return i < 0 ? new String[] {title, ""} : new String[] {title.substring(0, i), title.substring(i)};
    }

    /** {@code Output shape: (None, 2)} -> the plain label and the bold shape. */
    private static String[] splitShape(String line) {
        int i = line.indexOf(": ");
        return i < 0 ? new String[] {line, ""} : new String[] {line.substring(0, i + 2), line.substring(i + 2)};
    }

    private static double textWidth(Font f, String s, FontRenderContext frc) {
        return s.isEmpty() ? 0 : f.getStringBounds(s, frc).getWidth();
    }

    private static double lineHeight(Font f, FontRenderContext frc) {
        LineMetrics m = f.getLineMetrics("Ag", frc);
        return m.getAscent() + m.getDescent();
    }

    // ---------------------------------------------------------------- the file

    /** Fails early, before any work, when {@code png} cannot be written: its folder is missing or not writable. */
    static void checkTarget(Path png, String option) {
        Path abs = png.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UserInputException(option + " " + png + ": the folder " + dir
                    + (Files.exists(dir) ? " is not a folder" : " does not exist"));
        }
        if (Files.isDirectory(abs)) throw new UserInputException(option + " " + png + ": is a folder; expected a .png file name");
        if (dir != null && !Files.isWritable(dir)) throw new UserInputException(option + " " + png + ": cannot write into " + dir);
    }

    /**
     * Writes the diagram to {@code png} atomically (a temporary file in the same folder, then renamed over it). A
     * missing or unwritable folder is a {@link UserInputException} naming {@code option} and the path.
     */
    static void write(Model model, Path png, String option) {
        checkTarget(png, option);
        Path abs = png.toAbsolutePath();
        BufferedImage image = paint(layout(model));
        try {
            AtomicFiles.write(abs, out -> ImageIO.write(image, "png", out));
        } catch (IOException e) {
            throw new UserInputException(option + " " + png + ": cannot write (" + e.getMessage() + ")", e);
        }
    }
}
