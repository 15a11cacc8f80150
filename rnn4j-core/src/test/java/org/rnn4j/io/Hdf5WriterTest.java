package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The writer's files are read back by jHDF (the real HDF5 library's h5dump and h5py read them too). */
class Hdf5WriterTest {
    @Test
    void lookup3MatchesBobJenkinsTestVectors() {
        assertEquals(0xdeadbeef, Hdf5Writer.lookup3(new byte[0], 0, 0));
        byte[] s = "Four score and seven years ago".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x17770551, Hdf5Writer.lookup3(s, 0, s.length));
    }

    @Test
    void keras3WeightLayoutReadsBackWithJhdf() {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        Hdf5Writer.Group lstm = root.group("layers").group("lstm");
        lstm.group("vars").attribute("name", "lstm");
        Hdf5Writer.Group cell = lstm.group("cell").group("vars");
        cell.attribute("name", "lstm_cell");
        cell.floats("0", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        cell.floats("1", new float[] {7, 8}, 2);
        root.group("layers").group("dropout").group("vars"); // empty group beside a full one: what jHDF cannot write
        Hdf5Writer.Group opt = root.group("optimizer").group("vars");
        opt.longs("0", new long[] {42});
        opt.floats("1", new float[] {0.001f});
        opt.doubles("2", new double[] {1.5, 2.5}, 2, 1);
        root.group("vars");
        byte[] bytes = root.toBytes();

        try (Hdf5File f = Hdf5File.open(bytes, "w.h5")) {
            Group vars = f.group("layers/lstm/cell/vars");
            assertEquals("lstm_cell", f.stringAttribute(vars, "name"));
            assertEquals("lstm", f.stringAttribute(f.group("layers/lstm/vars"), "name"));
            assertEquals(java.util.List.of("0", "1"), f.children(vars));
            var k = f.tensor((Dataset) f.node("layers/lstm/cell/vars/0"));
            assertArrayEquals(new int[] {2, 3}, k.shape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, k.data());
            assertEquals(0, f.children(f.group("layers/dropout/vars")).size());
            assertEquals(42L, f.scalarLong((Dataset) f.node("optimizer/vars/0")));
            assertEquals(0.001f, f.tensor((Dataset) f.node("optimizer/vars/1")).data()[0]);
            assertArrayEquals(new float[] {1.5f, 2.5f}, f.tensor((Dataset) f.node("optimizer/vars/2")).data());
            assertNull(f.node("layers/missing"));
        }
    }

    @Test
    void corruptedHeaderIsAModelFormatException() {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        root.group("a").floats("0", new float[] {1, 2}, 2);
        byte[] bytes = root.toBytes();
        bytes[60] ^= 0x40; // inside the root group's object header: its checksum no longer matches
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> {
            try (Hdf5File f = Hdf5File.open(bytes, "bad.h5")) {
                f.tensor((Dataset) f.node("a/0"));
            }
        });
        assertTrue(e.getMessage().startsWith("bad.h5: "), e.getMessage());
        assertThrows(ModelFormatException.class, () -> Hdf5File.open(new byte[] {1, 2, 3}, "tiny.h5"));
    }

    @Test
    void refusesShapeAndValueCountMismatch() {
        Hdf5Writer.Group root = new Hdf5Writer.Group();
        assertThrows(IllegalArgumentException.class, () -> root.floats("x", new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> root.group("a/b"));
    }
}
