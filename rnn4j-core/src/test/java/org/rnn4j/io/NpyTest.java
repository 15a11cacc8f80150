package org.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.tensor.Tensor;

class NpyTest {
    @TempDir Path dir;

    @Test
    void readsTheStackedLstmPredictionsWrittenByNumpy() {
        Npy.NpyArray a = Npy.readArray(Path.of("../testdata/keras-real/dl4j/stacked_lstm/predictions.npy"));
        assertEquals("<f4", a.dtype());
        assertArrayEquals(new int[] {283}, a.shape());
        float[] p = a.floats();
        // Values listed in keras-real/README.md.
        assertEquals(7.142e-6, p[0], 1e-9);
        assertEquals(0.10250, p[30], 1e-5);
        assertEquals(0.19886, p[229], 1e-5);
    }

    @Test
    void writesWhatNumpyWritesAndReadsItBack() throws Exception {
        Path f = dir.resolve("x.npy");
        Npy.write(f, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        byte[] b = Files.readAllBytes(f);
        String header = new String(b, 10, b[8], StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.strip());
        assertEquals(0, (10 + header.length()) % 64, "header padded to 64 bytes as numpy does");
        assertEquals(10 + header.length() + 24, b.length);
        Tensor t = Npy.read(f);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.data());
    }

    @Test
    void roundTripsEveryDtypeAndRank() {
        Path f = dir.resolve("a.npy");
        Npy.write(f, new double[] {1.5, -2.25}, 2);
        Npy.NpyArray a = Npy.readArray(f);
        assertEquals("<f8", a.dtype());
        assertArrayEquals(new double[] {1.5, -2.25}, (double[]) a.data());
        Npy.write(f, new long[] {Long.MAX_VALUE, -3}, 1, 2);
        assertArrayEquals(new long[] {Long.MAX_VALUE, -3}, (long[]) Npy.readArray(f).data());
        Npy.write(f, new int[] {7, -8, 9}, 3);
        assertEquals("<i4", Npy.readArray(f).dtype());
        assertArrayEquals(new float[] {7, -8, 9}, Npy.read(f).data());
        Npy.write(f, new float[] {42}); // scalar: shape ()
        assertArrayEquals(new int[0], Npy.readArray(f).shape());
        Npy.write(f, new float[0], 0, 3);
        assertArrayEquals(new int[] {0, 3}, Npy.readArray(f).shape());
    }

    @Test
    void readsVersion2BigEndianAndUnsignedData() {
        String dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }";
        ByteBuffer b = ByteBuffer.allocate(12 + dict.length() + 1 + 12).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0}).putInt(dict.length() + 1);
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n');
        b.order(ByteOrder.BIG_ENDIAN).putFloat(1f).putFloat(-2f).putFloat(0.5f);
        assertArrayEquals(new float[] {1, -2, 0.5f}, Npy.parse(b.array(), "v2.npy").floats());

        byte[] u8 = Npy.encode("|u1", new int[] {2}, new byte[] {(byte) 200, 3});
        assertArrayEquals(new long[] {200, 3}, (long[]) Npy.parse(u8, "u8.npy").data());
    }

    @Test
    void badFilesGiveOneClearError() {
        byte[] good = Npy.encode("<f4", new int[] {2, 2}, new byte[16]);
        assertMessage(Arrays.copyOf(good, 5), "not a .npy file");
        byte[] noMagic = good.clone();
        noMagic[1] = 'X';
        assertMessage(noMagic, "magic");
        assertMessage(Arrays.copyOf(good, good.length - 4), "needs 16 data bytes but the file has 12");
        assertMessage(Npy.encode("<c8", new int[] {1}, new byte[8]), "unsupported dtype '<c8'");
        assertMessage(Npy.encode("<f4", new int[] {1 << 30, 1 << 30}, new byte[0]), "too large");
        byte[] fortran = new String(good, StandardCharsets.ISO_8859_1).replace("False", "True ")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertMessage(fortran, "Fortran-order");
        byte[] version = good.clone();
        version[6] = 9;
        assertMessage(version, "unsupported .npy format version 9.0");
        byte[] longHeader = good.clone();
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0xff;
        assertMessage(longHeader, "header claims 65535 bytes");
        byte[] garbled = new String(good, StandardCharsets.ISO_8859_1).replace("(2, 2)", "(2, x)")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertMessage(garbled, "malformed .npy header");
        assertThrows(ModelFormatException.class, () -> Npy.read(dir.resolve("missing.npy")));
    }

    private static void assertMessage(byte[] bytes, String part) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Npy.parse(bytes, "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: ") && e.getMessage().contains(part), e.getMessage());
    }
}
