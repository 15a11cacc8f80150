package org.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plan chosen for a given vector width and L2 size, for the machines the sessions run on (whatever this machine
 * is), and the plan in use: the one a kernel-variant run forces with {@code -Drnn4j.kernel}.
 */
class KernelPlanTest {
    private static final long KB = 1024, MB = 1024 * KB;

    @Test
    void emeraldRapidsKeepsTheTunedValues() {
        // AVX-512, 2 MB L2: the values the kernels had before the plan, measured best there.
        KernelPlan p = KernelPlan.choose("vector512", 512, 2 * MB, "test", "");
        assertEquals(16, p.lanes());
        assertEquals(8, p.tileRows());
        assertEquals(32, p.tileColumns());
        assertEquals(256, p.kBlock());
        assertEquals(96, p.rowBlock());
        assertEquals(1024, p.columnBlock());
        assertEquals(8 * 1024, p.smallProduct());
        assertEquals(96 * 1024, p.partWork());
        assertEquals(8, p.rowBlockRows());
        assertEquals(256 * 1024, p.rowBlockWork());
        assertEquals(64, p.streamChunkUnits());
        assertEquals(32 * 1024, p.streamPartWork());
        assertEquals(256 * KB, p.perStepProjectionBytes());
        assertTrue(p.packsRecurrent(8, 2) && !p.packsRecurrent(7, 2) && !p.packsRecurrent(32, 1));
    }

    @Test
    void zen3OnJdk17GetsSixByTwoYmmTilesAndBlocksForItsSmallerL2() {
        // AVX2 only, 512 KB L2, JDK 17's C2: 12 accumulators, two vectors of B and the broadcast fit 16 registers.
        KernelPlan p = KernelPlan.choose("vector256", 256, 17, 0, 512 * KB, "test", "");
        assertEquals(8, p.lanes());
        assertEquals(6, p.tileRows(), "6 x 2 vectors: 12 accumulators fit AVX2's 16 registers");
        assertEquals(16, p.tileColumns());
        assertEquals(256, p.kBlock());
        assertEquals(96, p.rowBlock(), "96 x 256 values of A: 96 KB, within a quarter of L2, whole 6-row tiles");
        assertEquals(512, p.columnBlock(), "256 x 512 floats of B: the 512 KB L2");
        assertEquals(6, p.rowBlockRows());
        assertTrue(p.packsRecurrent(6, 2) && !p.packsRecurrent(5, 2));
        assertEquals(128 * KB, p.perStepProjectionBytes());
        // The medium workload's input kernel (32 x 1024 floats, 128 KB) still projects step by step; large's (4 MB)
        // only when fused with the recurrent product (an LSTM), not on its own (a GRU).
        assertTrue(p.projectsPerStep(64, 100, 32, 1024, false));
        assertFalse(p.projectsPerStep(64, 50, 512, 2048, false));
        assertTrue(p.projectsPerStep(64, 50, 512, 2048, true));
        assertFalse(p.projectsPerStep(5, 100, 32, 1024, true), "fewer rows than a tile");
        assertFalse(p.projectsPerStep(64, 1, 32, 1024, true), "one step");
        assertTrue(p.describe().startsWith("vector256 (tile 6x16, KC 256, MC 96, NC 512; L2 512 KB from test)"), p.describe());
    }

    @Test
    void avx2OnNewerJdksGetsFourByTwoTiles() {
        // Newer C2s hold a tile's six scalars of A in registers of their own: 6 rows spill, 4 do not.
        for (int jdk : new int[] {18, 21, 25}) {
            KernelPlan p = KernelPlan.choose("vector256", 256, jdk, 0, 512 * KB, "test", "");
            assertEquals(4, p.tileRows(), "JDK " + jdk);
            assertEquals(96, p.rowBlock());
            assertTrue(p.packsRecurrent(4, 2) && !p.packsRecurrent(3, 2));
            assertTrue(p.describe().startsWith("vector256 (tile 4x16, KC 256"), p.describe());
        }
        // The other widths do not depend on the JDK.
        assertEquals(8, KernelPlan.choose("vector512", 512, 25, 0, 2 * MB, "test", "").tileRows());
        assertEquals(8, KernelPlan.choose("vector128", 128, 25, 0, MB, "test", "").tileRows());
        assertEquals(4, KernelPlan.choose("scalar", 0, 25, 0, MB, "test", "").tileRows());
    }

