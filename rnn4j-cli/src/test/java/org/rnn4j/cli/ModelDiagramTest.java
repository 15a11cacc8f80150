package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.Input;
import org.rnn4j.layers.KerasTensor;
import org.rnn4j.layers.TimeDistributed;
import org.rnn4j.layers.merging.Concatenate;
import org.rnn4j.layers.recurrent.Bidirectional;
import org.rnn4j.layers.recurrent.GRU;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Functional;
import org.rnn4j.models.Model;
import org.rnn4j.models.Sequential;

/** {@code --plot-model}: the diagram's text and arrows, the PNG it paints, and the command line around it. */
class ModelDiagramTest {
    @TempDir
    Path dir;

    @BeforeEach
    void freshNames() {
        Rnn4j.clearSession(); // layer names start again at lstm, dense, ...
    }

    private static ModelDiagram.Box box(String... lines) {
        return new ModelDiagram.Box(lines[0], List.of(lines).subList(1, lines.length));
    }

    private static Sequential lstmDense() {
        return new Sequential(new LSTM(2).inputShape(5, 1), new Dense(1));
    }

    /** Two inputs: a series through an LSTM, and calendar features joined to it by Concatenate. */
    private static Functional twoInputs() {
        Input series = new Input(5, 1).name("series");
        Input calendar = new Input(3).name("calendar");
        KerasTensor joined = new Concatenate().apply(new LSTM(4).apply(series), calendar);
        return new Functional(List.of(series, calendar), List.of(new Dense(1).apply(joined)));
    }

    @Test
    void sequentialBoxesReadLikeKerasPlotModel() {
        ModelDiagram.Layout l = ModelDiagram.layout(lstmDense());
        assertEquals(List.of(
                box("input_layer (InputLayer)", "Output shape: (None, 5, 1)"),
                box("lstm (LSTM)", "Input shape: (None, 5, 1)", "Output shape: (None, 2)"),
                box("dense (Dense)", "Input shape: (None, 2)", "Output shape: (None, 1)")), l.boxes());
        assertEquals(List.of("lstm (LSTM)", "Input shape: (None, 5, 1)", "Output shape: (None, 2)"), l.boxes().get(1).lines());
        assertEquals(List.of(new ModelDiagram.Edge(0, 1), new ModelDiagram.Edge(1, 2)), l.edges());
        assertArrayEquals(new int[] {0, 1, 2}, l.rank());
    }

    @Test
    void functionalModelWithTwoInputsAndConcatenate() {
        ModelDiagram.Layout l = ModelDiagram.layout(twoInputs());
        // Keras's layer order: by depth from the output, so the LSTM comes before the second input.
        assertEquals(List.of(
                box("series (InputLayer)", "Output shape: (None, 5, 1)"),
                box("lstm (LSTM)", "Input shape: (None, 5, 1)", "Output shape: (None, 4)"),
                box("calendar (InputLayer)", "Output shape: (None, 3)"),
                box("concatenate (Concatenate)", "Input shape: [(None, 4), (None, 3)]", "Output shape: (None, 7)"),
                box("dense (Dense)", "Input shape: (None, 7)", "Output shape: (None, 1)")), l.boxes());
        assertEquals(List.of(new ModelDiagram.Edge(0, 1), new ModelDiagram.Edge(1, 3), new ModelDiagram.Edge(2, 3),
                new ModelDiagram.Edge(3, 4)), l.edges());
        // Both inputs on top; the calendar arrow skips the LSTM's rank.
        assertArrayEquals(new int[] {0, 1, 0, 2, 3}, l.rank());
    }

    @Test
    void wrappersNameWhatTheyWrapAndNestedModelsAreOneBox() {
        Input x = new Input(6, 2).name("x");
        Functional encoder = new Functional(List.of(x), List.of(new GRU(4).returnSequences(true).apply(x)), "encoder");
        Input in = new Input(6, 2).name("in");
        KerasTensor h = new Bidirectional(new LSTM(3).returnSequences(true)).apply(encoder.apply(in));
        KerasTensor[] states = new LSTM(5).returnState(true).applyAll(h);
        KerasTensor y = new TimeDistributed(new Dense(1)).apply(h);
        Functional model = new Functional(List.of(in), List.of(y, states[0]));
        List<List<String>> lines = new ArrayList<>();
        for (ModelDiagram.Box b : ModelDiagram.layout(model).boxes()) lines.add(b.lines());
        assertTrue(lines.contains(List.of("encoder (Functional)", "Input shape: (None, 6, 2)", "Output shape: (None, 6, 4)")), lines.toString());
        assertTrue(lines.contains(List.of("bidirectional (Bidirectional(LSTM))", "Input shape: (None, 6, 4)",
                "Output shape: (None, 6, 6)")), lines.toString());
        assertTrue(lines.contains(List.of("time_distributed (TimeDistributed(Dense))", "Input shape: (None, 6, 6)",
                "Output shape: (None, 6, 1)")), lines.toString());
        // lstm_1, as the Bidirectional's LSTM took "lstm". return_state: Keras's layer.output is a list, printed as a list of tuples.
        assertTrue(lines.contains(List.of("lstm_1 (LSTM)", "Input shape: (None, 6, 6)",
                "Output shape: [(None, 5), (None, 5), (None, 5)]")), lines.toString());
    }

