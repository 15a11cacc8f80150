package org.rnn4j.kernels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The kernels' performance policy, chosen once at start-up: which kernels run (the Vector API at 512, 256 or 128
 * bits, or plain Java), their register tile, the matrix multiply's cache blocks, and the thresholds for cutting work
 * over threads. Every kernel and every layer reads its tile sizes and thresholds here; nothing else holds them.
 *
 * <p><b>Choice.</b> The vector width is the Vector API's preferred species (the widest the JVM compiles to: 512 bits
 * with AVX-512, 256 with AVX2 only, 128 with SSE or NEON), or plain Java without the {@code jdk.incubator.vector}
 * module. The L2 size is read from {@code /sys/devices/system/cpu/cpu0/cache/index*} (the level-2 data or unified
 * cache), else taken as {@link #DEFAULT_L2} bytes. Then {@link #choose}:
 * <ul>
 * <li>register tile: 8 rows by two vectors at 512 and 128 bits (8 x 32 and 8 x 8 floats), 4-row groups for plain
 *     Java. At 256 bits (AVX2: 16 vector registers, so 16 accumulators spill) it depends on the JIT: 6 rows by two
 *     vectors (12 accumulators) on JDK 17, 4 rows by two vectors on newer JDKs, whose C2 loads a tile's scalars of A
 *     into registers of their own before broadcasting them, so 6 rows spill as well. One thread of a Zen 3 (AMD EPYC,
 *     AVX2, peak 95.7 GFLOP/s by {@code bench/fma_probe.c}), {@code bench/TileProbe.java}-style tiles in L1/L2:
 *     JDK 17: 6 x 2 94, 5 x 2 93, 4 x 2 78, 8 x 2 59 GFLOP/s; JDK 25: 4 x 2 90, 6 x 2 42, 5 x 2 35, 8 x 2 58 (JDK 18-24
 *     are not measured and get the newer JDKs' choice). {@code -Drnn4j.tileRows=4|6|8} overrides it;</li>
 * <li>GEMM blocks: K-block {@code KC = 256} (a {@code KC x NR} panel of B stays in L1), row block {@code MC}
 *     (an {@code MC x KC} block of A in at most a quarter of L2, at most 96 rows), column block {@code NC} (a
 *     {@code KC x NC} block of B in at most the whole L2, at most 1024 columns: 1024 with 1 and 2 MB, 512 with
 *     Zen 3's 512 KB);</li>
 * <li>the row-block, packing and per-step-projection thresholds of the recurrent layers: a block or a packed
 *     product needs at least one tile of rows; the input projection runs step by step when it is fused with the
 *     recurrent product (an LSTM's) or its packed kernel fits in a quarter of L2 (at most 256 KB, the size measured
 *     best on a 2 MB L2);</li>
 * <li>the optimizer update's part size: at least 64K floats a part.</li>
 * </ul>
 * At 512 bits with a 2 MB L2 (Intel Emerald Rapids) the plan is exactly the kernels' earlier fixed values.
 *
 * <p><b>Forcing.</b> {@code -Drnn4j.kernel=auto|vector512|vector256|vector128|scalar} picks the kernels
 * ({@code -Drnn4j.noVector=true} is the same as {@code scalar}); a width wider than the JVM's preferred one falls back
 * to the preferred width, with one warning and a {@link #note()}. {@code -Drnn4j.l2=512k} (bytes, or with a k/m
 * suffix) sets the L2 size the blocks are planned for; {@code -Drnn4j.tileRows=4|6|8} the rows of the vector kernels'
 * register tile (the plain-Java kernels keep their 4-row groups). An unknown value is refused with an error naming
 * the property.
 *
 * <pre>{@code
 * KernelPlan p = KernelPlan.active();
 * p.describe();   // "vector512 (tile 8x32, KC 256, MC 96, NC 1024; L2 2048 KB from /sys...)"
 * KernelPlan zen3 = KernelPlan.choose("vector256", 256, 512 * 1024, "test", "");   // what Zen 3 (AVX2) gets
 * }</pre>
 *
 * <p>Thread safety: immutable; {@link #active()} is fixed when the class is initialised.
 */
public final class KernelPlan {
    /** The L2 size assumed when neither the system nor {@code rnn4j.l2} says: 1 MB per core. */
    public static final long DEFAULT_L2 = 1024 * 1024;
    /** The K-block of the matrix multiply: 256 floats of each row of a B panel, 256 of each row of A. */
    private static final int KC = 256;
    private static final String[] NAMES = {"auto", "vector512", "vector256", "vector128", "scalar"};

    private final String name, l2Source, note;
    private final int vectorBits, tileRows, tileColumns, kBlock, rowBlock, columnBlock;
    private final long l2Bytes, smallProduct, partWork, rowBlockWork, streamPartWork, perStepProjectionBytes, updatePartFloats;
    private final int streamChunkUnits;
    private KernelPlan(String name, int vectorBits, int jdkFeature, int tileRows, long l2Bytes, String l2Source,
                       String note) {
        this.name = name;
        this.vectorBits = vectorBits;
        this.l2Bytes = l2Bytes;
        this.l2Source = l2Source;
        this.note = note;
        boolean vector = vectorBits > 0;
        // Register tile (see the class comment).
        this.tileRows = tileRows > 0 ? tileRows : !vector ? 4 : vectorBits != 256 ? 8 : jdkFeature <= 17 ? 6 : 4;
        this.tileColumns = vector ? 2 * (vectorBits / 32) : 0;
        this.kBlock = KC;
        // An MC x KC block of A in at most a quarter of L2 (at most 96 rows: the size measured best), whole tiles.
        int mc = (int) Math.min(96, l2Bytes / 4 / (4L * kBlock));
        this.rowBlock = Math.max(this.tileRows, mc / this.tileRows * this.tileRows);
        // A KC x NC block of B in at most the whole L2 (at most 1024 columns), whole panels: it is streamed once per
        // row block, a panel at a time into L1, so it need not share L2 with A's block.
        int step = vector ? tileColumns : 1;
        int nc = (int) Math.min(1024, l2Bytes / (4L * kBlock));
        this.columnBlock = Math.max(step, nc / step * step);
        // Work thresholds, in multiply-adds: a hand-off to another thread costs a few microseconds.
        this.smallProduct = vector ? 8 * 1024 : 4 * 1024;
        this.partWork = vector ? 96 * 1024 : 256 * 1024;
        this.rowBlockWork = 256 * 1024;
        this.streamPartWork = 32 * 1024;
        // An optimizer update streams 28 bytes per float (reads w, g, m, v; writes w, m, v): a part of 64K floats
        // is 10-15 us of work against a hand-off of a few (Zen 5, Adam of 128K floats: 25-28 us on one thread,
        // 15 us on two).
        this.updatePartFloats = 64 * 1024;
        // 64 units are 256 columns: whole panels at every width.
        this.streamChunkUnits = 64;
        this.perStepProjectionBytes = Math.min(256 * 1024, l2Bytes / 4);
    }

    /**
     * The plan for kernels {@code name} ({@code vector512}, {@code vector256}, {@code vector128} or {@code scalar}) of
     * {@code vectorBits} bits (0 for scalar) on a machine with {@code l2Bytes} of L2 per core: a pure function, so a
     * test can ask what another machine gets. {@code l2Source} and {@code note} are only reported.
     * Thread-safe: a pure function.
     */
    public static KernelPlan choose(String name, int vectorBits, long l2Bytes, String l2Source, String note) {
        return choose(name, vectorBits, Runtime.version().feature(), 0, l2Bytes, l2Source, note);
    }

    /**
     * The plan as {@link #choose(String, int, long, String, String)} gives it on JDK {@code jdkFeature} (the register
     * tile at 256 bits depends on the JIT), with {@code tileRows} rows in the register tile (4, 6 or 8; 6 and 8 only
     * with vectors), or the JDK's choice when 0. Thread-safe: a pure function.
     */
    public static KernelPlan choose(String name, int vectorBits, int jdkFeature, int tileRows, long l2Bytes,
                                    String l2Source, String note) {
        if (tileRows != 0 && tileRows != 4 && (vectorBits == 0 || tileRows != 6 && tileRows != 8)) {
            throw new IllegalArgumentException("kernel plan: a register tile of 4, 6 or 8 rows (6 and 8 only with vectors), "
                    + "got " + tileRows);
        }
        boolean scalar = "scalar".equals(name);
        if (!scalar && (!name.equals("vector" + vectorBits) || (vectorBits != 128 && vectorBits != 256 && vectorBits != 512))) {
            throw new IllegalArgumentException("kernel plan: " + name + " with " + vectorBits + "-bit vectors");
        }
        if (scalar && vectorBits != 0) throw new IllegalArgumentException("kernel plan: scalar with " + vectorBits + "-bit vectors");
        if (l2Bytes < 64 * 1024) throw new IllegalArgumentException("kernel plan: L2 of at least 64 KB, got " + l2Bytes + " bytes");
        return new KernelPlan(name, vectorBits, jdkFeature, tileRows, l2Bytes, l2Source, note);
    }

    /** The plan in use, chosen when the class is initialised. Thread-safe. */
    public static KernelPlan active() { return Active.PLAN; }

    /** The plan the plain-Java kernels use, whichever kernels are active. Thread-safe. */
    static KernelPlan scalar() { return Active.SCALAR; }

    /**
     * The plan the Vector API kernels use: the active one, or (when plain Java is active but the module is present,
     * as when a test builds a Vector kernel beside the active one) the one for the JVM's preferred width.
     * Thread-safe.
     */
    static KernelPlan vector() {
        if (Active.VECTOR == null) throw new IllegalStateException("the Vector API is not available: " + Active.PLAN.note);
        return Active.VECTOR;
    }

    private static final class Active {
        static final int PREFERRED = preferredVectorBits();
        static final KernelPlan PLAN = detect(PREFERRED);
        static final KernelPlan SCALAR = PLAN.vectorBits == 0 ? PLAN : choose("scalar", 0, PLAN.l2Bytes, PLAN.l2Source, "");
        static final KernelPlan VECTOR = PLAN.vectorBits > 0 ? PLAN
                : PREFERRED >= 128 ? choose("vector" + widest(PREFERRED), widest(PREFERRED), PLAN.l2Bytes, PLAN.l2Source, "") : null;
    }

    /** The widest of 128, 256 and 512 bits within a preferred size of {@code preferred} (at least 128) bits. */
    private static int widest(int preferred) { return Math.min(512, Integer.highestOneBit(preferred)); }

    // ---------------------------------------------------------------- detection

    private static KernelPlan detect(int preferred) {
        String asked = System.getProperty("rnn4j.kernel", "auto").trim().toLowerCase(Locale.ROOT);
        if (!java.util.Arrays.asList(NAMES).contains(asked)) {
            throw new IllegalArgumentException("System property rnn4j.kernel must be one of "
                    + String.join(", ", NAMES) + "; got \"" + System.getProperty("rnn4j.kernel") + "\"");
        }
        long l2;
        String l2Source;
        String l2Property = System.getProperty("rnn4j.l2");
        if (l2Property != null) {
            l2 = parseSize(l2Property);
            l2Source = "-Drnn4j.l2";
        } else {
            long read = readL2(Path.of("/sys/devices/system/cpu/cpu0/cache"));
            l2 = read > 0 ? read : DEFAULT_L2;
            l2Source = read > 0 ? "/sys/devices/system/cpu/cpu0/cache" : "default";
        }
        if (Boolean.getBoolean("rnn4j.noVector")) {
            return choose("scalar", 0, l2, l2Source, "-Drnn4j.noVector=true is set"
                    + (asked.equals("auto") || asked.equals("scalar") ? "" : " (it overrides rnn4j.kernel=" + asked + ")"));
        }
        if (asked.equals("scalar")) return choose("scalar", 0, l2, l2Source, "");
        if (preferred < 128) {
            String why = preferred == -1 ? "the jdk.incubator.vector module is not present"
                    : preferred == -2 ? "the Vector API failed to load" : "the JVM's preferred vectors are " + preferred + " bits";
            String note = asked.equals("auto") ? why : "rnn4j.kernel=" + asked + " asked for, but " + why + ": plain-Java kernels";
            return choose("scalar", 0, l2, l2Source, note);
        }
        int widest = widest(preferred);
        int rows = tileRowsProperty();
        int jdk = Runtime.version().feature();
        if (asked.equals("auto")) return choose("vector" + widest, widest, jdk, rows, l2, l2Source, "");
        int bits = Integer.parseInt(asked.substring("vector".length()));
        if (bits > widest) {
            String note = "rnn4j.kernel=" + asked + " is wider than this JVM's preferred " + widest
                    + "-bit vectors (the hardware's): using vector" + widest;
            org.slf4j.LoggerFactory.getLogger(KernelPlan.class).warn("rnn4j: " + note);
            return choose("vector" + widest, widest, jdk, rows, l2, l2Source, note);
        }
        return choose(asked, bits, jdk, rows, l2, l2Source, "");
    }

    /** {@code -Drnn4j.tileRows}: 4, 6 or 8 rows in the vector kernels' register tile, or 0 (unset: the JDK's choice). */
    private static int tileRowsProperty() {
        String v = System.getProperty("rnn4j.tileRows");
        if (v == null) return 0;
        switch (v.trim()) {
            case "4": return 4;
            case "6": return 6;
            case "8": return 8;
            default:
                throw new IllegalArgumentException("System property rnn4j.tileRows must be 4, 6 or 8; got \"" + v + "\"");
        }
    }

    /** The Vector API's preferred float vector size in bits; -1 without the module, -2 when it fails to load. */
    private static int preferredVectorBits() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return -1;
        try {
            return ((java.util.function.IntSupplier) Class.forName("org.rnn4j.kernels.VectorWidth")
                    .getDeclaredConstructor().newInstance()).getAsInt();
        } catch (ReflectiveOperationException | LinkageError e) {
            return -2;
        }
    }

    /**
     * The size of the level-2 data or unified cache listed under {@code cacheDir} (sysfs's {@code index*} folders,
     * each with {@code level}, {@code type} and {@code size}), or -1 when none is readable. Thread-safe.
     */
    static long readL2(Path cacheDir) {
        for (int i = 0; i < 8; i++) {
            Path index = cacheDir.resolve("index" + i);
            try {
                if (!Files.isDirectory(index)) continue;
                String level = Files.readString(index.resolve("level")).trim();
                String type = Files.readString(index.resolve("type")).trim();
                if (!level.equals("2") || type.equals("Instruction")) continue;
                return parseSize(Files.readString(index.resolve("size")).trim());
            } catch (IOException | IllegalArgumentException e) {
                // unreadable or odd: try the next index, then the default
            }
        }
        return -1;
    }

    /**
     * A size in bytes: digits with an optional {@code k}/{@code K} (KiB) or {@code m}/{@code M} (MiB) suffix, an
     * optional {@code B}/{@code iB} after it ({@code 512k}, {@code 2M}, {@code 1024KiB}, {@code 1048576}).
     * Thread-safe: a pure function.
     */
    static long parseSize(String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) s = s.substring(0, s.length() - 2);
        else if (s.endsWith("b")) s = s.substring(0, s.length() - 1);
        long unit = 1;
        if (s.endsWith("k")) unit = 1024;
        else if (s.endsWith("m")) unit = 1024 * 1024;
        if (unit > 1) s = s.substring(0, s.length() - 1);
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            v = -1;
        }
        if (v <= 0 || v > (1L << 40) / unit || v * unit < 64 * 1024) {
            throw new IllegalArgumentException("System property rnn4j.l2 must be a cache size of at least 64k, like 512k, "
                    + "2m or 1048576; got \"" + text + "\"");
        }
        return v * unit;
    }

    // ---------------------------------------------------------------- the plan

    /** {@code vector512}, {@code vector256}, {@code vector128} or {@code scalar}. Thread-safe: a constant. */
    public String name() { return name; }

    /** The vector size in bits, 0 for the plain-Java kernels. Thread-safe: a constant. */
    public int vectorBits() { return vectorBits; }

    /** Floats per vector, 1 for the plain-Java kernels. Thread-safe: a constant. */
    public int lanes() { return vectorBits == 0 ? 1 : vectorBits / 32; }

    /** Rows of the matrix multiply's register tile. Thread-safe: a constant. */
    public int tileRows() { return tileRows; }

    /** Columns (floats) of the register tile and of a packed panel of B; 0 for plain Java. Thread-safe: a constant. */
    public int tileColumns() { return tileColumns; }

    /** The K-block ({@code KC}) of the matrix multiply. Thread-safe: a constant. */
    public int kBlock() { return kBlock; }

    /** The row block ({@code MC}) of the matrix multiply: rows of A packed at a time. Thread-safe: a constant. */
    public int rowBlock() { return rowBlock; }

    /** The column block ({@code NC}) of the matrix multiply: columns of B packed at a time. Thread-safe: a constant. */
    public int columnBlock() { return columnBlock; }

    /** Products with fewer multiply-adds run unpacked, direct loops. Thread-safe: a constant. */
    public long smallProduct() { return smallProduct; }

    /** The least multiply-adds of a part of a matrix multiply split over threads. Thread-safe: a constant. */
    public long partWork() { return partWork; }

    /** The fewest rows of a recurrent layer's row block: one register tile. Thread-safe: a constant. */
    public int rowBlockRows() { return tileRows; }

    /** The fewest multiply-adds of a row block over the whole sequence. Thread-safe: a constant. */
    public long rowBlockWork() { return rowBlockWork; }

    /** Units per chunk of the streaming LSTM step (each chunk holds its units' four gate columns). Thread-safe. */
    public int streamChunkUnits() { return streamChunkUnits; }

    /** The least multiply-adds of a part of a streaming step split over threads. Thread-safe: a constant. */
    public long streamPartWork() { return streamPartWork; }

    /** The least floats of a part of an optimizer update split over threads. Thread-safe: a constant. */
    public long updatePartFloats() { return updatePartFloats; }

    /** The largest packed input kernel (bytes) for which the projection runs step by step. Thread-safe. */
    public long perStepProjectionBytes() { return perStepProjectionBytes; }

    /** The L2 size (bytes per core) the blocks are planned for. Thread-safe: a constant. */
    public long l2Bytes() { return l2Bytes; }

    /** Where {@link #l2Bytes} came from: sysfs, {@code -Drnn4j.l2} or the default. Thread-safe: a constant. */
    public String l2Source() { return l2Source; }

    /**
     * Why the plan is not the machine's own or the one asked for (a fallback, the Vector API missing,
     * {@code rnn4j.noVector}), or empty. Thread-safe: a constant.
     */
    public String note() { return note; }

    /**
     * Whether a recurrent kernel multiplied at every step by {@code batch} rows is worth packing once per sequence:
     * when the batch fills a register tile and there is more than one step. Thread-safe: a pure function.
     */
    public boolean packsRecurrent(int batch, int steps) { return batch >= tileRows && steps > 1; }

    /**
     * Whether a recurrent layer's input projection {@code x·W [dim, width]} runs step by step in the time loop (its
     * block still in cache when the cell reads it) rather than as one product over all steps: when the batch fills a
     * register tile and either the projection is {@code fused} with the recurrent product ({@code [x_k, h_k-1]·[W; U]},
     * one product per step whatever W's size: the large workload, W 4 MB, ran inference 12-21% and training 11-16%
     * faster so on a Zen 5, without its 26 MB of projections going to memory and back) or the packed kernel fits in
     * {@link #perStepProjectionBytes}. Thread-safe: a pure function.
     */
    public boolean projectsPerStep(int batch, int steps, int dim, int width, boolean fused) {
        return batch >= tileRows && steps > 1 && (fused || 4L * dim * width <= perStepProjectionBytes);
    }

    /**
     * One line for logs, {@code --version} and benchmarks: the kernels, tile, blocks, L2 and any fallback note.
     * Thread-safe: a pure function.
     */
    public String describe() {
        String tile = vectorBits == 0 ? tileRows + "-row groups" : tileRows + "x" + tileColumns;
        return name + " (tile " + tile + ", KC " + kBlock + ", MC " + rowBlock + ", NC " + columnBlock + "; L2 "
                + l2Bytes / 1024 + " KB from " + l2Source + ")" + (note.isEmpty() ? "" : "; " + note);
    }

    /** Thread-safe: a pure function. */
    @Override
    public String toString() { return describe(); }
}