    @Test
    void theTileRowsCanBeForcedForTheVectorKernels() {
        assertEquals(4, KernelPlan.choose("vector256", 256, 17, 4, 512 * KB, "test", "").tileRows());
        assertEquals(6, KernelPlan.choose("vector512", 512, 25, 6, 2 * MB, "test", "").tileRows());
        assertEquals(8, KernelPlan.choose("vector256", 256, 25, 8, 512 * KB, "test", "").tileRows());
        assertEquals(30, KernelPlan.choose("vector256", 256, 17, 0, 128 * KB, "test", "").rowBlock(), "32 rows fit: whole 6-row tiles");
        for (int bad : new int[] {1, 2, 3, 5, 7, 16, -4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KernelPlan.choose("vector256", 256, 25, bad, 512 * KB, "test", ""), "" + bad);
            assertTrue(e.getMessage().contains("4, 6 or 8") && e.getMessage().contains("" + bad), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> KernelPlan.choose("scalar", 0, 25, 8, MB, "test", ""));
        assertThrows(IllegalArgumentException.class, () -> KernelPlan.choose("scalar", 0, 25, 6, MB, "test", ""));
    }

    @Test
    void zen4HasTheTunedBlocksToo() {
        KernelPlan p = KernelPlan.choose("vector512", 512, 1 * MB, "test", "");
        assertEquals(8, p.tileRows());
        assertEquals(32, p.tileColumns());
        assertEquals(96, p.rowBlock());
        assertEquals(1024, p.columnBlock());
        assertEquals(256 * KB, p.perStepProjectionBytes());
    }

    @Test
    void narrowVectorsPlainJavaAndSmallCaches() {
        KernelPlan v128 = KernelPlan.choose("vector128", 128, 1 * MB, "test", "");
        assertEquals(8, v128.tileRows());
        assertEquals(8, v128.tileColumns());
        assertEquals(1024, v128.columnBlock());
        KernelPlan scalar = KernelPlan.choose("scalar", 0, 1 * MB, "test", "");
        assertEquals(1, scalar.lanes());
        assertEquals(4, scalar.tileRows());
        assertEquals(0, scalar.tileColumns());
        assertEquals(4 * 1024, scalar.smallProduct());
        assertEquals(256 * 1024, scalar.partWork());
        assertTrue(scalar.describe().startsWith("scalar (tile 4-row groups"), scalar.describe());
        // 128 KB of L2: A gets 32 rows (32 KB), B 128 columns (8 panels of 16).
        KernelPlan tiny = KernelPlan.choose("vector256", 256, 25, 0, 128 * KB, "test", "");
        assertEquals(32, tiny.rowBlock());
        assertEquals(128, tiny.columnBlock());
        assertEquals(32 * KB, tiny.perStepProjectionBytes());
    }

    @Test
    void inconsistentPlansAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> KernelPlan.choose("vector512", 256, MB, "test", ""));
        assertThrows(IllegalArgumentException.class, () -> KernelPlan.choose("scalar", 256, MB, "test", ""));
        assertThrows(IllegalArgumentException.class, () -> KernelPlan.choose("vector1024", 1024, MB, "test", ""));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> KernelPlan.choose("vector256", 256, 1000, "test", ""));
        assertTrue(small.getMessage().contains("1000"), small.getMessage());
    }

    @Test
    void cacheSizesParseAsSysfsAndThePropertyWriteThem() {
        assertEquals(512 * KB, KernelPlan.parseSize("512K"));
        assertEquals(512 * KB, KernelPlan.parseSize("512k"));
        assertEquals(2 * MB, KernelPlan.parseSize("2m"));
        assertEquals(2 * MB, KernelPlan.parseSize(" 2MB "));
        assertEquals(MB, KernelPlan.parseSize("1024KiB"));
        assertEquals(MB, KernelPlan.parseSize("1048576"));
        for (String bad : new String[] {"", "abc", "-512k", "0", "12", "2g", "99999999999999m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelPlan.parseSize(bad), bad);
            assertTrue(e.getMessage().contains("rnn4j.l2") && e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void theL2IsTheLevelTwoDataOrUnifiedCache(@TempDir Path dir) throws IOException {
        cache(dir, 0, "1", "Data", "32K");
        cache(dir, 1, "1", "Instruction", "32K");
        cache(dir, 2, "2", "Unified", "512K");
        cache(dir, 3, "3", "Unified", "32768K");
        assertEquals(512 * KB, KernelPlan.readL2(dir));
        assertEquals(-1, KernelPlan.readL2(dir.resolve("missing")));
        Path odd = dir.resolve("odd");
        cache(odd, 0, "2", "Unified", "lots");
        assertEquals(-1, KernelPlan.readL2(odd), "an unreadable size is no size");
    }

    @Test
    void theActivePlanIsTheOneAskedFor() {
        // The kernel-variant runs of the build set rnn4j.kernel (and rnn4j.l2); the default run leaves them unset.
        KernelPlan p = KernelPlan.active();
        String asked = System.getProperty("rnn4j.kernel", "auto");
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (asked.equals("scalar") || !module) {
            assertEquals("scalar", p.name(), p.describe());
            assertEquals("java", MatMul.kernel().name());
        } else if (asked.equals("auto")) {
            assertTrue(p.vectorBits() >= 128, p.describe());
            assertEquals(p.vectorBits(), Vectors.FLOAT.vectorBitSize());
        } else {
            int bits = Integer.parseInt(asked.substring("vector".length()));
            int preferred = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
            if (bits <= preferred) {
                assertEquals(asked, p.name(), p.describe());
                assertEquals("", p.note());
            } else {
                // Wider than this machine's vectors: the preferred width, and a note saying so.
                assertEquals("vector" + preferred, p.name(), p.describe());
                assertTrue(p.note().contains("wider than"), p.note());
            }
            assertEquals(p.vectorBits(), Vectors.FLOAT.vectorBitSize(), "the species every vector kernel uses");
            assertEquals("vector-" + p.vectorBits() + "bit", MatMul.kernel().name());
        }
        String l2 = System.getProperty("rnn4j.l2");
        if (l2 != null) {
            assertEquals(KernelPlan.parseSize(l2), p.l2Bytes());
            assertEquals("-Drnn4j.l2", p.l2Source());
        }
        String rows = System.getProperty("rnn4j.tileRows");
        if (rows != null && p.vectorBits() > 0) assertEquals(Integer.parseInt(rows), p.tileRows(), p.describe());
        assertTrue(p.describe().startsWith(p.name() + " (tile " + p.tileRows()), p.describe());
        assertEquals(p.rowBlockRows(), RowBlocks.defaultMinRows());
    }

    private static void cache(Path dir, int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