    @Test
    void pngHeightGrowsWithTheRanks() {
        ModelDiagram.Layout three = ModelDiagram.layout(lstmDense());
        ModelDiagram.Layout five = ModelDiagram.layout(new Sequential(new LSTM(8).returnSequences(true).inputShape(5, 1),
                new LSTM(4).returnSequences(true), new LSTM(2), new Dense(1)));
        assertEquals(3, three.rankCount());
        assertEquals(5, five.rankCount());
        BufferedImage small = ModelDiagram.paint(three), tall = ModelDiagram.paint(five);
        // A box is a title band and a shape band, each a line of text with 10 px padding above and below: at least
        // 70 px, times SCALE; every rank holds one box.
        int box = 70 * ModelDiagram.SCALE;
        assertTrue(small.getHeight() >= 3 * box, "3 ranks, " + small.getHeight() + " px");
        assertTrue(tall.getHeight() - small.getHeight() >= 2 * box, small.getHeight() + " -> " + tall.getHeight() + " px");
        assertEquals(0xffffff, small.getRGB(1, 1) & 0xffffff, "white background");
        assertTrue(countDark(small) > 1000, "the black title bands and the text are drawn");
    }

    private static int countDark(BufferedImage img) {
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xff) < 40) dark++;
        }
        return dark;
    }

    @Test
    void sharedLayerFedByItselfStillDraws() {
        Input x = new Input(3);
        Dense shared = new Dense(3);
        Functional m = new Functional(x, shared.apply(shared.apply(x)));
        ModelDiagram.Layout l = ModelDiagram.layout(m);
        assertTrue(l.edges().contains(new ModelDiagram.Edge(1, 1)), l.edges().toString());
        assertTrue(ModelDiagram.paint(l).getWidth() > 0);
    }

    private static String summary(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    @Test
    void summaryWritesTheDiagramOfBothModelKinds() throws IOException {
        Path seq = dir.resolve("seq.keras"), fun = dir.resolve("fun.keras");
        lstmDense().save(seq);
        twoInputs().save(fun);
        for (Path model : List.of(seq, fun)) {
            Path png = dir.resolve(model.getFileName() + ".png");
            String out = summary("summary", model.toString(), "--plot-model", png.toString());
            assertTrue(out.contains("Total params:"), out);
            assertTrue(out.strip().endsWith("Model diagram: " + png), out);
            BufferedImage img = ImageIO.read(png.toFile());
            BufferedImage expected = ModelDiagram.paint(ModelDiagram.layout(org.rnn4j.models.Models.load(model)));
            assertEquals(expected.getWidth(), img.getWidth());
            assertEquals(expected.getHeight(), img.getHeight());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void fitDrawsTheModelItTrains() throws IOException {
        Path png = dir.resolve("air.model.png");
        CliRun r = CliRun.of("fit", "--csv", ForecastCommandsTest.AIRLINE, "--target", "Passengers", "--window", "12",
                "--model", "lstm:4,gru:3", "--epochs", "1", "--verbose", "0", "--out", dir.resolve("air.keras").toString(),
                "--plot-model", png.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("Model diagram: " + png + "\n"), r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        Model m = ModelSpecs.build("lstm:4,gru:3", 12, 1, 1);
        assertEquals(ModelDiagram.paint(ModelDiagram.layout(m)).getHeight(), img.getHeight());
    }

    @Test
    void missingOrNonFolderDirectoryIsOneLineExitTwo() throws IOException {
        Path model = dir.resolve("m.keras");
        lstmDense().save(model);
        Path missing = dir.resolve("no-such-folder").resolve("m.png");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        for (Path png : List.of(missing, file.resolve("m.png"))) {
            CliRun r = CliRun.of("summary", model.toString(), "--plot-model", png.toString());
            assertEquals(2, r.status());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("rnn4j summary: --plot-model " + png + ": the folder " + png.getParent()), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(Files.exists(png));
        }
        CliRun fit = CliRun.of("fit", "--csv", ForecastCommandsTest.AIRLINE, "--target", "Passengers", "--window", "12",
                "--epochs", "1", "--verbose", "0", "--out", dir.resolve("f.keras").toString(), "--plot-model", missing.toString());
        assertEquals(2, fit.status());
        assertTrue(fit.err().contains("--plot-model " + missing + ": the folder"), fit.err());
        assertFalse(Files.exists(dir.resolve("f.keras")), "fails before training");
    }
}
