package org.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.Rnn4j;
import org.rnn4j.io.Npy;
import org.rnn4j.layers.Dense;
import org.rnn4j.layers.recurrent.LSTM;
import org.rnn4j.models.Sequential;
import org.rnn4j.tensor.Tensor;
import picocli.CommandLine;

class ModelFileCommandsTest {
    @TempDir Path dir;

    private Sequential saved(Path file) {
        Rnn4j.setRandomSeed(5);
        Sequential m = new Sequential(new LSTM(3).inputShape(4, 2), new Dense(2));
        m.save(file);
        return m;
    }

    private static String run(String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.status(), r.err());
        return r.out();
    }

    @Test
    void summaryPrintsTheKerasTable() {
        Path f = dir.resolve("m.keras");
        Sequential m = saved(f);
        assertEquals(m.summary().strip(), run("summary", f.toString()).strip());
        String real = run("summary", "../testdata/keras-real/dl4j/simple_lstm_tf_keras_1_model.h5");
        assertTrue(real.contains("lstm_1 (LSTM)") && real.contains("Total params: 10,451"), real);
    }

    @Test
    void predictReadsNpyAndCsvAndWritesBoth() throws Exception {
        Path f = dir.resolve("m.keras");
        Sequential m = saved(f);
        float[] x = new float[3 * 4 * 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(i);
        Tensor xt = Tensor.of(x, 3, 4, 2);
        float[] want = m.predict(xt).data();

        Path xn = dir.resolve("x.npy"), yn = dir.resolve("y.npy");
        Npy.write(xn, xt);
        run("predict", "--model", f.toString(), "--input", xn.toString(), "--output", yn.toString());
        Tensor y = Npy.read(yn);
        assertArrayEquals(new int[] {3, 2}, y.shape());
        assertArrayEquals(want, y.data());

        StringBuilder csv = new StringBuilder("t0f0,t0f1,t1f0,t1f1,t2f0,t2f1,t3f0,t3f1\n");
        for (int s = 0; s < 3; s++) {
            for (int j = 0; j < 8; j++) csv.append(j > 0 ? "," : "").append(x[s * 8 + j]);
            csv.append('\n');
        }
        Path xc = dir.resolve("x.csv"), yc = dir.resolve("y.csv");
        Files.writeString(xc, csv);
        run("predict", "--model", f.toString(), "--input", xc.toString(), "--output", yc.toString());
        String[] lines = Files.readString(yc).strip().split("\n");
        assertEquals(3, lines.length);
        for (int s = 0; s < 3; s++) {
            String[] v = lines[s].split(",");
            for (int j = 0; j < 2; j++) assertEquals(want[s * 2 + j], Float.parseFloat(v[j]));
        }
    }

    @Test
    void badFilesAreOneLineErrors() throws Exception {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        Path junk = dir.resolve("junk.keras");
        Files.writeString(junk, "PK not really a zip");
        assertEquals(2, cl.execute("summary", junk.toString()));
        String msg = err.toString().strip();
        assertTrue(msg.startsWith("rnn4j summary: " + junk) && !msg.contains("\n"), msg);

        Path f = dir.resolve("m.keras");
        saved(f);
        Path xc = dir.resolve("bad.csv");
        Files.writeString(xc, "1,2,3\n");
        StringWriter err2 = new StringWriter();
        cl.setErr(new PrintWriter(err2));
        assertEquals(2, cl.execute("predict", "--model", f.toString(), "--input", xc.toString(), "--output", dir.resolve("y.csv").toString()));
        assertTrue(err2.toString().contains("each row has 3 values"), err2.toString());
    }
}
